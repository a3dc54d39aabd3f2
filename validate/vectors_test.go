package validate_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
	"github.com/stixkit/stixkit/validate"
)

// TestPythonErrorVectors checks that every input the Python stix2 library
// rejects is rejected by stixkit, and by which layer:
//   - validate (the default: schema, MUST rules, bundle checks);
//   - the parser with DisallowCustom (the library's allow_custom=False):
//     custom content is valid STIX, and real feeds (ATT&CK) are full of
//     it, so validate only warns about it ({101}/{401});
//   - stix.NewVersionProps for the new_version vectors, whose JSON is a
//     valid object.
//
// The table lists the vectors validate alone accepts, with the reason.
func TestPythonErrorVectors(t *testing.T) {
	acceptedByValidate := map[string]string{
		"err/extra-property-no-allow-custom":   "custom property: valid STIX, warning 401; refused with DisallowCustom (stixkit validate --disallow-custom)",
		"err/ref-to-custom-type":               "reference to a custom type: valid STIX; refused with DisallowCustom",
		"err/unknown-type":                     "custom object type: valid STIX, warnings; refused with DisallowCustom",
		"err/bundle-with-spec_version":         "ATT&CK bundles carry spec_version 2.1; refused with DisallowCustom",
		"err/parse-bundle-without-objects-key": "objects is optional in the specification; the Python library's KeyError is a crash, not a rule (OASIS validator: valid)",
		"err/type-wrong-spec_version":          "spec_version 2.0 on an object: the OASIS validator validates it as a 2.0 object; warning 101",
		"err/version-change-created":           "the JSON is valid; the new version is refused by NewVersionProps",
		"err/version-revoked":                  "the JSON is valid; the new version is refused by NewVersionProps",
		"err/version-sco-id-contrib":           "the JSON is valid; the new version is refused by NewVersionProps",
	}
	// Vectors where validate follows the OASIS validator and the
	// specification rather than the Python library, whatever the options.
	oasisParity := map[string]bool{"err/parse-bundle-without-objects-key": true, "err/type-wrong-spec_version": true}
	data, err := os.ReadFile(testutil.SharedFile(t, "conformance/stix2-python/vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vf struct {
		Vectors []struct {
			Name  string
			Kind  string
			Input struct {
				JSON       json.RawMessage `json:"json"`
				NewVersion map[string]any  `json:"new_version"`
			}
		}
	}
	if err := json.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range vf.Vectors {
		if v.Kind != "error" || v.Input.JSON == nil {
			continue
		}
		n++
		rep, err := validate.Bytes(context.Background(), v.Input.JSON, validate.Options{})
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		reason, listed := acceptedByValidate[v.Name]
		if rep.Valid == !listed {
			if listed {
				t.Errorf("%s: listed as accepted (%s) but validate rejects it: update the table", v.Name, reason)
			} else {
				t.Errorf("%s: accepted by validate", v.Name)
			}
		}
		if !listed || oasisParity[v.Name] {
			continue
		}
		if v.Input.NewVersion != nil {
			obj, err := stix.ParseObject(v.Input.JSON)
			if err != nil {
				t.Fatalf("%s: %v", v.Name, err)
			}
			if _, err := stix.NewVersionProps(obj, stix.VersionOptions{}, v.Input.NewVersion); err == nil {
				t.Errorf("%s: new version accepted", v.Name)
			}
			continue
		}
		if _, err := (stix.DecodeOptions{DisallowCustom: true}).Parse(v.Input.JSON); err == nil {
			t.Errorf("%s: accepted by the parser with DisallowCustom", v.Name)
		}
		rep, err = validate.Bytes(context.Background(), v.Input.JSON, validate.Options{DisallowCustom: true})
		if err != nil || rep.Valid {
			t.Errorf("%s: accepted by validate with DisallowCustom (%v)", v.Name, err)
		}
	}
	if n < 30 {
		t.Fatalf("only %d error vectors", n)
	}
}
