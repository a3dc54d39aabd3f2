package schemas

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestFastCompileUnsupported: a schema that uses a keyword the fast path
// does not implement, directly or through a $ref (in a cycle too), gets no
// fast check; the others keep theirs.
func TestFastCompileUnsupported(t *testing.T) {
	files := []schemaFile{
		{path: "sdos/a.json", data: []byte(`{"type":"object","properties":{"b":{"$ref":"../common/b.json"}}}`)},
		{path: "common/b.json", data: []byte(`{"type":"object","properties":{"a":{"$ref":"../sdos/a.json"},"u":{"type":"array","uniqueItems":true}}}`)},
		{path: "sdos/c.json", data: []byte(`{"type":"object","required":["x"],"properties":{"x":{"type":"string","pattern":"^x"}}}`)},
		{path: "sdos/d.json", data: []byte(`{"type":"object","properties":{"self":{"$ref":"../sdos/d.json"}}}`)},
	}
	c, err := newFastCompiler(files)
	if err != nil {
		t.Fatal(err)
	}
	got := c.files([]string{"sdos/a.json", "common/b.json", "sdos/c.json", "sdos/d.json"})
	if got[0] != nil || got[1] != nil {
		t.Errorf("a and b use uniqueItems: want no fast check, got %v %v", got[0], got[1])
	}
	if got[2] == nil || got[3] == nil {
		t.Fatalf("c and d should compile: %v %v", got[2], got[3])
	}
	if r := got[2].check(map[string]any{"x": "xy"}); r != vYes {
		t.Errorf("c on a valid object: %v", r)
	}
	if r := got[2].check(map[string]any{"x": "yx"}); r != vNo {
		t.Errorf("c on a pattern mismatch: %v", r)
	}
	if r := got[3].check(map[string]any{"self": map[string]any{"self": "s"}}); r != vNo {
		t.Errorf("d (recursive) on a string where an object is due: %v", r)
	}
}

// patternSamples are strings around the forms of patternFuncs: every
// string of up to 4 characters over a small alphabet, and identifiers with
// each character replaced, removed or doubled.
func patternSamples() []string {
	alpha := []byte{'a', 'z', 'i', 'd', '0', '9', '_', '-', 'A', 'F', '8', 'x', '.', 0xc3}
	out := []string{""}
	level := []string{""}
	for n := 1; n <= 4; n++ {
		var next []string
		for _, p := range level {
			for _, c := range alpha {
				next = append(next, p+string(c))
			}
		}
		out = append(out, next...)
		level = next
	}
	ids := []string{"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "x-mitre-tactic--8E2E2D2B-17D4-4CBF-B38F-98EE46B3CD3F",
		"x-mitre-data-component", "attack-pattern", "a-b-c", "subtechnique-of", "r2-d2",
		"a--00000000-0000-0000-a000-000000000000", "ipv4-addr--ff2e2d2b-17d4-5cbf-938f-98ee46b3cd3f", "id", "x_mitre_version", "abc",
		"2019-10-02T13:33:05.123Z", "2000-01-31T23:59:60Z", "2023-12-09T00:00:00.1Z", "1999-10-19T20:09:59.000456Z"}
	alpha = append(alpha, 'b', 'B', 'g', 'G', '\n', 'T', 'Z', ':', '1', '2', '3', '4', '5', '6', '7')
	for _, id := range ids {
		out = append(out, id, id+"\n", "\n"+id, id+"-", id[1:], id[:len(id)-1])
		for i := 0; i < len(id); i++ {
			out = append(out, id[:i]+id[i+1:], id[:i]+id[i:i+1]+id[i:])
			for _, c := range alpha {
				out = append(out, id[:i]+string(c)+id[i+1:], id[:i]+string(c)+id[i:])
			}
		}
	}
	return out
}

