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

// brokenVariants derives from a valid pattern variants that no STIX
// pattern grammar accepts, whatever the pattern: the last byte dropped (a
// closing bracket, a qualifier keyword's last letter or a timestamp's
// closing quote), the first byte dropped (an opening bracket or
// parenthesis, leaving the other unbalanced), a dangling AND, a doubled
// opening bracket, and an unterminated string.
func brokenVariants(s string) map[string]string {
	v := map[string]string{
		"last byte dropped":   s[:len(s)-1],
		"first byte dropped":  s[1:],
		"dangling AND":        s + " AND",
		"doubled [":           "[" + s,
		"unterminated string": s[:len(s)-1] + " = 'x]",
	}
	return v
}

// TestConformanceVectors runs the pattern-related vectors of the Python
// stix2 conformance set. Acceptance: every STIX indicator pattern of the
// vectors (serialize vectors and errors about other properties) must
// parse. Rejection: an indicator whose error names 'pattern' as the
// invalid value must fail here; the current vectors hold none, so the
// rejection half also checks, for each vector pattern, variants that no
// pattern grammar accepts (brokenVariants): each must be rejected with an
// error, never a panic.
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
	var rejected, accepted, broken int
	kinds := map[string]int{}
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
			for kind, b := range brokenVariants(s) {
				if _, err := Parse(b); err == nil {
					t.Errorf("%s: %s: %q must be rejected", v.Name, kind, b)
				} else {
					broken++
					kinds[kind]++
				}
			}
		}
	}
	t.Logf("vectors: %d invalid patterns rejected, %d valid patterns accepted, %d broken variants rejected", rejected, accepted, broken)
	if accepted == 0 {
		t.Error("no indicator pattern found in the vectors")
	}
	if rejected+broken == 0 || len(kinds) != len(brokenVariants("[a:b = 1]")) {
		t.Errorf("the rejection half checked nothing: %d vector rejections, broken variants %v", rejected, kinds)
	}
}

// TestCorpusPatternsBroken: the broken variants of every corpus pattern are
// rejected too (real patterns with qualifiers, START/STOP, nested
// parentheses).
func TestCorpusPatternsBroken(t *testing.T) {
	pats := corpusPatterns(t)
	n := 0
	for s, file := range pats {
		for kind, b := range brokenVariants(s) {
			if _, err := Parse(b); err == nil {
				t.Errorf("%s: %s: %q must be rejected", file, kind, b)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no corpus pattern")
	}
}
