package wire6

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// pathCase is a set of split options and message fields.
type pathCase struct {
	opt Options
	env Envelope
}

func ptr[T any](v T) *T { return &v }

// fast6Options are the option sets every 6.x path comparison runs with.
var fast6Options = []pathCase{
	{},
	{opt: Options{CleanupInconsistentBundle: true}},
	{opt: Options{EventVersion: ptr("4")}, env: Envelope{EntitiesTypes: []byte(`["tool", "\u00e9"]`)}},
	{env: Envelope{Update: true, WorkID: "work_abc", DraftID: "draft-1", Applicant: ptr("88ec0c6a-13ce-5e39-b486-354fe4a7084f")}},
	{opt: Options{CleanupInconsistentBundle: true, EventVersion: ptr("\u6771")}, env: Envelope{Update: true, WorkID: "w", EntitiesTypes: []byte(`"Report,Tool"`)}},
}

// counterUUID returns 00000000-0000-4000-8000-00000000000N, N = 1, 2, ...
func counterUUID() func() string {
	n := 0
	return func() string {
		n++
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	}
}

// samePaths6 checks that Split (the text fast path, with its fallback),
// and each way of transcoding on its own, give the same pieces and message
// bodies as the parse path byte for byte, or the same error, and call the
// UUID source the same number of times. It reports whether the fast path
// itself handled the bundle.
func samePaths6(t *testing.T, raw []byte, c pathCase) bool {
	t.Helper()
	ctx := context.Background()
	count := func(n *int) Options {
		o := c.opt
		next := counterUUID()
		o.NewUUID = func() string { *n++; return next() }
		return o
	}
	env := c.env
	n1, n2 := 0, 0
	r1, err1 := Split(ctx, raw, count(&n1), &env)
	r2, err2 := SplitParsed(ctx, raw, count(&n2), &env)
	same := func(what string, n int, r *Result, err error) {
		if n != n2 {
			t.Fatalf("%s: UUID source called %d times, parse path %d", what, n, n2)
		}
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Fatalf("%s: error %v, parse path error %v", what, err, err2)
		}
		if err != nil {
			return
		}
		if len(r.Pieces) != len(r2.Pieces) || len(r.Bodies) != len(r2.Bodies) {
			t.Fatalf("%s: %d/%d pieces/bodies, parse path %d/%d", what, len(r.Pieces), len(r.Bodies), len(r2.Pieces), len(r2.Bodies))
		}
		for i := range r.Pieces {
			if !bytes.Equal(r.Pieces[i], r2.Pieces[i]) {
				t.Fatalf("%s: piece %d differs:\nfast:  %s\nparse: %s", what, i, r.Pieces[i], r2.Pieces[i])
			}
			if !bytes.Equal(r.Bodies[i], r2.Bodies[i]) {
				t.Fatalf("%s: body %d differs", what, i)
			}
		}
		if fmt.Sprint(r.Seqs, r.Incompatible) != fmt.Sprint(r2.Seqs, r2.Incompatible) {
			t.Fatalf("%s: seqs/incompatible %v %v, parse path %v %v", what, r.Seqs, r.Incompatible, r2.Seqs, r2.Incompatible)
		}
	}
	same("Split", n1, r1, err1)
	fast := false
	for _, how := range []fast6How{fast6Whole, fast6Chunks, fast6TextOnly, fast6TextSplit} {
		n3 := 0
		o3 := count(&n3)
		r3, ok, err3 := splitFast(ctx, raw, &o3, &env, how, how == fast6Chunks || how == fast6TextSplit)
		if !ok {
			continue
		}
		fast = true
		same(fmt.Sprintf("way %d", how), n3, r3, err3)
	}
	return fast
}

