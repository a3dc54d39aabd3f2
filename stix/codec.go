package stix

import (
	"encoding/json"

	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/stix/stiximpl"
)

// decoder is the scanner the hand-written decoding reads from; generated
// code reads through its stiximpl.Decoder view.
type decoder = jsonscan.Decoder

// appendAny writes any value: generated types, raw JSON, or a value that
// encoding/json can marshal (compacted).
func appendAny(b []byte, v any) []byte {
	switch x := v.(type) {
	case stiximpl.Codec:
		return x.AppendSTIX(b)
	case json.RawMessage:
		return stiximpl.AppendRaw(b, x)
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

// Unmarshal decodes data into c (a value of a generated type, or a
// Bundle or Generic) in one pass, as Parse does for a registered type. When
// data holds values of the wrong type or form, c is filled, those values
// are kept in it, and the error is a *KeptValuesError.
func Unmarshal(data []byte, c stiximpl.Codec) error {
	d := jsonscan.NewDecoder(data, jsonscan.Limits{})
	c.DecodeSTIX(sd(d))
	d.ExpectEnd()
	if err := d.Err(); err != nil {
		return toParseError(err, data)
	}
	return keptError(d, data, false)
}
