package jsonscan

import "encoding/json"

// DecodeAny decodes one JSON document into the generic form encoding/json
// gives with UseNumber: map[string]any, []any, string, json.Number, bool
// and nil (the form gojsonschema validates). A repeated member keeps its
// last value, as with encoding/json; unlike encoding/json, invalid UTF-8
// and unpaired surrogates are errors rather than replaced by U+FFFD.
func DecodeAny(data []byte, lim Limits) (any, error) {
	d := NewDecoder(data, lim)
	v := d.Any()
	d.ExpectEnd()
	if err := d.Err(); err != nil {
		return nil, err
	}
	return v, nil
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
			k := string(key)
			m[k] = d.Any()
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
		return json.Number(d.NumberLiteral())
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
