package stix

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/internal/words"
	"github.com/stixkit/stixkit/stix/stiximpl"
)

// Object is any top-level STIX object: the generated types (SDOs, SROs,
// SCOs, meta objects), Generic for unknown types, Bundle, and types users
// register with Register.
type Object interface {
	// ObjectType returns the STIX type name ("indicator", "x-mitre-tactic"…).
	ObjectType() string
	// ObjectID returns the object's id ("" when it has none).
	ObjectID() Identifier
}

// IDSetter is implemented by objects whose id can be set (every generated
// object type and Generic).
type IDSetter interface {
	SetObjectID(id Identifier)
}

// Referrer is implemented by every generated type: EachRef visits the
// identifiers the value refers to.
type Referrer interface {
	EachRef(fn func(property string, ref Identifier))
}

// Marked is implemented by object types with object_marking_refs.
type Marked interface {
	MarkingRefs() *[]Identifier
}

// Created is implemented by object types with created_by_ref.
type Created interface {
	CreatorRef() *Identifier
}

// Errors returned by the parser, wrapped in *ParseError.
var (
	// ErrSyntax marks malformed JSON.
	ErrSyntax = errors.New("stix: invalid JSON")
	// ErrInvalidValue marks a well-formed value of the wrong JSON type or
	// form for its property (a bare UUID in created_by_ref, "False" in
	// revoked, null, 5.5 in confidence). Decoding keeps such values
	// verbatim and reports them in a *KeptValuesError, unless
	// DecodeOptions.RefuseInvalid is set.
	ErrInvalidValue = errors.New("stix: invalid value")
	// ErrNotObject marks a value that should be a JSON object but is not.
	ErrNotObject = errors.New("stix: not a JSON object")
	// ErrNoType marks an object without a string "type" property.
	ErrNoType = errors.New("stix: object has no type")
	// ErrCustom marks custom content refused by DecodeOptions.DisallowCustom.
	ErrCustom = errors.New("stix: custom content not allowed")
)

// ParseError describes why input could not be decoded: which object (its id
// when known, its index in a bundle or array), which property (a JSON
// pointer inside the object) and where in the input.
type ParseError struct {
	ObjectID Identifier // id of the failing object, when it could be read
	Index    int        // index in the bundle's objects (or the array), -1 when not in one
	Pointer  string     // JSON pointer of the failing value, relative to the object
	Offset   int        // byte offset in the input
	Msg      string
	Err      error // ErrSyntax, ErrNotObject or ErrNoType
}

// Error describes the failure with the object id, index and pointer.
func (e *ParseError) Error() string {
	s := "stix: "
	if e.ObjectID != "" {
		s += "object " + string(e.ObjectID)
		if e.Index >= 0 {
			s += fmt.Sprintf(" (objects[%d])", e.Index)
		}
		s += ": "
	} else if e.Index >= 0 {
		s += fmt.Sprintf("objects[%d]: ", e.Index)
	}
	if e.Pointer != "" {
		s += "property " + e.Pointer + ": "
	}
	return s + fmt.Sprintf("%s (offset %d)", e.Msg, e.Offset)
}

// Unwrap returns the sentinel error.
func (e *ParseError) Unwrap() error { return e.Err }

// DecodeOptions bound and tune decoding. The zero value is ready to use.
type DecodeOptions struct {
	// MaxDepth is the deepest nesting accepted (default 256 levels).
	MaxDepth int
	// MaxStringBytes is the longest string accepted (default: no limit
	// beyond the input size).
	MaxStringBytes int
	// DisallowCustom refuses custom content as the Python stix2 library
	// does without allow_custom: objects of unregistered types, custom
	// properties, references to unregistered types, unknown extensions that
	// are not extension-definition ids, and 2.1 objects in a bundle that
	// carries a spec_version. The default keeps everything (lossless).
	DisallowCustom bool
	// RefuseInvalid makes a value of the wrong type or form an error
	// (a *ParseError wrapping ErrInvalidValue, and no object) instead of a
	// kept value reported in a *KeptValuesError.
	RefuseInvalid bool
}

// KeptValue is a value of the wrong JSON type or form for its property,
// kept verbatim by the decoder and written back at its place.
type KeptValue struct {
	ObjectID Identifier      // id of the object holding it, when it could be read
	Index    int             // index in the bundle's objects (or the array), -1 when not in one
	Pointer  string          // JSON pointer of the value, relative to the object
	Offset   int             // byte offset of the value in the input
	Value    json.RawMessage // the value, compact
	Msg      string          // what is wrong with it
}

