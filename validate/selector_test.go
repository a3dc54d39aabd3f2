package validate_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
	"github.com/stixkit/stixkit/validate"
)

// TestSelectorSameVerdicts: one table of granular-marking selectors, run
// against every entry point of the one selector rule (stix.ResolveSelector,
// stix.SelectorResolves, stix.AddGranularMarking, bundle.Builder.Build and
// validate's must-selector check); all must give the table's verdict.
func TestSelectorSameVerdicts(t *testing.T) {
	const body = `"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",` +
		`"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",` +
		`"name":"n","description":"d","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z",` +
		`"labels":["a","b"],"external_references":[{"source_name":"s","url":"https://example.com/","hashes":{"SHA-256":"ab"}}],` +
		`"x_acme_data":{"list":[{"k":"v"},[0,1]],"dict":{"inner":null}},"x_acme_list":[[1,[2]]]`
	for _, tc := range []struct {
		sel string
		ok  bool
	}{
		{"name", true},
		{"", false},
		{"description", true},
		{"id", true},
		{"labels", true},
		{"labels.[0]", true},
		{"labels.[1]", true},
		{"labels.[2]", false},           // out of range
		{"labels.[01]", true},           // leading zero: still index 1
		{"labels.[+1]", false},          // only digits
		{"labels.[-1]", false},          // negative
		{"labels.[]", false},            // no index
		{"labels.[99999999999]", false}, // beyond any list
		{"labels.0", false},             // an index needs brackets
		{"nope", false},                 // missing property
		{"name.x", false},               // a string has no properties
		{"external_references.[0].url", true},
		{"external_references.[0].hashes.SHA-256", true},
		{"external_references.[0].hashes.MD5", false},
		{"external_references.[1].url", false},
		{"external_references.url", false}, // a list is not a dictionary
		{"x_acme_data", true},              // custom property
		{"x_acme_data.list.[0].k", true},   // nested list/dict
		{"x_acme_data.list.[1].[1]", true}, // list in a list
		{"x_acme_data.list.[1].[2]", false},
		{"x_acme_data.dict.inner", true}, // null is a value
		{"x_acme_data.dict.inner.x", false},
		{"x_acme_list.[0].[1].[0]", true},
		{"x_acme_missing", false},
		{"description.", false}, // empty step
		{".description", false},
		{"labels..[0]", false},
	} {
		sel, _ := json.Marshal(tc.sel)
		obj := `{` + body + `,"granular_markings":[{"marking_ref":"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed","selectors":[` + string(sel) + `]}]}`

		err := stix.ResolveSelector(json.RawMessage(obj), tc.sel)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, stix.ErrSelector)) {
			t.Errorf("%q: stix.ResolveSelector: %v, want ok=%v", tc.sel, err, tc.ok)
		}
		parsed, perr := stix.ParseObject([]byte(obj))
		ind, isInd := parsed.(*stix.Indicator)
		if perr != nil || !isInd {
			t.Fatalf("%q: parse: %T %v", tc.sel, parsed, perr)
		}
		if got := stix.SelectorResolves(ind, tc.sel); got != tc.ok {
			t.Errorf("%q: stix.SelectorResolves = %v, want %v", tc.sel, got, tc.ok)
		}
		if _, err := stix.AddGranularMarking(ind, stix.TLPRedID, tc.sel); (err == nil) != tc.ok {
			t.Errorf("%q: stix.AddGranularMarking: %v, want ok=%v", tc.sel, err, tc.ok)
		}
		_, err = bundle.NewBuilder(bundle.BuilderOptions{}).Add(ind).Build()
		if (err == nil) != tc.ok || (err != nil && !strings.Contains(err.Error(), "granular_markings: selector "+string(sel)+" does not resolve")) {
			t.Errorf("%q: bundle.Builder.Build: %v, want ok=%v", tc.sel, err, tc.ok)
		}
		rep, err := validate.Bytes(context.Background(), []byte(obj), validate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var sf *validate.Finding
		for _, f := range rep.Errors {
			if f.Code == validate.CodeSelector {
				sf = f
			}
		}
		if (sf == nil) != tc.ok {
			t.Errorf("%q: validate must-selector finding %v, want ok=%v", tc.sel, sf, tc.ok)
		} else if sf != nil && (sf.Pointer != "/granular_markings/0/selectors/0" || !strings.Contains(sf.Message, string(sel))) {
			t.Errorf("%q: validate finding %s", tc.sel, sf.Error())
		}
	}
}
