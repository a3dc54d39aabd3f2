package schemas_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/schemas"
)

// fastPathInputs lists every file of the shared corpus (per its
// MANIFEST.tsv) and every invalid fixture of testdata/invalid.
func fastPathInputs(t *testing.T) []string {
	dir, names := testutil.CorpusFiles(t, "")
	var files []string
	for _, name := range names {
		files = append(files, filepath.Join(dir, name))
	}
	fixtures, err := filepath.Glob(filepath.Join(testutil.RootDir(), "testdata", "invalid", "*.json"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	return append(files, fixtures...)
}

// eachObject calls fn with every object of a STIX file (bundle, array or
// single object); it stops quietly at the first malformed part.
func eachObject(t *testing.T, path string, fn func(raw []byte)) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := bundle.NewDecoder(f, bundle.DecodeOptions{})
	for {
		raw, err := dec.NextRaw()
		if err != nil {
			if err != io.EOF {
				t.Logf("%s: stops at: %v", filepath.Base(path), err)
			}
			return
		}
		fn(raw)
	}
}

// TestFastPathMatchesGojsonschema is the differential test of the fast
// path: on every object of the shared corpus and of the invalid fixtures,
// the findings (order, pointers, codes, messages) are those of
// gojsonschema alone.
func TestFastPathMatchesGojsonschema(t *testing.T) {
	fast := schemas.Default()
	if fast.FastSchemas() == 0 {
		t.Fatal("no schema has a fast check")
	}
	ref := fast.WithoutFastPath()
	objects, withFindings := 0, 0
	for _, path := range fastPathInputs(t) {
		eachObject(t, path, func(raw []byte) {
			for _, sv := range []string{"", "2.0"} {
				got, gerr := fast.ValidateObjectVersion(raw, sv)
				want, werr := ref.ValidateObjectVersion(raw, sv)
				if fmt.Sprint(gerr) != fmt.Sprint(werr) || !sameErrors(got, want) {
					t.Errorf("%s: %.200s\nfast: %v %v\nreference: %v %v", filepath.Base(path), raw, errs(got), gerr, errs(want), werr)
				}
				if sv == "" {
					objects++
					if len(want) > 0 {
						withFindings++
					}
				}
			}
		})
	}
	t.Logf("%d objects, %d with schema findings", objects, withFindings)
	if objects < 10000 || withFindings == 0 {
		t.Errorf("too little compared: %d objects, %d with findings", objects, withFindings)
	}
}

// TestFastPathMatchesOnMutations breaks real objects of the corpus (the
// first few of each type) one property at a time, top level and in
// embedded structs: removed, or given values of every JSON kind. The fast
// path must never call valid what gojsonschema reports.
func TestFastPathMatchesOnMutations(t *testing.T) {
	fast := schemas.Default()
	ref := fast.WithoutFastPath()
	perType := map[string]int{}
	limit := 4
	if testing.Short() {
		limit = 1
	}
	compared, invalid := 0, 0
	check := func(obj map[string]any, what string) {
		got, want := fast.ValidateValue(obj), ref.ValidateValue(obj)
		compared++
		if len(want) > 0 {
			invalid++
		}
		if !sameErrors(got, want) {
			t.Errorf("%s %v: %s\nfast: %v\nreference: %v", obj["id"], obj["type"], what, errs(got), errs(want))
		}
	}
	for _, path := range fastPathInputs(t) {
		eachObject(t, path, func(raw []byte) {
			doc, err := jsonscan.DecodeAny(raw, jsonscan.Limits{})
			obj, ok := doc.(map[string]any)
			if err != nil || !ok {
				return
			}
			typ, _ := obj["type"].(string)
			if perType[typ] >= limit {
				return
			}
			perType[typ]++
			mutate(obj, "", check)
		})
	}
	t.Logf("%d mutations of %d types, %d invalid", compared, len(perType), invalid)
	if invalid == 0 {
		t.Error("no mutation was invalid: the comparison proves nothing")
	}
}

// replacements are values of every JSON kind, including strings that are
// near-misses of common STIX forms.
var replacements = []any{nil, true, false, json.Number("1"), json.Number("-1"), json.Number("1.5"), json.Number("101"),
	"", "x", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00.000Z", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
	"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
	"2.1", "2.0", "http://example.com", "not a url", "mitre-attack", "cve", "capec", "tlp", "a\xffb",
	[]any{}, []any{"x"}, []any{json.Number("1")}, []any{map[string]any{}}, map[string]any{}, map[string]any{"x": "y"}}

// mutate calls check with copies of obj where one property (at the top
// level, or in a map or the first map of a list below) is removed or
// replaced.
func mutate(obj map[string]any, where string, check func(map[string]any, string)) {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		orig := obj[k]
		delete(obj, k)
		check(obj, where+"/"+k+" removed")
		for _, r := range replacements {
			obj[k] = r
			check(obj, fmt.Sprintf("%s/%s = %#v", where, k, r))
		}
		obj[k] = orig
	}
	// Added properties: custom, badly named, unknown to closed dictionaries.
	for _, k := range []string{"x_added", "ab", "Bad Key", "x-dashed", "id"} {
		if _, ok := obj[k]; ok {
			continue
		}
		for _, r := range []any{"x", json.Number("1"), map[string]any{"a": "b"}} {
			obj[k] = r
			check(obj, fmt.Sprintf("%s/%s added = %#v", where, k, r))
		}
		delete(obj, k)
	}
	// One level down: the first map of each list, each map.
	if where != "" {
		return
	}
	for _, k := range keys {
		switch v := obj[k].(type) {
		case map[string]any:
			mutateNested(obj, v, "/"+k, check)
		case []any:
			if len(v) > 0 {
				if m, ok := v[0].(map[string]any); ok {
					mutateNested(obj, m, "/"+k+"/0", check)
				}
			}
		}
	}
}

func mutateNested(root, m map[string]any, where string, check func(map[string]any, string)) {
	mutate(m, where, func(_ map[string]any, what string) { check(root, what) })
}

func sameErrors(a, b []*schemas.Error) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !reflect.DeepEqual(*a[i], *b[i]) {
			return false
		}
	}
	return true
}

func errs(l []*schemas.Error) string {
	var b bytes.Buffer
	for _, e := range l {
		b.WriteString("\n  " + e.Error())
	}
	return b.String()
}

// FuzzFastPath compares the findings with and without the fast path on
// arbitrary objects (seeded with the objects of testdata/invalid).
func FuzzFastPath(f *testing.F) {
	fixtures, _ := filepath.Glob(filepath.Join(testutil.RootDir(), "testdata", "invalid", "*.json"))
	for _, p := range fixtures {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		dec := bundle.NewDecoder(bytes.NewReader(b), bundle.DecodeOptions{})
		for {
			raw, err := dec.NextRaw()
			if err != nil {
				break
			}
			f.Add(append([]byte(nil), raw...))
		}
	}
	fast := schemas.Default()
	ref := fast.WithoutFastPath()
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, gerr := fast.ValidateObject(raw)
		want, werr := ref.ValidateObject(raw)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || !sameErrors(got, want) {
			t.Errorf("%.300s\nfast: %v %v\nreference: %v %v", raw, errs(got), gerr, errs(want), werr)
		}
	})
}
