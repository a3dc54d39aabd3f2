package helper

import (
	"testing"

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
