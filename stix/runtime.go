package stix

import (
	"encoding/json"
	"math"
	"strconv"
	"sync"

	"github.com/stixkit/stixkit/internal/jsonscan"
)

// Runtime support for generated code.
//
// The identifiers below (Decoder, Codec, Presence, the Append… and Decode…
// functions, RegisterExtension) are used by the code that stixkit/generate
// writes, here and in users' packages generated from their own schemas.
// They are exported for that purpose only; programs should use Parse,
// Marshal and the typed structs instead.

// Decoder is the one-pass JSON reader generated decoders read from.
type Decoder = jsonscan.Decoder

// Codec is implemented by every generated type: a one-pass decoder over the
// shared reader and an appending canonical encoder. Types implementing it
// are decoded and encoded without encoding/json.
type Codec interface {
	DecodeSTIX(d *Decoder)
	AppendSTIX(b []byte) []byte
}

// RegisterExtension makes decoders of extensions dictionaries decode the
// named extension into values made by newExt.
func RegisterExtension(name string, newExt func() Codec) {
	extMu.Lock()
	defer extMu.Unlock()
	extensionTypes[name] = newExt
}

// ReadObject is the runtime entry for generated UnmarshalJSON methods.
func ReadObject(data []byte, c Codec) error { return Unmarshal(data, c) }

// AppendKeyLit is AppendKey for a key already written as `"name":`.
func AppendKeyLit(b []byte, start int, quotedKeyColon string) []byte {
	if len(b) > start+1 {
		b = append(b, ',')
	}
	return append(b, quotedKeyColon...)
}

// AddNull keeps a member whose value is null. A null where the
// specification wants a typed value cannot be stored in the typed field, so
// it is kept (as null) with the custom properties: nothing is lost, and
// validation reports it.
func (c *Custom) AddNull(d *Decoder, key []byte) {
	name := string(key)
	if _, dup := c.Get(name); dup {
		d.Failf("duplicate property %q", name)
		return
	}
	*c = append(*c, Property{Name: name, Value: json.RawMessage("null")})
}

// Set marks property index i as present.
func (p *Presence) Set(i uint) { *p |= 1 << i }

// MustRegister is Register for generated code: it panics on a duplicate
// type (a programming error) and records the type's metadata.
func MustRegister(typ string, newObject func() Object, info *TypeInfo) {
	if err := Register(typ, newObject); err != nil {
		panic(err)
	}
	RegisterInfo(info)
}

// TypeInfo describes a generated type: its properties in specification
// order with what the schema says of them. Validation and the
// Python-compatible writer read it.
type TypeInfo struct {
	Type     string // STIX type or extension name; the Go name for embedded types
	GoName   string
	Category string // sdo, sro, sco, meta, extension, embedded
	// IDContributing lists, for SCOs, the properties the deterministic id
	// is computed from.
	IDContributing []string
	Properties     []PropertyInfo
}

// PropertyInfo describes one property of a generated type.
type PropertyInfo struct {
	Name      string
	Kind      string // type string bool int float timestamp identifier strings identifiers hashes dict extensions struct structs raw
	Required  bool
	Default   string   // JSON text of the specification default, if any
	Timestamp string   // precision rule: "", "millis-min", "millis-exact", "second"
	Elem      string   // Go name of the element/struct type, for struct(s) and vocabularies
	Vocab     string   // vocabulary name, e.g. "indicator-type-ov"
	RefTypes  []string // allowed target types of references ("sdo", "sco", "sro" or type names)
}

// Property returns the named property's info.
func (t *TypeInfo) Property(name string) (PropertyInfo, bool) {
	for _, p := range t.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return PropertyInfo{}, false
}

var infos = struct {
	sync.RWMutex
	byType, byGo map[string]*TypeInfo
}{byType: map[string]*TypeInfo{}, byGo: map[string]*TypeInfo{}}

// RegisterInfo records the metadata of a generated type.
func RegisterInfo(info *TypeInfo) {
	infos.Lock()
	defer infos.Unlock()
	if info.Category != "embedded" {
		infos.byType[info.Type] = info
	}
	infos.byGo[info.GoName] = info
}

// Info returns the metadata of a registered STIX type or extension name.
func Info(typ string) (*TypeInfo, bool) {
	infos.RLock()
	defer infos.RUnlock()
	t, ok := infos.byType[typ]
	return t, ok
}

