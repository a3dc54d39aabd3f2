package jsonscan

import "encoding/json"

// DecodeAny decodes one JSON document into the generic form encoding/json
// gives with UseNumber: map[string]any, []any, string, json.Number, bool
// and nil (the form gojsonschema validates). A repeated member keeps its
// last value, as with encoding/json; unlike encoding/json, invalid UTF-8
// and unpaired surrogates are errors rather than replaced by U+FFFD.
func DecodeAny(data []byte, lim Limits) (any, error) {
	v, _, err := DecodeAnyNoted(data, lim, nil)
	return v, err
}

// Notes says what DecodeAnyNoted met in a document beyond its value.
type Notes struct {
	// Repeated: some object repeats a member name (the generic form keeps
	// the last value).
	Repeated bool
	// NonInteger: some number is not an integer of at most 18 digits
	// (it has a fraction or an exponent, or is longer).
	NonInteger bool
}

// DecodeAnyNoted is DecodeAny that also returns Notes. Member names come
// from keys (nil: none kept).
func DecodeAnyNoted(data []byte, lim Limits, keys *Keys) (v any, notes Notes, err error) {
	d := NewDecoder(data, lim)
	d.keys = keys
	v = d.Any()
	d.ExpectEnd()
	if err := d.Err(); err != nil {
		return nil, Notes{}, err
	}
	return v, d.notes, nil
}

// Any reads one value in the generic form of DecodeAny.
func (d *Decoder) Any() any {
	switch d.Peek() {
	case '{':
		if !d.BeginObject() {
			return nil
		}
		m := make(map[string]any, 8)
		var key []byte
		for d.NextMember(&key) {
			k := d.keys.get(key)
			n := len(m)
			m[k] = d.Any()
			if len(m) == n {
				d.notes.Repeated = true
			}
		}
		return m
	case '[':
		if !d.BeginArray() {
			return nil
		}
		l := make([]any, 0, 4)
		i := -1
		for d.NextElement(&i) {
			l = append(l, d.Any())
		}
		return l
	case '"':
		return d.String()
	case '0':
		n := d.NumberLiteral()
		if !d.notes.NonInteger && !plainInteger(n) {
			d.notes.NonInteger = true
		}
		return json.Number(n)
	case 't', 'f':
		return d.Bool()
	case 'n':
		d.IsNull()
		return nil
	default:
		d.Skip() // records the syntax error
		return nil
	}
}

// Keys hands out member names decoded before, so that a run of similar
// documents (the objects of a bundle) does not make a new string for every
// member name. It keeps at most maxKeys names of at most maxKeyBytes bytes.
// A Keys is not safe for concurrent use; the zero value is ready.
type Keys struct {
	m map[string]string
}

const (
	maxKeys     = 4096
	maxKeyBytes = 64
)

func (k *Keys) get(b []byte) string {
	if k == nil {
		return string(b)
	}
	if s, ok := k.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(b) <= maxKeyBytes && len(k.m) < maxKeys {
		if k.m == nil {
			k.m = make(map[string]string, 256)
		}
		k.m[s] = s
	}
	return s
}

// plainInteger reports an integer literal of at most 18 digits (it fits
// in an int64).
func plainInteger(n []byte) bool {
	digits := n
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}
