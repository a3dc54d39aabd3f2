package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"unicode/utf8"

	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/stix"
)

// ErrSyntax marks malformed JSON met by the streaming Decoder; it is fatal:
// every later Next returns the same error.
var ErrSyntax = errors.New("bundle: invalid JSON")

// ErrTooLarge is returned when one object exceeds DecodeOptions.MaxObjectBytes.
var ErrTooLarge = errors.New("bundle: object too large")

// ErrEnvelope marks a bundle envelope that is well-formed JSON but not a
// bundle stix.Parse accepts: a duplicate member ("objects" or "type" twice)
// or an "objects" member that is not an array. It is fatal, like ErrSyntax.
var ErrEnvelope = errors.New("bundle: invalid bundle envelope")

// EnvelopeError is a fatal problem of the bundle envelope.
type EnvelopeError struct {
	// Member is the envelope member at fault ("objects", "type"…).
	Member string
	Msg    string
}

// Error gives the message.
func (e *EnvelopeError) Error() string { return "bundle: " + e.Msg }

// Is makes errors.Is(err, ErrEnvelope) hold.
func (e *EnvelopeError) Is(target error) bool { return target == ErrEnvelope }

// SyntaxError is a fatal JSON error of the stream, with its byte offset.
type SyntaxError struct {
	Offset int64
	Msg    string
}

// Error gives the message and the byte offset.
func (e *SyntaxError) Error() string { return fmt.Sprintf("bundle: %s (offset %d)", e.Msg, e.Offset) }

// Is makes errors.Is(err, ErrSyntax) hold.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// DecodeOptions bound the streaming Decoder. The zero value works.
type DecodeOptions struct {
	// Object holds the limits used to decode each object.
	Object stix.DecodeOptions
	// MaxObjectBytes is the largest single object (or bundle member) the
	// decoder buffers (default 256 MiB).
	MaxObjectBytes int
	// MaxDepth is the deepest nesting accepted while scanning (default 256).
	MaxDepth int
}

// Header describes the container the objects come from. Bundle members
// after "objects" are only known once the stream has been read to its end.
type Header struct {
	IsBundle    bool   // a bundle (else a single object or an array)
	IsArray     bool   // a JSON array of objects
	HasObjects  bool   // the bundle has an "objects" member (possibly empty)
	ID          string // the bundle id
	SpecVersion string // bundle-level spec_version (STIX 2.0 bundles)
	// Custom holds the bundle's other members (raw), if any.
	Custom stix.Custom
}

// Decoder reads STIX objects one at a time from a bundle, a single object or
// a JSON array of objects, without holding the whole input: memory stays
// bounded by the largest object. A Decoder is not safe for concurrent use.
type Decoder struct {
	sc     scanner
	opt    DecodeOptions
	hdr    Header
	state  int
	index  int
	raw    []byte
	single []byte // the single object, when the input is not a bundle
	err    error  // fatal error
	first  bool
	parser *stix.ObjectParser
	// sub, when set, reads a buffered objects array (a bundle whose
	// "type" comes after its "objects").
	sub       *scanner
	seen      map[string]bool
	rawOffset int64
	// envErr is an envelope problem found while the objects could still be
	// read; it is returned in place of io.EOF.
	envErr error
}

const (
	stStart = iota
	stInArray
	stSingle
	stDone
)

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader, opt DecodeOptions) *Decoder {
	if opt.MaxObjectBytes <= 0 {
		opt.MaxObjectBytes = 256 << 20
	}
	if opt.MaxDepth <= 0 {
		opt.MaxDepth = 256
	}
	d := &Decoder{opt: opt, index: -1, parser: opt.Object.NewObjectParser()}
	d.sc.init(r, opt.MaxObjectBytes, opt.MaxDepth)
	return d
}

// Header returns what is known of the container so far.
func (d *Decoder) Header() Header { return d.hdr }

// Index returns the position of the object last returned by Next.
func (d *Decoder) Index() int { return d.index }

