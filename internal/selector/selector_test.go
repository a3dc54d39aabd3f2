package selector

import (
	"encoding/json"
	"testing"
)

// TestResolveFailedStep: Resolve names the first step that does not
// resolve, which the stix errors quote.
func TestResolveFailedStep(t *testing.T) {
	var obj any
	if err := json.Unmarshal([]byte(`{"labels":["a"],"x_d":{"k":[{"v":1}]}}`), &obj); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sel, failed string
		ok          bool
	}{
		{"labels.[0]", "", true},
		{"x_d.k.[0].v", "", true},
		{"labels.[5]", "[5]", false},
		{"x_d.k.[0].w", "w", false},
		{"x_d.nope.v", "nope", false},
		{"labels.[x]", "[x]", false},
		{"labels..[0]", "", false},
		{"", "", false},
	} {
		failed, ok := Resolve(Any, obj, tc.sel)
		if failed != tc.failed || ok != tc.ok {
			t.Errorf("%q: (%q, %v), want (%q, %v)", tc.sel, failed, ok, tc.failed, tc.ok)
		}
	}
}