// KeptValuesError is returned with the decoded value when the input held
// values of the wrong type or form for their properties. Nothing was lost:
// the values are kept verbatim in the decoded objects and encoded back at
// their place. errors.As finds it; errors.Is(err, ErrInvalidValue) holds,
// and errors.As with a *ParseError yields the first value as a ParseError.
type KeptValuesError struct {
	Values []KeptValue
}

// Error lists the kept values, naming object id and property.
func (e *KeptValuesError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "stix: %d value(s) of the wrong type or form kept verbatim", len(e.Values))
	for i, v := range e.Values {
		if i == 5 {
			fmt.Fprintf(&sb, "; and %d more", len(e.Values)-i)
			break
		}
		sb.WriteString("; ")
		sb.WriteString(strings.TrimPrefix(v.parseError().Error(), "stix: "))
	}
	return sb.String()
}

// Unwrap returns each kept value as a *ParseError wrapping ErrInvalidValue.
func (e *KeptValuesError) Unwrap() []error {
	out := make([]error, len(e.Values))
	for i := range e.Values {
		out[i] = e.Values[i].parseError()
	}
	return out
}

// String describes the kept value, naming object id and property.
func (v KeptValue) String() string { return v.parseError().Error() }

func (v *KeptValue) parseError() *ParseError {
	return &ParseError{ObjectID: v.ObjectID, Index: v.Index, Pointer: v.Pointer, Offset: v.Offset,
		Msg: "value " + shorten(v.Value) + " kept verbatim: " + v.Msg, Err: ErrInvalidValue}
}

// shorten quotes at most 80 bytes of a raw value for a message.
func shorten(raw []byte) string {
	if len(raw) > 80 {
		return string(raw[:77]) + "..."
	}
	return string(raw)
}

// keptError builds the report of the values d kept while reading data:
// nil when there are none, a *ParseError for the first one when refuse is
// set, else a *KeptValuesError.
func keptError(d *decoder, data []byte, refuse bool) error {
	kept := d.Kept()
	if len(kept) == 0 {
		return nil
	}
	out := &KeptValuesError{Values: make([]KeptValue, 0, len(kept))}
	idStart, id := -1, Identifier("")
	for _, k := range kept {
		v := KeptValue{Index: -1, Offset: k.Offset, Value: append(json.RawMessage(nil), k.Value...), Msg: strings.TrimPrefix(k.Msg, "stix: ")}
		start := 0
		if k.ObjMarked {
			start, v.Index = k.ObjStart, k.ObjIndex
		}
		if start != idStart {
			idStart, id = start, ""
			if s, ok := jsonscan.NewDecoder(data[start:], jsonscan.Limits{}).FindString("id"); ok {
				id = Identifier(s)
			}
		}
		v.ObjectID = id
		if path, ok := jsonscan.PathTo(data[start:], k.Offset-start); ok {
			v.Pointer = jsonscan.Pointer(path)
		}
		if refuse {
			return v.parseError()
		}
		out.Values = append(out.Values, v)
	}
	return out
}

func (o DecodeOptions) limits() jsonscan.Limits {
	return jsonscan.Limits{MaxDepth: o.MaxDepth, MaxStringBytes: o.MaxStringBytes}
}

var registry = struct {
	sync.RWMutex
	m map[string]func() Object
}{m: map[string]func() Object{}}

// ErrDuplicateType is returned by Register for a type registered twice.
var ErrDuplicateType = errors.New("stix: type already registered")

// Register makes Parse decode objects of type typ with values made by
// newObject. The values must implement json.Unmarshaler and json.Marshaler
// (the generated types use a faster internal path). Registering a type twice
// (including the built-in ones) is an error. Safe for concurrent use.
func Register(typ string, newObject func() Object) error {
	if !validTypeName(typ) {
		return fmt.Errorf("stix: register %q: not a valid type name", typ)
	}
	v := newObject()
	if _, ok := v.(stiximpl.Codec); !ok {
		if _, ok := v.(json.Unmarshaler); !ok {
			return fmt.Errorf("stix: register %q: %T does not implement json.Unmarshaler", typ, v)
		}
		if _, ok := v.(json.Marshaler); !ok {
			return fmt.Errorf("stix: register %q: %T does not implement json.Marshaler", typ, v)
		}
	}
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.m[typ]; dup {
		return fmt.Errorf("%w: %q", ErrDuplicateType, typ)
	}
	registry.m[typ] = newObject
	return nil
}