// testBundle builds a bundle of n objects: an author, a marking,
// indicators, malware and relationships indicator → malware.
func testBundle(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [`)
	b.WriteString(`{"type": "identity", "id": "identity--00000000-0000-4000-8000-000000000000", "name": "Test Author", "identity_class": "organization"}, `)
	b.WriteString(`{"type": "marking-definition", "id": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "definition_type": "tlp", "definition": {"tlp": "amber"}}`)
	k := (n - 2) / 3
	for i := 0; i < k; i++ {
		fmt.Fprintf(&b, `, {"type": "indicator", "id": "indicator--00000000-0000-4000-8000-%012d", "created_by_ref": "identity--00000000-0000-4000-8000-000000000000", "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"], "name": "IOC %d \u00e9", "pattern": "[ipv4-addr:value = '10.0.%d.%d']", "confidence": %d}`, i, i, i/256, i%256, i%100)
	}
	for i := 0; i < k; i++ {
		fmt.Fprintf(&b, `, {"type": "malware", "id": "malware--00000000-0000-4000-8000-%012d", "name": "Malware %d", "is_family": false, "x_score": %d.5}`, i, i, i)
	}
	for i := 0; i < n-2-2*k; i++ {
		fmt.Fprintf(&b, `, {"type": "relationship", "id": "relationship--00000000-0000-4000-8000-%012d", "relationship_type": "indicates", "source_ref": "indicator--00000000-0000-4000-8000-%012d", "target_ref": "malware--00000000-0000-4000-8000-%012d"}`, i, i%k, i%k)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func TestFast6AgreesCorpus(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "corpus")
	n, fast := 0, 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		t.Run(strings.TrimPrefix(p, dir), func(t *testing.T) {
			for _, opt := range fast6Options {
				if samePaths6(t, data, opt) {
					fast++
				}
			}
		})
		return nil
	})
	if n == 0 {
		t.Fatal("no corpus")
	}
	t.Logf("%d files × %d option sets, %d split by the fast path itself", n, len(fast6Options), fast)
}

func TestFast6AgreesConformanceInputs(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testutil.SharedDir(t), "conformance", "pycti", "inputs", "*.json"))
	if len(files) == 0 {
		t.Fatal("no conformance inputs")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var in struct {
			Bundle     json.RawMessage `json:"bundle"`
			BundleText string          `json:"bundle_text"`
		}
		if err := json.Unmarshal(data, &in); err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			for _, raw := range [][]byte{in.Bundle, []byte(in.BundleText), data} {
				if len(raw) == 0 {
					continue
				}
				for _, opt := range fast6Options {
					samePaths6(t, raw, opt)
				}
			}
		})
	}
}

// fast6RevisitSeed has an object enlisted through its alias, then again
// through its own id (sent twice, with different references the first
// time it is enlisted).
const fast6RevisitSeed = `{"objects": [{"type": "report", "id": "report--1", "object_refs": ["alias-a", "tool--b"]}, {"type": "tool", "id": "tool--a", "x_opencti_id": "alias-a", "created_by_ref": "identity--1", "object_refs": ["tool--b", "identity--1"]}, {"type": "tool", "id": "tool--b"}, {"type": "identity", "id": "identity--1", "object_refs": ["tool--b"]}]}`

// fast6Seeds are hand-written bundles for the odd shapes the fast path
// handles or hands over to the parse path.
var fast6Seeds = []string{
	`{"type": "bundle", "id": "bundle--1", "objects": [{"type": "report", "id": "report--1", "object_refs": ["tool--1", "tool--1", "x--1", "report--1", "tool--9"], "created_by_ref": "identity--1", "object_marking_refs": null, "external_references": [{"source_name": "a", "url": "u"}, {"source_name": "b", "url": "u"}, {"source_name": "c"}, {"source_name": "d", "external_id": "e"}, {"source_name": "d", "external_id": "e", "description": "\u00e9"}], "kill_chain_phases": [{"kill_chain_name": "k", "phase_name": "p"}, {"kill_chain_name": "k", "phase_name": "p"}, {}]}, {"type": "tool", "id": "tool--1", "nb_deps": 7, "created_by_ref": "identity--1"}, {"type": "identity", "id": "identity--1", "x_opencti_id": "alias", "extensions": {"extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba": {"id": "alias2"}}}]}`,
	`{"objects": [{"type": "note", "id": "note--a", "object_refs": ["note--b", "a"]}, {"type": "note", "id": "note--b", "x_opencti_id": "a", "object_refs": ["note--a"]}]}`,
	`{"objects": [{"type": "note", "id": "note--a", "object_refs": ["note--b"]}, {"type": "note", "id": "note--b", "object_refs": ["note--c"]}, {"type": "note", "id": "note--c", "object_refs": ["note--a", "note--b"], "external_references": [{"url": 1}, {"url": 1.0}, {"url": [1]}, {"url": [1]}]}]}`,
	`{"objects": [{"type": "relationship", "id": "relationship--1", "source_ref": "tool--1", "target_ref": null}, {"type": "tool", "id": "tool--1", "kill_chain_phases": [{}, {}]}]}`,
	`{"objects": [{"type": "sighting", "id": "sighting--1", "sighting_of_ref": "indicator--1", "where_sighted_refs": "identity--1"}, {"type": "indicator", "id": "indicator--1", "external_references": "", "kill_chain_phases": []}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "external_references": [1]}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "external_references": {}}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "x_ref": 3}, {"type": "tool", "id": "tool--2", "x_ref": "tool--9", "y_refs": {"tool--1": 1}}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "x_ref": [3]}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "id": "tool--2"}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1"}], "objects": []}`,
	`{"objects": "abc"}`, `{"objects": ""}`, `{"objects": [1]}`, `{"objects": [[]]}`, `{"objects": []}`, `[]`, `nul`,
	`{"id": {"a": [1, 2.50, "\ud800"]}, "x": [{"id": "q", "external_references": [{"url": "z"}]}], "objects": [{"type": "tool", "id": "tool--\u0031", "name": "\ud83d\ude00", "obj\u0065ct_refs": ["tool--1"]}], "y": {"objects": [{"id": 1}]}}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "external_references": [{"url": "a", "url2": {"url": "b"}}, {"url": "a", "x": [{"url": "c"}]}, {"url": "c", "source_name": "n"}]}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "external_references": [{"source_name": "a", "external_id": "b"}, {"source_name": "a", "external_id": "b", "source_name": "c"}]}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "extensions": {"extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba": {"id": ["x"]}}}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "extensions": []}]}`,
	`{"objects": [{"type": "tool", "id": 5}]}`,
	`{"objects": [{"type": "x-custom", "id": "x-custom--1"}, {"type": "relationship", "id": "relationship--2", "source_ref": "x-custom--1", "target_ref": "tool--1"}, {"type": "tool", "id": "tool--1", "nb_deps": null}]}`,
	fast6RevisitSeed,
	`{"objects": [{"type": "report", "id": "report--1", "object_refs": ["alias-a", "tool--b"]}, {"type": "tool", "id": "tool--a", "x_opencti_id": "alias-a", "created_by_ref": "identity--1"}, {"type": "tool", "id": "tool--b", "object_refs": ["tool--a"]}, {"type": "identity", "id": "identity--1"}]}`,
	"\ufeff{\"objects\": [{\"type\": \"tool\", \"id\": \"tool--1\"}]}",
	`{"objects":[{"type":"tool","id":"tool--1","name":"}, {"},{"type":"tool","id":"tool--2","n":[-0, 0, -5, 1.0, 1E5, 12345678901234567890, 123456789012345678, 1e-7, -0.0]}],"id":"bundle--after"}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "description": "a\/b \u00e9 \ud83d\ude00 \u0000 \" \\ \b\f\n\r\t \u007f", "x": "é  "}, {"type": "tool", "id": "tool--\u0032"}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "d": "\ud800", "e": "\x"}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "k\u0065y": 1, "created_by_r\u0065f": "identity--9"}]}`,
	`{"id": 3, "objects": [{"type": "tool", "id": "tool--1"}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "deep": ` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "a": 1 }, {"type": "tool", "id": "tool--2", "object_refs": ["tool--1"],}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1"}, ]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "a": tru}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "a": NaN, "b": -Infinity}]}`,
	"{\"objects\": [{\"type\": \"tool\", \"id\": \"tool--1\", \"a\": \"x\ty\"}]}",
	`{"objects": [{"type": "tool", "id": "tool--1", "external_references": [{"url": "a"}, 3, {"url": "a"}]}]}`,
	`{"objects": [{"type": "tool", "id": "tool--1", "kill_chain_phases": null, "external_references": null, "object_refs": null}]}`,
	"{\n  \"objects\": [\n    {\"type\": \"tool\", \"id\": \"tool--1\", \"external_references\": [\n      {\"url\": \"u\"},\n      {\"url\": \"u\"}\n    ]},\n    {\"type\": \"tool\", \"id\": \"tool--2\", \"created_by_ref\": \"tool--1\"},\n    {\"type\": \"tool\", \"id\": \"tool--3\", \"created_by_ref\": \"tool--2\"}\n  ],\n  \"id\": \"bundle--z\"\n}",
}

