package stix

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/stixkit/stixkit/internal/jsonscan"
)

// AppendKey writes the separator (unless the object that started at
// b[start] is still empty) and the quoted key with its colon.
func AppendKey(b []byte, start int, key string) []byte {
	if len(b) > start+1 {
		b = append(b, ',')
	}
	b = AppendString(b, key)
	return append(b, ':')
}

const hexDigits = "0123456789abcdef"

// AppendString writes s as a JSON string in canonical form: UTF-8, only
// '"', '\\' and control characters escaped (short forms where JSON has
// them); invalid UTF-8 becomes U+FFFD.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < 0x80 {
			i++
			continue
		}
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, s[start:i]...)
				b = append(b, "\ufffd"...)
				i++
				start = i
				continue
			}
			i += n
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

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

// AppendTimestamp appends a quoted timestamp.
func AppendTimestamp(b []byte, t Timestamp) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b)
	return append(b, '"')
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

// AppendAny writes any value: generated types, raw JSON, or a value that
// encoding/json can marshal (compacted).
func AppendAny(b []byte, v any) []byte {
	switch x := v.(type) {
	case Codec:
		return x.AppendSTIX(b)
	case json.RawMessage:
		return AppendRaw(b, x)
	case Dict:
		return x.AppendSTIX(b)
	case nil:
		return append(b, "null"...)
	}
	raw, err := marshalCompact(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, raw...)
}

// Decoding helpers used by generated code.

// DecodeString reads a string into a string type.
func DecodeString[T ~string](d *Decoder) T { return T(d.String()) }

// DecodeID reads and checks an identifier.
func DecodeID(d *Decoder) Identifier {
	off := d.Offset()
	s := d.String()
	if d.Failed() {
		return ""
	}
	id := Identifier(s)
	if err := id.Validate(); err != nil {
		d.FailAt(off, err.Error())
	}
	return id
}

// DecodeTimestamp reads and checks a timestamp.
func DecodeTimestamp(d *Decoder) Timestamp {
	off := d.Offset()
	b := d.StringBytes()
	if d.Failed() {
		return Timestamp{}
	}
	t, err := parseTimestamp(b)
	if err != nil {
		d.FailAt(off, err.Error())
	}
	return t
}

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

// DecodeIDs reads an array of identifiers.
func DecodeIDs(d *Decoder) []Identifier {
	if !d.BeginArray() {
		return nil
	}
	out := make([]Identifier, 0, 2)
	i := -1
	for d.NextElement(&i) {
		out = append(out, DecodeID(d))
	}
	return out
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

// DecodeRaw reads any value as compact raw JSON.
func DecodeRaw(d *Decoder) json.RawMessage { return d.Raw() }

// DecodeType checks the "type" member against the expected type.
func DecodeType(d *Decoder, want string) {
	off := d.Offset()
	if got := d.String(); !d.Failed() && got != want {
		d.FailAt(off, "type must be \""+want+"\", not \""+got+"\"")
	}
}

// Unmarshal decodes data into c (a value of a generated type, or a
// Bundle or Generic) in one pass, as Parse does for a registered type. When
// data holds values of the wrong type or form, c is filled, those values
// are kept in it, and the error is a *KeptValuesError.
func Unmarshal(data []byte, c Codec) error {
	d := jsonscan.NewDecoder(data, jsonscan.Limits{})
	c.DecodeSTIX(d)
	d.ExpectEnd()
	if err := d.Err(); err != nil {
		return toParseError(err, data)
	}
	return keptError(d, data, false)
}