// TestPatternFuncs: the hand-written pattern matchers agree with the
// regular expressions they replace.
func TestPatternFuncs(t *testing.T) {
	samples := patternSamples()
	used := map[string]bool{}
	files, err := readSchemas(embedded, BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		for pat := range patternFuncs {
			q, _ := json.Marshal(pat)
			if bytes.Contains(f.data, q) {
				used[pat] = true
			}
		}
	}
	for pat, fn := range patternFuncs {
		if !used[pat] {
			t.Errorf("%s is in no embedded schema", pat)
		}
		re := regexp.MustCompile(pat)
		matched := 0
		for _, s := range samples {
			want := re.MatchString(s)
			if got := fn(s); got != want {
				t.Errorf("%s on %q: %v, the regexp says %v", pat, s, got, want)
			}
			if want {
				matched++
			}
		}
		if matched < 10 {
			t.Errorf("%s: only %d samples match: the comparison proves little", pat, matched)
		}
	}
}

// embeddedPatterns returns every "pattern" of the embedded schemas.
func embeddedPatterns(t testing.TB) []string {
	files, err := readSchemas(embedded, BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if p, ok := e.(string); ok && k == "pattern" && !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	for _, f := range files {
		var doc any
		if err := json.Unmarshal(f.data, &doc); err != nil {
			t.Fatal(err)
		}
		walk(doc)
	}
	return out
}

// TestPrefixMatchers: the patterns that only say "starts with" get a
// matcher of their own, which agrees with the regular expression; the
// others get none.
func TestPrefixMatchers(t *testing.T) {
	samples := patternSamples()
	n := 0
	for _, pat := range embeddedPatterns(t) {
		fn := prefixMatcher(pat)
		if fn == nil {
			continue
		}
		n++
		re := regexp.MustCompile(pat)
		lit, _ := re.LiteralPrefix()
		if lit == "" {
			lit = strings.Trim(strings.NewReplacer("^", "", "(", "", ")", "").Replace(pat), "$")
		}
		own := []string{lit, lit + "x", lit[:len(lit)-1], "x" + lit, strings.ToUpper(lit), lit + "\xff", "\n" + lit}
		matched := 0
		for _, s := range append(own, samples...) {
			want := re.MatchString(s)
			if got := fn(s); got != want {
				t.Errorf("%s on %q: %v, the regexp says %v", pat, s, got, want)
			}
			if want {
				matched++
			}
		}
		if matched == 0 {
			t.Errorf("%s: no sample matches", pat)
		}
	}
	if n < 10 {
		t.Errorf("only %d prefix patterns in the embedded schemas", n)
	}
	for _, pat := range []string{`^a--`, `^(ab)--`, `^ab$`, `^a+--`, `a--`, `^(?i)ab`, `^ab|^cd`, `^é--`, `^[a]--`} {
		got := prefixMatcher(pat) != nil
		want := pat == `^a--` || pat == `^(ab)--` || pat == `^[a]--`
		if got != want {
			t.Errorf("prefixMatcher(%s): %v, want %v", pat, got, want)
		}
	}
}

// FuzzPatternFuncs looks for strings on which a hand-written matcher and
// its regular expression disagree (the prefix matchers too).
func FuzzPatternFuncs(f *testing.F) {
	for _, s := range patternSamples()[:200] {
		f.Add(s)
	}
	f.Add("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")
	f.Add("x_mitre_version")
	res := map[string]*regexp.Regexp{}
	funcs := map[string]func(string) bool{}
	for pat, fn := range patternFuncs {
		res[pat], funcs[pat] = regexp.MustCompile(pat), fn
	}
	for _, pat := range embeddedPatterns(f) {
		if fn := prefixMatcher(pat); fn != nil {
			res[pat], funcs[pat] = regexp.MustCompile(pat), fn
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		for pat, fn := range funcs {
			if got, want := fn(s), res[pat].MatchString(s); got != want {
				t.Errorf("%s on %q: %v, the regexp says %v", pat, s, got, want)
			}
		}
	})
}

// TestEmbeddedSchemasCompile compiles the gojsonschema form of every
// embedded schema, which New leaves for first use.
func TestEmbeddedSchemasCompile(t *testing.T) {
	v, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]*lazySchema{"core": v.core, "cyber-observable-core": v.scoCore}
	for typ, l := range v.types {
		all[typ] = l
	}
	if len(all) < 40 {
		t.Fatalf("only %d embedded schemas", len(all))
	}
	for typ, l := range all {
		if s, err := l.schema(); err != nil || s == nil {
			t.Errorf("%s: %v", typ, err)
		}
		if l.fast == nil {
			t.Errorf("%s: no fast check", typ)
		}
	}
}