// manyKeys is a bundle whose objects have n extra members; dup repeats
// one of them at the end.
func manyKeys(n int, dup bool) string {
	var b strings.Builder
	b.WriteString(`{"objects": [{"type": "tool", "id": "tool--1"`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `, "k%d": {"a": %d, "b": [{"c": 1}]}`, i, i)
	}
	if dup {
		b.WriteString(`, "k3": 1`)
	}
	b.WriteString(`, "created_by_ref": "tool--2"}, {"type": "tool", "id": "tool--2"}]}`)
	return b.String()
}

func TestFast6AgreesEdgeCases(t *testing.T) {
	extra := []string{string(testBundle(50)), manyKeys(31, false), manyKeys(40, false), manyKeys(40, true), manyKeys(2, true)}
	for _, s := range append(fast6Seeds, extra...) {
		for _, opt := range fast6Options {
			samePaths6(t, []byte(s), opt)
		}
	}
}

// TestFast6Handles checks that the fast path itself (not its fallback)
// splits the ordinary bundles.
func TestFast6Handles(t *testing.T) {
	for _, s := range []string{fast6Seeds[0], fast6Seeds[1], fast6Seeds[2], string(testBundle(50)), manyKeys(40, false)} {
		if !samePaths6(t, []byte(s), pathCase{}) {
			t.Errorf("fast path fell back on %.80s", s)
		}
	}
}

