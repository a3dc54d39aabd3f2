package validate

import "github.com/stixkit/stixkit/internal/jsonscan"

// decodeValue decodes one JSON value into the form encoding/json gives with
// UseNumber (map[string]any, []any, string, json.Number, bool, nil), the
// form the schema layer validates.
func decodeValue(raw []byte) (any, error) {
	return jsonscan.DecodeAny(raw, jsonscan.Limits{MaxDepth: 10000})
}
