package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/internal/testutil"
)

// The validator decodes an object into the typed model only when that can
// add a finding (validator.object). These tests are the differential test
// of that choice: the report of every input is the same as when every
// object is decoded into the typed model first, as before.

// sameReport validates data both ways and fails on any difference in the
// reports (verdict, counts, and every finding in order).
func sameReport(t *testing.T, what string, data []byte, opt Options) *Report {
	t.Helper()
	lazy, err1 := read(context.Background(), bytes.NewReader(data), opt, false)
	first, err2 := read(context.Background(), bytes.NewReader(data), opt, true)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("%s: error %v, typed first: %v", what, err1, err2)
	}
	if !reflect.DeepEqual(lazy, first) {
		t.Errorf("%s: the reports differ\ntyped when needed: %s\ntyped first:       %s\ninput: %.2000s", what, reportText(lazy), reportText(first), data)
	}
	return lazy
}

func reportText(r *Report) string {
	if r == nil {
		return "<nil>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "valid=%v objects=%d bytes=%d truncated=%v", r.Valid, r.Objects, r.Bytes, r.Truncated)
	for _, f := range r.Errors {
		fmt.Fprintf(&b, "\n  E %s", f.Error())
	}
	for _, f := range r.Warnings {
		fmt.Fprintf(&b, "\n  W %s", f.Error())
	}
	return b.String()
}

// typedInputs lists the corpus files and the project's invalid fixtures.
func typedInputs(t *testing.T) []string {
	t.Helper()
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

// TestTypedDecodingWhenNeededCorpus compares the two ways on every corpus
// file and fixture, whole, under the default options and three others.
func TestTypedDecodingWhenNeededCorpus(t *testing.T) {
	opts := []Options{
		{Workers: 2},
		{Workers: 2, Strict: true, EnforceRefs: true},
		{Workers: 2, Version: "2.0"},
		{Workers: 2, DisallowCustom: true},
	}
	objects, invalid := 0, 0
	for _, path := range typedInputs(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, opt := range opts {
			rep := sameReport(t, fmt.Sprintf("%s (options %d)", filepath.Base(path), i), data, opt)
			if i == 0 && rep != nil {
				objects += rep.Objects
				if !rep.Valid {
					invalid++
				}
			}
		}
	}
	t.Logf("%d objects; %d inputs invalid", objects, invalid)
	if objects < 10000 || invalid == 0 {
		t.Fatalf("too little compared: %d objects, %d invalid inputs", objects, invalid)
	}
}

// typedReplacements are the values put in place of each property: every
// JSON kind, and forms the typed model may not hold although they look
// right (large, negative or fractional numbers, timestamps and ids that
// are nearly right, strings that are not valid UTF-8).
var typedReplacements = []string{
	`null`, `true`, `false`, `0`, `1`, `-1`, `1.5`, `50.0`, `1E2`, `-0`, `101`, `1e30`, `1e400`,
	`99999999999999999999`, `-9223372036854775809`, `9223372036854775807`,
	`""`, `"x"`, `"2.1"`, `"2.0"`, `"tlp"`, `"http://example.com"`, `"not a url"`,
	`"2020-01-01T00:00:00Z"`, `"2020-01-01T00:00:00.000Z"`, `"2020-02-30T00:00:00Z"`,
	`"2016-12-31T23:59:60Z"`, `"2020-01-01T24:00:00Z"`, `"2020-01-01t00:00:00z"`,
	`"2020-01-01T00:00:00.1234567891Z"`, `"0000-01-01T00:00:00Z"`, `"9999-12-31T23:59:59.999Z"`,
	`"2020-01-01T00:00:00+01:00"`,
	`"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"`, `"identity--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F"`,
	`"identity--8e2e2d2b-17d4-1cbf-938f-98ee46b3cd3f"`, `"identity--8e2e2d2b-17d4-4cbf-738f-98ee46b3cd3f"`,
	`"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"`, `"a--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"`,
	`"Identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"`, `"identity--00000000-0000-0000-8000-000000000000"`,
	`"identity--8e2e2d2b17d44cbf938f98ee46b3cd3f"`, `"identity-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"`,
	`"x--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"`, `"ab--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"`, `"x-custom--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"`,
	"\"a\xffb\"", `"\ud800"`, `"\u0000"`, `"en"`, `"en-US-x-private"`, `"mitre-attack"`, `"cve"`,
	`[]`, `["x"]`, `[1]`, `[null]`, `[{}]`, `["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]`,
	`{}`, `{"x":"y"}`, `{"x_a_b":1}`,
}

// mutations calls fn with the JSON of copies of obj where one member (at
// any depth) is removed or replaced, or given twice.
func mutations(obj map[string]any, fn func(data []byte, what string)) {
	emit := func(what string) {
		data, err := json.Marshal(obj)
		if err != nil {
			panic(err)
		}
		fn(data, what)
	}
	var walk func(v any, where string)
	walk = func(v any, where string) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				orig := v[k]
				delete(v, k)
				emit(where + "/" + k + " removed")
				for _, r := range typedReplacements {
					v[k] = json.RawMessage(r)
					emit(where + "/" + k + " = " + r)
				}
				v[k] = orig
				walk(orig, where+"/"+k)
			}
		case []any:
			// The first element stands for the others.
			if len(v) > 0 {
				walk(v[0], where+"/0")
			}
		}
	}
	walk(obj, "")
	// A member given twice, at the top level: the generic form keeps the
	// last value, the typed decoding refuses it.
	data, err := json.Marshal(obj)
	if err != nil {
		panic(err)
	}
	for k := range obj {
		dup := append([]byte(`{"`+k+`":"x",`), data[1:]...)
		fn(dup, k+" twice")
	}
}