// TestFast6PipeRevisit checks that the pipeline's work is not used when an
// object handed over can still be visited again (enlisted through an
// alias, later through its own id), and is used otherwise.
func TestFast6PipeRevisit(t *testing.T) {
	for _, tc := range []struct {
		bundle string
		ok     bool
	}{
		{fast6RevisitSeed, false},
		{fast6Seeds[0], true},
	} {
		sopt := Options{}
		s, id, err := newSplitter6Raw([]byte(tc.bundle), &sopt, fast6TextOnly)
		if err != nil {
			t.Fatal(err)
		}
		s.fast.startPipe(s, id, nil)
		p := s.fast.pipe
		if err := s.enlistAll(); err != nil {
			t.Fatal(err)
		}
		if p.ok != tc.ok {
			t.Errorf("pipeline ok %v, want %v, for %.60s", p.ok, tc.ok, tc.bundle)
		}
		s.fast.release()
	}
}

// FuzzFast6Agrees compares the text fast path with the parse path on
// arbitrary bundles and option sets.
func FuzzFast6Agrees(f *testing.F) {
	for _, s := range fast6Seeds {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(1))
	}
	f.Add(testBundle(10), uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, o uint8) {
		if len(data) > 1<<16 || bytes.Count(data, []byte("[")) > 200 {
			return
		}
		samePaths6(t, data, fast6Options[int(o)%len(fast6Options)])
	})
}

// BenchmarkSplit and BenchmarkSplitParsed split and encode the ATT&CK
// ICS 18.1 bundle with its messages on the fast path and on the parse
// path, to compare in the same run (MB/s of input).
func BenchmarkSplit(b *testing.B)       { benchSplit(b, Split) }
func BenchmarkSplitParsed(b *testing.B) { benchSplit(b, SplitParsed) }

func benchSplit(b *testing.B, split func(context.Context, []byte, Options, *Envelope) (*Result, error)) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/ics-attack-18.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	env := &Envelope{Applicant: ptr("88ec0c6a-13ce-5e39-b486-354fe4a7084f"), WorkID: "work_abc"}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := split(context.Background(), data, Options{}, env); err != nil {
			b.Fatal(err)
		}
	}
}
