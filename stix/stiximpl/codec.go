package stiximpl

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/internal/stixid"
)

// Codec is implemented by every generated type (and the stix types that
// generated code nests): a one-pass decoder over a Decoder and an appending
// canonical encoder.
type Codec interface {
	DecodeSTIX(d *Decoder)
	AppendSTIX(b []byte) []byte
}

// AppendKey writes the separator (unless the object that started at
// b[start] is still empty) and the quoted key with its colon.
func AppendKey(b []byte, start int, key string) []byte {
	if len(b) > start+1 {
		b = append(b, ',')
	}
	b = AppendString(b, key)
	return append(b, ':')
}

// AppendKeyLit is AppendKey for a key already written as `"name":`.
func AppendKeyLit(b []byte, start int, quotedKeyColon string) []byte {
	if len(b) > start+1 {
		b = append(b, ',')
	}
	return append(b, quotedKeyColon...)
}

// AppendString writes s as a JSON string in canonical form: UTF-8, only
// '"', '\\' and control characters escaped (short forms where JSON has
// them); invalid UTF-8 becomes U+FFFD.
func AppendString(b []byte, s string) []byte { return jsonscan.AppendString(b, s) }

// AppendRaw appends raw JSON (null when empty).
func AppendRaw(b []byte, raw json.RawMessage) []byte {
	if len(raw) == 0 {
		return append(b, "null"...)
	}
	return append(b, raw...)
}

// AppendBool appends true or false.
func AppendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// AppendInt appends an integer.
func AppendInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

// AppendFloat writes the shortest representation that reads back as v;
// integral values are written without a fraction (48, not 48.0), which is the
// same JSON value. NaN and infinities, which JSON cannot hold, become null.
func AppendFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// AppendStrings appends a JSON array of strings.
func AppendStrings[T ~string](b []byte, v []T) []byte {
	b = append(b, '[')
	for i, s := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, string(s))
	}
	return append(b, ']')
}

// AppendList writes a list of generated structs.
func AppendList[T any, P interface {
	*T
	Codec
}](b []byte, v []T) []byte {
	b = append(b, '[')
	for i := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = P(&v[i]).AppendSTIX(b)
	}
	return append(b, ']')
}

// AppendQuoted appends the quoted text a value formats itself as with
// AppendFormat (timestamps).
func AppendQuoted[T interface{ AppendFormat([]byte) []byte }](b []byte, v T) []byte {
	b = append(b, '"')
	b = v.AppendFormat(b)
	return append(b, '"')
}

// DecodeString reads a string into a string type.
func DecodeString[T ~string](d *Decoder) T { return T(d.String()) }

// DecodeStrings reads an array of strings (non-nil when present).
func DecodeStrings[T ~string](d *Decoder) []T {
	if !d.BeginArray() {
		return nil
	}
	out := make([]T, 0, 2)
	i := -1
	for d.NextElement(&i) {
		out = append(out, T(d.String()))
	}
	return out
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

// DecodeList reads an array of generated structs.
func DecodeList[T any, P interface {
	*T
	Codec
}](d *Decoder) []T {
	if !d.BeginArray() {
		return nil
	}
	out := make([]T, 0, 1)
	i := -1
	for d.NextElement(&i) {
		var v T
		P(&v).DecodeSTIX(d)
		out = append(out, v)
	}
	return out
}

// DecodePtr reads one generated struct.
func DecodePtr[T any, P interface {
	*T
	Codec
}](d *Decoder) *T {
	v := new(T)
	P(v).DecodeSTIX(d)
	return v
}

// DecodeInto reads a value whose pointer is a Codec (dictionaries).
func DecodeInto[T any, P interface {
	*T
	Codec
}](d *Decoder) T {
	var v T
	P(&v).DecodeSTIX(d)
	return v
}

// DecodeRaw reads any value as compact raw JSON.
func DecodeRaw(d *Decoder) json.RawMessage { return d.Raw() }

// DecodeType checks the "type" member against the expected type.
func DecodeType(d *Decoder, want string) {
	off := d.Offset()
	if got := d.String(); !d.Failed() && got != want {
		d.FailAt(off, "type must be \""+want+"\", not \""+got+"\"")
	}
}

// Presence records which properties were given, so that zero values read
// from input (confidence 0, description "", revoked false) are written back.
type Presence uint64

// Mark records property i as read, failing on a duplicate.
func (p *Presence) Mark(d *Decoder, i uint) {
	if *p&(1<<i) != 0 {
		d.Fail("duplicate property")
		return
	}
	*p |= 1 << i
}

// Set marks property index i as present.
func (p *Presence) Set(i uint) { *p |= 1 << i }

// Unset clears property index i.
func (p *Presence) Unset(i uint) { *p &^= 1 << i }

// Has reports whether property i was read or marked present.
func (p Presence) Has(i uint) bool { return p&(1<<i) != 0 }

// decodedBit marks values filled by a decoder: their required scalar
// properties are written only when they were read (lossless round trip of
// STIX 2.0 content), while values built in Go always write them.
const decodedBit = 63

// SetDecoded records that the value was filled by a decoder.
func (p *Presence) SetDecoded() { *p |= 1 << decodedBit }

// Decoded reports whether the value was filled by a decoder.
func (p Presence) Decoded() bool { return p.Has(decodedBit) }

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
// a kept value when the value is well-formed JSON, and reports whether it
// did; the caller then resets the typed field. Malformed JSON, exceeded
// limits and errors met before m stay errors.
func (k *Kept) Keep(d *Decoder, m Mark, i uint) bool {
	raw, ok := d.s().Recover(m.m)
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
	if !k.Has(i) {
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

// Drop forgets the kept value of property i (a value set in Go replaces
// it). Copies of the value made before keep theirs.
func (k *Kept) Drop(i uint) {
	if !k.Has(i) {
		return
	}
	n := &keptSet{bits: k.p.bits &^ (1 << i)}
	for _, v := range k.p.vals {
		if v.i != i {
			n.vals = append(n.vals, v)
		}
	}
	k.p = n
}

// DecodeID reads and checks an identifier (<type>--<uuid>).
func DecodeID[T ~string](d *Decoder) T {
	off := d.Offset()
	s := d.String()
	if d.Failed() {
		return ""
	}
	if p := stixid.Problem(s); p != "" {
		d.FailAt(off, "invalid identifier "+strconv.Quote(s)+": "+p)
	}
	return T(s)
}

// DecodeIDs reads an array of identifiers.
func DecodeIDs[T ~string](d *Decoder) []T {
	if !d.BeginArray() {
		return nil
	}
	out := make([]T, 0, 2)
	i := -1
	for d.NextElement(&i) {
		out = append(out, DecodeID[T](d))
	}
	return out
}