// TestTypedDecodingWhenNeededMutations compares the two ways on mutations
// of corpus objects (a few of each type; all in the full run).
func TestTypedDecodingWhenNeededMutations(t *testing.T) {
	limit := 3
	if os.Getenv("STIXKIT_FULL_CROSSCHECK") != "" {
		limit = 6
	}
	if testing.Short() {
		limit = 1
	}
	perType := map[string]int{}
	compared, invalid := 0, 0
	for _, path := range typedInputs(t) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		dec := bundle.NewDecoder(f, bundle.DecodeOptions{})
		for {
			raw, err := dec.NextRaw()
			if err != nil {
				break // the end, or a fixture that is not readable: nothing to mutate
			}
			if len(raw) > 8<<10 {
				continue // long lists of references: nothing new, slow
			}
			doc, err := jsonscan.DecodeAny(raw, jsonscan.Limits{})
			obj, ok := doc.(map[string]any)
			if err != nil || !ok {
				continue
			}
			typ, _ := obj["type"].(string)
			if perType[typ] >= limit {
				continue
			}
			perType[typ]++
			mutations(obj, func(data []byte, what string) {
				if t.Failed() {
					return // one difference is enough to read
				}
				rep := sameReport(t, fmt.Sprintf("%v %s", obj["id"], what), data, Options{Workers: 1})
				compared++
				if rep != nil && !rep.Valid {
					invalid++
				}
			})
			if t.Failed() {
				f.Close()
				return
			}
		}
		f.Close()
	}
	t.Logf("%d mutations of %d types, %d invalid", compared, len(perType), invalid)
	if compared < 1000 || invalid == 0 || invalid == compared {
		t.Fatalf("the comparison proves nothing: %d compared, %d invalid", compared, invalid)
	}
}

// FuzzTypedDecodingWhenNeeded compares the two ways on arbitrary input.
// Seeds: testdata/invalid.
func FuzzTypedDecodingWhenNeeded(f *testing.F) {
	addInvalidSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		lazy, err1 := read(ctx, bytes.NewReader(data), Options{Workers: 1}, false)
		first, err2 := read(ctx, bytes.NewReader(data), Options{Workers: 1}, true)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("error %v, typed first: %v", err1, err2)
		}
		if !reflect.DeepEqual(lazy, first) {
			t.Fatalf("the reports differ\ntyped when needed: %s\ntyped first:       %s", reportText(lazy), reportText(first))
		}
	})
}
