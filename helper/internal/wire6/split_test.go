package wire6

import (
	"context"
	"errors"
	"fmt"
	"github.com/stixkit/stixkit/helper/internal/wire"
	"github.com/stixkit/stixkit/internal/testutil"
	"os"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/pyjson"
)

func dumpsValue(v pyjson.Value) []byte { return pyjson.Dumps(v, pyjson.DumpOptions{}) }

// objectsOf returns, for each piece, "x_opencti_seq|<object json>".
func objectsOf(t *testing.T, pieces [][]byte) []string {
	t.Helper()
	var out []string
	for _, p := range pieces {
		v, err := pyjson.Parse(p, pyjson.ParseOptions{})
		if err != nil {
			t.Fatalf("piece is not JSON: %v: %s", err, p)
		}
		seq, _ := v.Get("x_opencti_seq")
		objs, _ := v.Get("objects")
		if len(objs.Arr) != 1 {
			t.Fatalf("piece with %d objects", len(objs.Arr))
		}
		out = append(out, seq.Str+"|"+string(dumpsValue(objs.Arr[0])))
	}
	return out
}

// TestSplit6 covers the splitter rules one by one on hand-checked cases.
func TestSplit6(t *testing.T) {
	tests := []struct {
		name     string
		bundle   string
		opt      Options
		want     []string // seq|object, in order
		incompat []string
	}{
		{
			// Enlisted first under its alias, the identity is not cached under
			// its own id, so pycti enlists (and sends) it a second time.
			name:   "alias x_opencti_id resolves references (object sent twice as by pycti)",
			bundle: `{"id": "bundle--1", "objects": [{"type": "malware", "id": "malware--1", "created_by_ref": "abc"}, {"type": "identity", "id": "identity--1", "x_opencti_id": "abc"}]}`,
			want: []string{
				`1|{"type": "identity", "id": "identity--1", "x_opencti_id": "abc", "nb_deps": 1}`,
				`1|{"type": "identity", "id": "identity--1", "x_opencti_id": "abc", "nb_deps": 1}`,
				`2|{"type": "malware", "id": "malware--1", "created_by_ref": "abc", "nb_deps": 2}`,
			},
		},
		{
			name:   "extension id alias",
			bundle: `{"id": "bundle--1", "objects": [{"type": "malware", "id": "malware--1", "object_marking_refs": ["m1"]}, {"type": "marking-definition", "id": "marking-definition--1", "extensions": {"` + openCTIExtension6 + `": {"id": "m1"}}}]}`,
			want: []string{
				`1|{"type": "marking-definition", "id": "marking-definition--1", "extensions": {"` + openCTIExtension6 + `": {"id": "m1"}}, "nb_deps": 1}`,
				`1|{"type": "marking-definition", "id": "marking-definition--1", "extensions": {"` + openCTIExtension6 + `": {"id": "m1"}}, "nb_deps": 1}`,
				`2|{"type": "malware", "id": "malware--1", "object_marking_refs": ["m1"], "nb_deps": 2}`,
			},
		},
		{
			name:     "sighting needs sighting_of_ref and where_sighted_refs",
			bundle:   `{"id": "b", "objects": [{"type": "sighting", "id": "sighting--1", "sighting_of_ref": "indicator--1", "where_sighted_refs": []}, {"type": "sighting", "id": "sighting--2", "sighting_of_ref": "x-foo--1", "where_sighted_refs": ["identity--1"]}, {"type": "sighting", "id": "sighting--3", "sighting_of_ref": "indicator--1", "where_sighted_refs": ["identity--1"]}]}`,
			want:     []string{`1|{"type": "sighting", "id": "sighting--3", "sighting_of_ref": "indicator--1", "where_sighted_refs": ["identity--1"], "nb_deps": 1}`},
			incompat: []string{"sighting--1", "sighting--2"},
		},
		{
			name:   "existing nb_deps is replaced in place, duplicates in _refs kept once",
			bundle: `{"id": "b", "objects": [{"nb_deps": 99, "type": "report", "id": "report--1", "object_refs": ["note--1", "note--1", "report--1"]}, {"type": "note", "id": "note--1"}]}`,
			want: []string{
				`1|{"type": "note", "id": "note--1", "nb_deps": 1}`,
				`3|{"nb_deps": 3, "type": "report", "id": "report--1", "object_refs": ["note--1"]}`,
			},
		},
		{
			name:   "event version, bundle without id, null refs kept null",
			bundle: `{"objects": [{"type": "tool", "id": "tool--1", "created_by_ref": null, "object_marking_refs": null, "external_references": null}]}`,
			opt:    Options{EventVersion: ptr("7"), NewUUID: func() string { return "00000000-0000-4000-8000-000000000009" }},
			want:   []string{`1|{"type": "tool", "id": "tool--1", "created_by_ref": null, "object_marking_refs": null, "external_references": null, "nb_deps": 1}`},
		},
		{
			name:   "a string _refs is iterated by character as in Python",
			bundle: `{"id": "b", "objects": [{"type": "tool", "id": "tool--1", "x_refs": "aba"}]}`,
			want:   []string{`1|{"type": "tool", "id": "tool--1", "x_refs": ["a", "b"], "nb_deps": 1}`},
		},
		{
			name:   "cleanup drops missing refs, nulls missing _ref",
			bundle: `{"id": "b", "objects": [{"type": "indicator", "id": "indicator--1", "created_by_ref": "identity--404", "object_marking_refs": ["marking-definition--404"], "sample_refs": []}]}`,
			opt:    Options{CleanupInconsistentBundle: true},
			want:   []string{`1|{"type": "indicator", "id": "indicator--1", "created_by_ref": null, "object_marking_refs": [], "sample_refs": [], "nb_deps": 1}`},
		},
		{
			name:   "external references: numbers canonicalized, url wins over source/id",
			bundle: `{"id": "b", "objects": [{"type": "tool", "id": "tool--1", "external_references": [{"url": 1}, {"url": 1.0, "source_name": "x"}, {"source_name": "s", "external_id": "e"}, {"source_name": "s", "external_id": "e", "url": null}, {"source_name": "s"}, {"url": "1"}]}]}`,
			want:   []string{`1|{"type": "tool", "id": "tool--1", "external_references": [{"url": 1}, {"source_name": "s", "external_id": "e"}, {"url": "1"}], "nb_deps": 1}`},
		},
		{
			name:   "diamonds count shared dependencies once per path",
			bundle: `{"id": "b", "objects": [{"type": "report", "id": "report--1", "object_refs": ["relationship--1", "malware--1"]}, {"type": "relationship", "id": "relationship--1", "source_ref": "malware--1", "target_ref": "malware--1"}, {"type": "malware", "id": "malware--1"}]}`,
			want: []string{
				`1|{"type": "malware", "id": "malware--1", "nb_deps": 1}`,
				`3|{"type": "relationship", "id": "relationship--1", "source_ref": "malware--1", "target_ref": "malware--1", "nb_deps": 3}`,
				`5|{"type": "report", "id": "report--1", "object_refs": ["relationship--1", "malware--1"], "nb_deps": 5}`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := pyjson.Parse([]byte(tc.bundle), pyjson.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := split6Value(v, tc.opt, false)
			if err != nil {
				t.Fatal(err)
			}
			got := objectsOf(t, res.Pieces)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if fmt.Sprint(res.Incompatible) != fmt.Sprint(tc.incompat) && len(res.Incompatible)+len(tc.incompat) > 0 {
				t.Errorf("incompatible %v, want %v", res.Incompatible, tc.incompat)
			}
			if tc.opt.EventVersion != nil && len(res.Pieces) > 0 {
				p := string(res.Pieces[0])
				if !strings.HasPrefix(p, `{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000009", "spec_version": "2.1", "x_opencti_seq": 1, "objects": [`) ||
					!strings.HasSuffix(p, `], "x_opencti_event_version": "7"}`) {
					t.Errorf("piece framing: %s", p)
				}
			}
		})
	}
}

// TestSplit6Cycle: a cycle through three objects is cut; every object is
// sent exactly once and the bytes are stable.
func TestSplit6Cycle(t *testing.T) {
	b := `{"id": "b", "objects": [{"type": "note", "id": "note--a", "object_refs": ["note--b"]}, {"type": "note", "id": "note--b", "object_refs": ["note--c"]}, {"type": "note", "id": "note--c", "object_refs": ["note--a"]}]}`
	v, _ := pyjson.Parse([]byte(b), pyjson.ParseOptions{})
	res, err := split6Value(v, Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pieces) != 3 {
		t.Fatalf("%d pieces", len(res.Pieces))
	}
	seen := map[string]bool{}
	for _, p := range res.Pieces {
		for _, id := range []string{"note--a", "note--b", "note--c"} {
			if strings.Contains(string(p), `"id": "`+id+`"`) {
				if seen[id] {
					t.Errorf("%s sent twice", id)
				}
				seen[id] = true
			}
		}
	}
	res2, _ := split6Value(v, Options{}, false)
	for i := range res.Pieces {
		if string(res.Pieces[i]) != string(res2.Pieces[i]) {
			t.Fatal("not deterministic")
		}
	}
}

// TestSplit6Errors: the cases where pycti raises give a *wire.Error.
func TestSplit6Errors(t *testing.T) {
	deep := `{"id": "b", "objects": [`
	for i := 0; i < maxDependencyDepth6+10; i++ {
		if i > 0 {
			deep += ", "
		}
		deep += fmt.Sprintf(`{"type": "note", "id": "note--%d", "object_refs": ["note--%d"]}`, i, i+1)
	}
	deep += "]}"
	for _, b := range []string{
		`[]`,
		`{"type": "bundle"}`,
		`{"objects": 5}`,
		`{"objects": [5]}`,
		`{"objects": [{"type": "tool"}]}`,
		`{"objects": [{"id": "tool--1"}]}`,
		`{"objects": [{"type": "tool", "id": "tool--1", "object_refs": [5]}]}`,
		`{"objects": [{"type": "tool", "id": "tool--1", "object_refs": 5}]}`,
		`{"objects": [{"type": "tool", "id": "tool--1", "created_by_ref": ["x"]}]}`,
		`{"objects": [{"type": "tool", "id": "tool--1", "created_by_ref": 5}]}`,
		`{"objects": [{"type": "tool", "id": "tool--1", "external_references": ["x"]}]}`,
		`{"objects": [{"type": "relationship", "id": "relationship--1", "source_ref": "tool--1"}]}`,
		`{"objects": [{"type": "sighting", "id": "sighting--1", "sighting_of_ref": "tool--1", "where_sighted_refs": 3}]}`,
		`{"objects": [{"type": "tool", "id": "tool--1", "x_opencti_id": ["a"]}]}`,
		deep,
	} {
		v, err := pyjson.Parse([]byte(b), pyjson.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := split6Value(v, Options{}, false); !errors.Is(err, wire.ErrBundle) {
			t.Errorf("%.80s: %v, want a BundleError", b, err)
		}
	}
	// A number _ref missing from the bundle is cleaned without error.
	v, _ := pyjson.Parse([]byte(`{"objects": [{"type": "tool", "id": "tool--1", "created_by_ref": 5}]}`), pyjson.ParseOptions{})
	if _, err := split6Value(v, Options{CleanupInconsistentBundle: true}, false); err != nil {
		t.Errorf("cleanup of a number ref: %v", err)
	}
}

// FuzzSplit6 checks that any JSON input either splits into pieces that are
// valid JSON bundles of one object, or fails with an error; never panics.
func FuzzSplit6(f *testing.F) {
	for _, s := range []string{
		`{"id": "b", "objects": [{"type": "note", "id": "note--a", "object_refs": ["note--b", "a"]}, {"type": "note", "id": "note--b", "x_opencti_id": "a", "object_refs": ["note--a"]}]}`,
		`{"objects": [{"type": "relationship", "id": "relationship--1", "source_ref": "tool--1", "target_ref": null}, {"type": "tool", "id": "tool--1", "kill_chain_phases": [{}, {}]}]}`,
		`{"objects": "abc"}`,
	} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, cleanup bool) {
		v, err := pyjson.Parse(data, pyjson.ParseOptions{MaxBytes: 1 << 16})
		if err != nil {
			return
		}
		res, err := split6Value(v, Options{CleanupInconsistentBundle: cleanup, NewUUID: func() string { return "u" }}, false)
		if err != nil {
			return
		}
		for _, p := range res.Pieces {
			pv, err := pyjson.Parse(p, pyjson.ParseOptions{})
			if err != nil {
				t.Fatalf("piece is not JSON: %v", err)
			}
			if objs, _ := pv.Get("objects"); len(objs.Arr) != 1 {
				t.Fatalf("piece with %d objects", len(objs.Arr))
			}
		}
	})
}

// split6Value is SplitValue without messages.
func split6Value(v pyjson.Value, opt Options, owned bool) (*Result, error) {
	return SplitValue(context.Background(), v, opt, nil, owned)
}

func ptr[T any](v T) *T { return &v }

// BenchmarkSplit parses, splits and encodes the ATT&CK ICS 18.1 bundle
// with its messages (MB/s of input).
func BenchmarkSplit(b *testing.B) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/ics-attack-18.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	env := &Envelope{Applicant: ptr("88ec0c6a-13ce-5e39-b486-354fe4a7084f"), WorkID: "work_abc"}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Split(context.Background(), data, Options{}, env); err != nil {
			b.Fatal(err)
		}
	}
}