// RawOffset returns the byte offset in the input of the object last
// returned by Next or NextRaw, or -1 when its bytes are not those of the
// input at one place (a single object, rebuilt from its members, or a
// bundle whose objects come before its type).
func (d *Decoder) RawOffset() int64 { return d.rawOffset }

// Raw returns the JSON of the object last returned by Next as it is in the
// input (also when it failed to decode); valid until the next call to Next.
func (d *Decoder) Raw() []byte { return d.raw }

// Next returns the next object, or io.EOF after the last one. An object
// that is valid JSON but not a valid STIX object yields a *stix.ParseError
// (with its Index) and the stream goes on; malformed JSON yields a
// *SyntaxError and ends the stream. An object holding values of the wrong
// type or form comes with a *stix.KeptValuesError listing them (they are
// kept in the object, see stix.Parse).
func (d *Decoder) Next() (stix.Object, error) {
	raw, start, err := d.nextRaw()
	if err != nil {
		return nil, err
	}
	return d.decode(raw, start)
}

// NextRaw is Next without the typed decoding: it returns the JSON of the
// next object as it is in the input (valid until the next call; when the
// input is a single object, for good), checked only for structure, or
// io.EOF after the last one. It lets callers decode
// objects in other goroutines (stix.ParseObject), in input order.
func (d *Decoder) NextRaw() ([]byte, error) {
	raw, _, err := d.nextRaw()
	return raw, err
}

func (d *Decoder) nextRaw() ([]byte, int64, error) {
	if d.err != nil {
		return nil, 0, d.err
	}
	for {
		switch d.state {
		case stStart:
			if err := d.start(); err != nil {
				return nil, 0, d.fail(err)
			}
		case stSingle:
			d.state = stDone
			d.index = 0
			d.raw = d.single
			d.rawOffset = -1 // rebuilt from its members
			return d.single, 0, nil
		case stInArray:
			raw, start, more, err := d.nextElement()
			if err != nil {
				return nil, 0, d.fail(err)
			}
			if !more {
				if err := d.finish(); err != nil {
					return nil, 0, d.fail(err)
				}
				d.state = stDone
				continue
			}
			d.index++
			d.raw = raw
			d.rawOffset = start
			if d.sub != nil {
				d.rawOffset = -1 // read from a buffered copy
			}
			return raw, start, nil
		case stDone:
			if d.envErr != nil {
				return nil, 0, d.fail(d.envErr)
			}
			return nil, 0, io.EOF
		}
	}
}

// All iterates over the remaining objects with their decode errors; it
// stops after a fatal error.
func (d *Decoder) All() iter.Seq2[stix.Object, error] {
	return func(yield func(stix.Object, error) bool) {
		for {
			obj, err := d.Next()
			if err == io.EOF {
				return
			}
			if !yield(obj, err) || errors.Is(err, ErrSyntax) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrEnvelope) {
				return
			}
		}
	}
}

func (d *Decoder) fail(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = &SyntaxError{Offset: d.sc.offset(), Msg: "unexpected end of input"}
	}
	d.err = err
	return err
}

func (d *Decoder) decode(raw []byte, start int64) (stix.Object, error) {
	obj, err := d.parser.Parse(raw)
	var ke *stix.KeptValuesError
	if obj != nil && errors.As(err, &ke) {
		// Values of the wrong type or form, kept in obj: report them
		// with the object.
		for i := range ke.Values {
			ke.Values[i].Index = d.index
			ke.Values[i].Offset += int(start)
		}
		return obj, ke
	}
	if err != nil {
		var pe *stix.ParseError
		if errors.As(err, &pe) {
			cp := *pe
			cp.Index = d.index
			cp.Offset += int(start)
			return nil, &cp
		}
		return nil, err
	}
	return obj, nil
}