// New returns a new empty value for a registered type, or nil.
func New(typ string) Object {
	registry.RLock()
	mk := registry.m[typ]
	registry.RUnlock()
	if mk == nil {
		return nil
	}
	return mk()
}

// Parse decodes a bundle or a single object. Unknown types decode to
// *Generic, keeping every property. Values of the wrong type or form for
// their property (a bare UUID in created_by_ref, "False" in revoked) are
// kept verbatim and written back at their place: the object is returned
// together with a *KeptValuesError listing them. Any other error comes
// with a nil object. The functions below and the DecodeOptions methods
// behave the same way.
func Parse(data []byte) (Object, error) { return DecodeOptions{}.Parse(data) }

// ParseObject decodes a single object (not a bundle).
func ParseObject(data []byte) (Object, error) { return DecodeOptions{}.ParseObject(data) }

// ParseBundle decodes a bundle.
func ParseBundle(data []byte) (*Bundle, error) { return DecodeOptions{}.ParseBundle(data) }

// ParseObjects decodes a JSON array of objects.
func ParseObjects(data []byte) ([]Object, error) { return DecodeOptions{}.ParseObjects(data) }

// Parse is the package-level Parse with these options.
func (o DecodeOptions) Parse(data []byte) (Object, error) {
	d := jsonscan.NewDecoder(data, o.limits())
	obj := decodeObject(d, -1)
	d.ExpectEnd()
	return o.finish(d, data, obj)
}

// finish turns the state of d after decoding obj from data into the
// result of a Parse function.
func (o DecodeOptions) finish(d *decoder, data []byte, obj Object) (Object, error) {
	if err := d.Err(); err != nil {
		return nil, toParseError(err, data)
	}
	if o.DisallowCustom {
		if err := checkNoCustom(obj, -1); err != nil {
			return nil, err
		}
	}
	if err := keptError(d, data, o.RefuseInvalid); err != nil {
		if o.RefuseInvalid {
			return nil, err
		}
		return obj, err
	}
	return obj, nil
}

// ObjectParser decodes single objects one after another, reusing its
// buffers; the streaming bundle decoder uses one. Not safe for concurrent
// use.
type ObjectParser struct {
	opt DecodeOptions
	d   jsonscan.Decoder
}

// NewObjectParser returns an ObjectParser with these options.
func (o DecodeOptions) NewObjectParser() *ObjectParser { return &ObjectParser{opt: o} }

// Parse decodes one object (not a bundle), as DecodeOptions.ParseObject.
func (p *ObjectParser) Parse(data []byte) (Object, error) {
	p.d.Reset(data, p.opt.limits())
	obj := decodeObject(&p.d, -1)
	p.d.ExpectEnd()
	if _, ok := obj.(*Bundle); ok && !p.d.Failed() {
		return nil, &ParseError{Index: -1, Msg: "a bundle where a single object was expected", Err: ErrNotObject}
	}
	return p.opt.finish(&p.d, data, obj)
}

// ParseObject is the package-level ParseObject with these options.
func (o DecodeOptions) ParseObject(data []byte) (Object, error) {
	obj, err := o.Parse(data)
	if obj == nil {
		return nil, err
	}
	if _, ok := obj.(*Bundle); ok {
		return nil, &ParseError{Index: -1, Msg: "a bundle where a single object was expected", Err: ErrNotObject}
	}
	return obj, err
}

// ParseBundle is the package-level ParseBundle with these options.
func (o DecodeOptions) ParseBundle(data []byte) (*Bundle, error) {
	obj, err := o.Parse(data)
	if obj == nil {
		return nil, err
	}
	b, ok := obj.(*Bundle)
	if !ok {
		return nil, &ParseError{ObjectID: obj.ObjectID(), Index: -1, Msg: words.A(obj.ObjectType()) + " where a bundle was expected", Err: ErrNotObject}
	}
	return b, err
}

