package pattern

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that errors are well-formed
// *SyntaxErrors pointing inside the input, that accepted patterns round
// trip through String, and that Check and Walk run on them.
//
//	go test -run '^$' -fuzz FuzzParse ./stix/pattern
func FuzzParse(f *testing.F) {
	for _, tc := range validPatterns {
		f.Add(tc.in)
	}
	for _, tc := range invalidPatterns {
		f.Add(tc.in)
	}
	// Crashers found earlier live in testdata/fuzz/FuzzParse and are run
	// by plain "go test" as well.
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseWithOptions(s, ParseOptions{MaxBytes: 4096, MaxDepth: 20})
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %T is not a *SyntaxError", s, err)
			}
			if se.Offset < 0 || se.Offset > len(s) || se.Line < 1 || se.Column < 1 || se.Msg == "" {
				t.Fatalf("Parse(%q): bad error position %+v", s, se)
			}
			if !utf8.ValidString(se.Msg) {
				t.Fatalf("Parse(%q): message is not UTF-8: %q", s, se.Msg)
			}
			return
		}
		out := p.String()
		p2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its String %q does not parse: %v", s, out, err)
		}
		if out2 := p2.String(); out2 != out {
			t.Fatalf("round trip of %q: %q then %q", s, out, out2)
		}
		_ = Check(p, CheckOptions{})
		n := 0
		Walk(p, func(c *Comparison) bool {
			n++
			_ = c.Path.String()
			if c.Op != OpExists && c.Op != OpIn && c.Value.Kind == 0 {
				t.Fatalf("Parse(%q): comparison %s has no value", s, c)
			}
			return true
		})
		if n == 0 {
			t.Fatalf("Parse(%q): no comparison", s)
		}
	})
}

// TestFuzzSeedsDir makes sure the seed corpus directory stays in place.
func TestFuzzSeedsDir(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "fuzz", "FuzzParse"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzParse", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "go test fuzz v1\n") {
			t.Errorf("%s is not a fuzz corpus file", e.Name())
		}
	}
}