// start reads the container up to the first element of the objects array
// (bundles), or the whole value (single objects), or the opening bracket
// (arrays).
func (d *Decoder) start() error {
	c, err := d.sc.peekNonSpace()
	if err != nil {
		return err
	}
	switch c {
	case '[':
		d.sc.advance(1)
		d.hdr.IsArray = true
		d.state = stInArray
		d.first = true
		return nil
	case '{':
	default:
		return &SyntaxError{Offset: d.sc.offset(), Msg: fmt.Sprintf("expected a bundle, an object or an array, found %q", c)}
	}
	// Read members until "objects": [ of a bundle.
	d.sc.advance(1)
	var members stix.Custom
	typ := ""
	d.seen = map[string]bool{}
	var buffered []int // offsets in whole of an objects array met before "type"
	// whole is the object rebuilt as it is read (one copy of each value,
	// so that a single large object is held once); spans locate the
	// members' values in it.
	whole := []byte{'{'}
	var spans [][2]int
	for n := 0; ; n++ {
		c, err := d.sc.peekNonSpace()
		if err != nil {
			return err
		}
		if c == '}' {
			d.sc.advance(1)
			break
		}
		if n > 0 {
			if c != ',' {
				return &SyntaxError{Offset: d.sc.offset(), Msg: "expected ',' or '}' in object"}
			}
			d.sc.advance(1)
		}
		key, err := d.sc.readKey()
		if err != nil {
			return err
		}
		if err := d.checkKey(key); err != nil {
			return err
		}
		c, err = d.sc.peekNonSpace()
		if err != nil {
			return err
		}
		if key == "objects" && c == '[' && typ == "bundle" {
			for i := range members {
				members[i].Value = whole[spans[i][0]:spans[i][1]]
			}
			for _, m := range members {
				if err := d.checkMember(m.Value); err != nil {
					return err
				}
			}
			d.sc.advance(1)
			d.hdr.IsBundle = true
			d.hdr.HasObjects = true
			if err := d.applyMembers(members); err != nil {
				return err
			}
			d.state = stInArray
			d.first = true
			return nil
		}
		if len(spans) > 0 {
			whole = append(whole, ',')
		}
		whole = jsonscan.AppendString(whole, key)
		whole = append(whole, ':')
		start := len(whole)
		whole, err = d.sc.readValue(whole) // owned: kept across reads
		if err != nil {
			return err
		}
		raw := whole[start:]
		if key == "objects" && c == '[' && typ == "" {
			// The type is not known yet: keep the array until it is.
			buffered = []int{start, len(whole)}
		}
		if key == "type" && len(raw) > 2 && raw[0] == '"' {
			// Decoded, as stix.Parse reads it: "bun\u0064le" is a bundle.
			typ, _ = decodeJSONString(raw)
		}
		spans = append(spans, [2]int{start, len(whole)})
		members = append(members, stix.Property{Name: key})
	}
	if err := d.sc.expectEnd(); err != nil {
		return err
	}
	buf := append(whole, '}')
	for i := range members {
		members[i].Value = buf[spans[i][0]:spans[i][1]]
	}
	if typ == "bundle" {
		d.hdr.IsBundle = true
		var rest stix.Custom
		for _, m := range members {
			if m.Name != "objects" || m.Value[0] != '[' {
				if err := d.checkMember(m.Value); err != nil {
					return err
				}
			}
			if m.Name != "objects" {
				rest = append(rest, m)
				continue
			}
			if len(m.Value) == 0 || m.Value[0] != '[' {
				d.envError(&EnvelopeError{Member: "objects", Msg: "the bundle's objects is not an array"})
			}
		}
		if err := d.applyMembers(rest); err != nil {
			return err
		}
		if buffered == nil { // a bundle without objects
			d.state = stDone
			return nil
		}
		d.hdr.HasObjects = true
		d.sub = &scanner{}
		d.sub.init(bytes.NewReader(buf[buffered[0]+1:buffered[1]]), d.opt.MaxObjectBytes, d.opt.MaxDepth)
		d.state = stInArray
		d.first = true
		return nil
	}
	d.single = buf
	d.state = stSingle
	return nil
}

// envError records the first envelope problem (returned after the objects).
func (d *Decoder) envError(err error) {
	if d.envErr == nil {
		d.envErr = err
	}
}

