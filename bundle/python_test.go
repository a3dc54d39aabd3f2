package bundle_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

type vector struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Input struct {
		JSON        json.RawMessage `json:"json"`
		AllowCustom *bool           `json:"allow_custom"`
		Options     map[string]any  `json:"options"`
		NewVersion  json.RawMessage `json:"new_version"`
	} `json:"input"`
	Expected json.RawMessage `json:"expected"`
}

func loadVectors(t *testing.T) []vector {
	data, err := os.ReadFile(testutil.SharedFile(t, "conformance/stix2-python/vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vf struct{ Vectors []vector }
	if err := json.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	return vf.Vectors
}

// TestPythonSerializeVectors checks every serialize vector with default or
// pretty options: our Python styles must give the expected bytes exactly.
func TestPythonSerializeVectors(t *testing.T) {
	n := 0
	for _, v := range loadVectors(t) {
		if v.Kind != "serialize" {
			continue
		}
		pretty := false
		other := false
		for k, val := range v.Input.Options {
			if k == "pretty" {
				pretty = val == true
			} else {
				other = true
			}
		}
		if other || len(v.Input.NewVersion) > 0 {
			continue
		}
		n++
		var want string
		if err := json.Unmarshal(v.Expected, &want); err != nil {
			// meta/tlp-constants: the four TLP 1.0 constants
			var wants []string
			if json.Unmarshal(v.Expected, &wants) != nil || len(wants) != 4 {
				t.Fatalf("%s: unexpected expected value", v.Name)
			}
			for i, m := range []*stix.MarkingDefinition{stix.TLPWhite, stix.TLPGreen, stix.TLPAmber, stix.TLPRed} {
				if got, _ := bundle.Marshal(m, bundle.Python); string(got) != wants[i] {
					t.Errorf("%s %d:\n got  %s\n want %s", v.Name, i, got, wants[i])
				}
			}
			continue
		}
		// From raw JSON, as stixkit fmt --style python does.
		got, err := bundle.FormatPython(v.Input.JSON, pretty)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		if string(got) != want {
			t.Errorf("%s:\n got  %s\n want %s", v.Name, got, want)
		}
		// From the typed model, when it accepts the input (it refuses
		// loosely typed values such as "42" for an integer).
		obj, err := stix.Parse(v.Input.JSON)
		if err != nil {
			continue
		}
		style := bundle.Python
		if pretty {
			style = bundle.PythonPretty
		}
		if got, err := bundle.Marshal(obj, style); err != nil || string(got) != want {
			t.Errorf("%s (typed): %v\n got  %s\n want %s", v.Name, err, got, want)
		}
	}
	if n < 90 {
		t.Fatalf("only %d serialize vectors", n)
	}
}
