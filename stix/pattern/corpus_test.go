package pattern

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// corpusPatterns returns every STIX pattern of an indicator found anywhere
// in the JSON files of the shared corpus (pattern_type "stix", or absent as
// in STIX 2.0), with the file it came from.
func corpusPatterns(tb testing.TB) map[string]string {
	tb.Helper()
	root := filepath.Join(testutil.SharedDir(tb), "corpus")
	found := map[string]string{}
	var visit func(v any, file string)
	visit = func(v any, file string) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "indicator" {
				pt, hasPT := v["pattern_type"].(string)
				if s, ok := v["pattern"].(string); ok && (!hasPT || pt == "stix") {
					found[s] = file
				}
			}
			for _, x := range v {
				visit(x, file)
			}
		case []any:
			for _, x := range v {
				visit(x, file)
			}
		}
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var v any
		if json.Unmarshal(data, &v) != nil {
			return nil // not our concern here
		}
		rel, _ := filepath.Rel(root, path)
		visit(v, rel)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return found
}

func TestCorpusPatterns(t *testing.T) {
	pats := corpusPatterns(t)
	if len(pats) < 40 {
		t.Fatalf("found only %d distinct indicator patterns in the corpus; expected about 50", len(pats))
	}
	for s, file := range pats {
		p, err := Parse(s)
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", file, s, err)
			continue
		}
		assertRoundTrip(t, s, p)
		// The corpus uses only standard SCO types and properties, so the
		// default checks must pass too.
		if errs := Check(p, CheckOptions{}); len(errs) > 0 {
			t.Errorf("%s: Check(%q): %v", file, s, errs)
		}
	}
	t.Logf("%d distinct corpus patterns parse, round-trip and pass Check", len(pats))
}

type vector struct {
	Name     string          `json:"name"`
	Kind     string          `json:"kind"`
	Input    json.RawMessage `json:"input"`
	Expected json.RawMessage `json:"expected"`
}

// TestConformanceVectors runs the pattern-related vectors of the Python
// stix2 conformance set: an indicator whose error names 'pattern' as the
// invalid value must have a pattern that fails here, and every other STIX
// indicator pattern in the vectors (serialize vectors and errors about
// other properties) must parse.
func TestConformanceVectors(t *testing.T) {
	data, err := os.ReadFile(testutil.SharedFile(t, "conformance/stix2-python/vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var rejected, accepted int
	for _, v := range doc.Vectors {
		var in struct {
			JSON map[string]any `json:"json"`
		}
		if json.Unmarshal(v.Input, &in) != nil || in.JSON == nil || in.JSON["type"] != "indicator" {
			continue
		}
		s, ok := in.JSON["pattern"].(string)
		if pt, _ := in.JSON["pattern_type"].(string); !ok || (pt != "stix" && pt != "") {
			continue
		}
		var exp struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(v.Expected, &exp)
		patternError := v.Kind == "error" && strings.Contains(exp.Message, "'pattern'")
		_, err := Parse(s)
		switch {
		case patternError && err == nil:
			t.Errorf("%s: pattern %q must be rejected (%s)", v.Name, s, exp.Message)
		case patternError:
			rejected++
		case err != nil:
			t.Errorf("%s: pattern %q must parse: %v", v.Name, s, err)
		default:
			accepted++
		}
	}
	t.Logf("vectors: %d invalid patterns rejected, %d valid patterns accepted", rejected, accepted)
	if accepted == 0 {
		t.Error("no indicator pattern found in the vectors")
	}
}