// ParseObjects is the package-level ParseObjects with these options.
func (o DecodeOptions) ParseObjects(data []byte) ([]Object, error) {
	d := jsonscan.NewDecoder(data, o.limits())
	objs := decodeObjectList(d)
	d.ExpectEnd()
	if err := d.Err(); err != nil {
		return nil, toParseError(err, data)
	}
	if o.DisallowCustom {
		for i, obj := range objs {
			if err := checkNoCustom(obj, i); err != nil {
				return nil, err
			}
		}
	}
	if err := keptError(d, data, o.RefuseInvalid); err != nil {
		if o.RefuseInvalid {
			return nil, err
		}
		return objs, err
	}
	return objs, nil
}

func toParseError(err error, data []byte) error {
	var se *jsonscan.Error
	if !errors.As(err, &se) {
		return err
	}
	pe := &ParseError{Index: -1, Pointer: se.ObjectPointer(), Offset: se.Offset, Msg: se.Msg, Err: ErrSyntax}
	start := 0
	if se.ObjMarked {
		pe.Index, start = se.ObjIndex, se.ObjStart
	}
	if start < len(data) {
		d := jsonscan.NewDecoder(data[start:], jsonscan.Limits{})
		if id, ok := d.FindString("id"); ok {
			pe.ObjectID = Identifier(id)
		}
	}
	switch {
	case strings.HasPrefix(se.Msg, "object has no"):
		pe.Err = ErrNoType
	case strings.HasPrefix(se.Msg, "expected a STIX object"):
		pe.Err = ErrNotObject
	}
	return pe
}

// decodeObjectList reads an array of objects.
func decodeObjectList(d *decoder) []Object {
	if !d.BeginArray() {
		return nil
	}
	objs := make([]Object, 0, 16)
	i := -1
	for d.NextElement(&i) {
		if obj := decodeObject(d, i); !d.Failed() {
			objs = append(objs, obj)
		}
	}
	return objs
}

// decodeObject reads one object, dispatching on its type. On failure the
// decoder's error is replaced by a *ParseError for that object.
func decodeObject(d *decoder, index int) Object {
	if c := d.Peek(); c != '{' {
		if !d.Failed() {
			d.Failf("expected a STIX object (a JSON object), found %s", jsonscan.KindName(c))
			d.MarkObject(d.Offset(), index)
		}
		return nil
	}
	start := d.Offset()
	nkept := len(d.Kept())
	defer func() {
		d.MarkObject(start, index)
		d.MarkKept(nkept, start, index)
	}()
	typ, ok := d.FindString("type")
	if !ok {
		// Skip it to report syntax errors first, then the missing type.
		d.Skip()
		if !d.Failed() {
			d.FailAt(start, "object has no string \"type\" property")
		}
		return nil
	}
	obj := newForType(typ)
	if c, ok := obj.(stiximpl.Codec); ok {
		c.DecodeSTIX(sd(d))
	} else {
		raw := d.Raw()
		if !d.Failed() {
			if err := obj.(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
				d.FailAt(start, err.Error())
			}
		}
	}
	return obj
}

func newForType(typ string) Object {
	if typ == "bundle" {
		return &Bundle{}
	}
	if obj := New(typ); obj != nil {
		return obj
	}
	return &Generic{}
}

// Marshal returns the canonical JSON encoding of an object: properties in
// specification order, custom properties after them in their order,
// compact, UTF-8.
func Marshal(obj Object) ([]byte, error) { return AppendJSON(nil, obj) }

// AppendJSON appends the canonical encoding of obj to b.
func AppendJSON(b []byte, obj Object) ([]byte, error) {
	if obj == nil {
		return nil, errors.New("stix: nil object")
	}
	if v := reflect.ValueOf(obj); v.Kind() == reflect.Pointer && v.IsNil() {
		return nil, fmt.Errorf("stix: nil %T", obj)
	}
	if bd, ok := obj.(*Bundle); ok {
		return bd.appendChecked(b)
	}
	if c, ok := obj.(stiximpl.Codec); ok {
		return c.AppendSTIX(b), nil
	}
	m, ok := obj.(json.Marshaler)
	if !ok {
		return nil, fmt.Errorf("stix: %T (type %q) does not implement json.Marshaler", obj, obj.ObjectType())
	}
	raw, err := m.MarshalJSON()
	if err != nil {
		return nil, err
	}
	raw, err = marshalCompact(json.RawMessage(raw))
	if err != nil {
		return nil, fmt.Errorf("stix: %T.MarshalJSON: %w", obj, err)
	}
	return append(b, raw...), nil
}