// InfoByGoName returns the metadata of a generated type by its Go name
// (embedded types such as ExternalReference included).
func InfoByGoName(name string) (*TypeInfo, bool) {
	infos.RLock()
	defer infos.RUnlock()
	t, ok := infos.byGo[name]
	return t, ok
}

// Vocabulary is a vocabulary of the schemas: its values and whether it is
// open (other values allowed) or closed (an enumeration).
type Vocabulary struct {
	Name   string // e.g. "indicator-type-ov"
	Open   bool
	Values []string
}

var vocabularies = struct {
	sync.RWMutex
	m map[string]*Vocabulary
}{m: map[string]*Vocabulary{}}

// RegisterVocabulary records a vocabulary (generated code calls it).
func RegisterVocabulary(name string, open bool, values []string) {
	vocabularies.Lock()
	defer vocabularies.Unlock()
	vocabularies.m[name] = &Vocabulary{Name: name, Open: open, Values: values}
}

// LookupVocabulary returns a vocabulary by its schema name (the Vocab of a
// PropertyInfo, e.g. "malware-type-ov").
func LookupVocabulary(name string) (*Vocabulary, bool) {
	vocabularies.RLock()
	defer vocabularies.RUnlock()
	v, ok := vocabularies.m[name]
	return v, ok
}

// DecodeInt reads an integer property. A number that is not an integer
// Go can hold (5.5, 1e30, 2^64) is an error, which the generated decoder
// turns into a kept value (see Kept).
func DecodeInt(d *Decoder) int {
	lit := d.NumberLiteral()
	if lit == nil {
		return 0
	}
	if n, err := strconv.ParseInt(string(lit), 10, 64); err == nil {
		return int(n)
	}
	if f, err := strconv.ParseFloat(string(lit), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return int(f)
	}
	d.Fail("not an integer in the range of a 64-bit integer: " + string(lit))
	return 0
}

// DecodeFloat reads a number property; a number beyond float64 (1e400) is
// an error, which the generated decoder turns into a kept value.
func DecodeFloat(d *Decoder) float64 {
	lit := d.NumberLiteral()
	if lit == nil {
		return 0
	}
	if f, err := strconv.ParseFloat(string(lit), 64); err == nil {
		return f
	}
	d.Fail("a number beyond the range of a 64-bit float: " + string(lit))
	return 0
}

// Kept holds the values of defined properties that had the wrong JSON type
// or form (a bare UUID in created_by_ref, "False" in revoked, null, 5.5 in
// confidence…). They are kept verbatim and written back at their place, so
// that decoding never loses data; the typed field stays at its zero value.
// The zero value holds nothing.
type Kept struct{ p *keptSet }

type keptSet struct {
	bits uint64
	vals []keptVal
}

type keptVal struct {
	i   uint
	raw json.RawMessage
}

// Keep turns the failed typed read of property i, which started at m, into
// a kept value when the value is well-formed JSON (see jsonscan Recover).
// It reports whether it did; the caller then resets the typed field.
func (k *Kept) Keep(d *Decoder, m jsonscan.Mark, i uint) bool {
	raw, ok := d.Recover(m)
	if !ok {
		return false
	}
	if k.p == nil {
		k.p = &keptSet{}
	}
	k.p.bits |= 1 << i
	k.p.vals = append(k.p.vals, keptVal{i, raw})
	return true
}

// Has reports whether property i holds a kept value.
func (k Kept) Has(i uint) bool { return k.p != nil && k.p.bits&(1<<i) != 0 }

// Raw returns the kept value of property i, or nil.
func (k Kept) Raw(i uint) json.RawMessage {
	if k.p == nil {
		return nil
	}
	for _, v := range k.p.vals {
		if v.i == i {
			return v.raw
		}
	}
	return nil
}

// Append appends the kept value of property i.
func (k Kept) Append(b []byte, i uint) []byte { return append(b, k.Raw(i)...) }

// Unset clears property index i.
func (p *Presence) Unset(i uint) { *p &^= 1 << i }

// Drop forgets the kept value of property i (a value set in Go replaces it).
func (k Kept) Drop(i uint) {
	if k.p != nil {
		k.p.bits &^= 1 << i
	}
}