// checkKey refuses a duplicate or invalid (not UTF-8) envelope key.
func (d *Decoder) checkKey(key string) error {
	if !utf8.ValidString(key) {
		return &SyntaxError{Offset: d.sc.offset(), Msg: "invalid UTF-8 in a key"}
	}
	if d.seen[key] {
		return &SyntaxError{Offset: d.sc.offset(), Msg: fmt.Sprintf("duplicate key %q", key)}
	}
	d.seen[key] = true
	return nil
}

// checkMember checks an envelope member's value as strictly as stix.Parse
// does (the scanner checks only its structure).
func (d *Decoder) checkMember(raw []byte) error {
	if _, err := jsonscan.DecodeAny(raw, jsonscan.Limits{MaxDepth: d.opt.MaxDepth}); err != nil {
		return &SyntaxError{Offset: d.sc.offset(), Msg: err.Error()}
	}
	return nil
}

func (d *Decoder) applyMembers(members stix.Custom) error {
	for _, m := range members {
		switch m.Name {
		case "type":
		case "id", "spec_version":
			if len(m.Value) == 0 || m.Value[0] != '"' {
				d.envError(&EnvelopeError{Member: m.Name, Msg: "the bundle's " + m.Name + " is not a string"})
				continue
			}
			if id := stix.Identifier(unquote(m.Value)); m.Name == "id" && id.Validate() != nil {
				d.envError(&EnvelopeError{Member: "id", Msg: fmt.Sprintf("the bundle's id %s is not a STIX identifier", m.Value)})
			}
		}
		switch m.Name {
		case "type":
		case "id":
			d.hdr.ID = unquote(m.Value)
		case "spec_version":
			d.hdr.SpecVersion = unquote(m.Value)
		default:
			d.hdr.Custom = append(d.hdr.Custom, m)
		}
	}
	return nil
}

func unquote(raw []byte) string {
	if len(raw) >= 2 && raw[0] == '"' {
		return string(raw[1 : len(raw)-1])
	}
	return string(raw)
}

// cur is the scanner the objects array is read from.
func (d *Decoder) cur() *scanner {
	if d.sub != nil {
		return d.sub
	}
	return &d.sc
}

// nextElement reads the next element of the objects array.
func (d *Decoder) nextElement() (raw []byte, start int64, more bool, err error) {
	sc := d.cur()
	c, err := sc.peekNonSpace()
	if err != nil {
		return nil, 0, false, err
	}
	if c == ']' {
		sc.advance(1)
		return nil, 0, false, nil
	}
	if !d.first {
		if c != ',' {
			return nil, 0, false, &SyntaxError{Offset: sc.offset(), Msg: fmt.Sprintf("expected ',' or ']' in objects, found %q", c)}
		}
		sc.advance(1)
		if _, err := sc.peekNonSpace(); err != nil {
			return nil, 0, false, err
		}
	}
	d.first = false
	start = sc.offset()
	raw, err = sc.readValue(nil)
	return raw, start, err == nil, err
}

// finish reads the rest of a bundle after its objects array.
func (d *Decoder) finish() error {
	if d.hdr.IsArray {
		return d.sc.expectEnd()
	}
	if d.sub != nil {
		// The envelope was read whole before the buffered array.
		d.sub = nil
		return nil
	}
	var members stix.Custom
	for {
		c, err := d.sc.peekNonSpace()
		if err != nil {
			return err
		}
		if c == '}' {
			d.sc.advance(1)
			break
		}
		if c != ',' {
			return &SyntaxError{Offset: d.sc.offset(), Msg: "expected ',' or '}' after objects"}
		}
		d.sc.advance(1)
		key, err := d.sc.readKey()
		if err != nil {
			return err
		}
		if err := d.checkKey(key); err != nil {
			return err
		}
		raw, err := d.sc.readValue(make([]byte, 0, 64)) // owned: kept across reads
		if err != nil {
			return err
		}
		if err := d.checkMember(raw); err != nil {
			return err
		}
		members = append(members, stix.Property{Name: key, Value: raw})
	}
	if err := d.applyMembers(members); err != nil {
		return err
	}
	return d.sc.expectEnd()
}
