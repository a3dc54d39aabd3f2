package helper

import (
	"context"
	"testing"

	"github.com/stixkit/stixkit/helper/internal/wire11"
	"github.com/stixkit/stixkit/internal/pyjson"
)

func mustParse(t testing.TB, s string) pyjson.Value {
	t.Helper()
	v, err := pyjson.Parse([]byte(s), pyjson.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func dumpsValue(v pyjson.Value) []byte { return pyjson.Dumps(v, pyjson.DumpOptions{}) }

// split11 is pycti 1.2.15's split_stix2_bundle on JSON text: the JSON
// text of each piece, in publishing order.
func split11(bundle []byte, newUUID func() string) ([][]byte, error) {
	v, err := parseBundle(bundle)
	if err != nil {
		return nil, err
	}
	pieces, _, err := wire11.Split(context.Background(), v, newUUID, nil)
	return pieces, publicError(err)
}
