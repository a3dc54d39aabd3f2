package validate

import "github.com/stixkit/stixkit/internal/jsonscan"

// decodeValue decodes one JSON value into the form encoding/json gives with
// UseNumber (map[string]any, []any, string, json.Number, bool, nil), the
// form the schema layer validates, with what the typed decoding may read
// otherwise (see jsonscan.Notes). Member names come from keys, one per
// worker.
func decodeValue(raw []byte, keys *jsonscan.Keys) (v any, notes jsonscan.Notes, err error) {
	return jsonscan.DecodeAnyNoted(raw, jsonscan.Limits{MaxDepth: 10000}, keys)
}
