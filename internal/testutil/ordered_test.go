package testutil

import (
	"strings"
	"testing"
)

func TestJSONDiffOrdered(t *testing.T) {
	for _, c := range []struct {
		a, b, want string // want: "" equal, else a substring of the diff
	}{
		{`{"a":1,"b":[1,2,{"c":"x"}]}`, ` { "a" : 1.0 , "b" : [1, 2e0, {"c": "x"}] } `, ""},
		{`{"a":1,"b":2}`, `{"b":2,"a":1}`, `member 0 is "b", want "a"`},
		{`{"a":{"x":1,"y":2}}`, `{"a":{"y":2,"x":1}}`, `/a: member 0 is "y"`},
		{`{"a":1}`, `{"a":1,"b":2}`, "/b: added"},
		{`{"a":1,"b":2}`, `{"a":1}`, "/b: lost"},
		{`[1,2]`, `[2,1]`, "/0: 1 != 2"},
		{`[1,2]`, `[1,2,3]`, "array of 2 != array of 3"},
		{`{"a":"1"}`, `{"a":1}`, "/a:"},
		{`{"a":null}`, `{"a":false}`, "/a:"},
		{`{"a":1e400}`, `{"a":1E+400}`, ""},
		{`{"a":0.1}`, `{"a":0.10000000000000001}`, "/a: 0.1 != 0.10000000000000001"},
		{`{}`, `{} x`, "right:"},
		{`{`, `{}`, "left:"},
	} {
		got := JSONDiffOrdered([]byte(c.a), []byte(c.b))
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s vs %s: %q, want %q", c.a, c.b, got, c.want)
		}
	}
	// JSONDiff, order-blind, sees no difference where JSONDiffOrdered does.
	if JSONDiff([]byte(`{"a":1,"b":2}`), []byte(`{"b":2,"a":1}`)) != "" {
		t.Error("JSONDiff became order-aware")
	}
}
