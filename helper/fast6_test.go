package helper

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// fast6Options are the send options every 6.x path comparison runs with.
var fast6Options = []SendOptions{
	{},
	{CleanupInconsistentBundle: true},
	{EventVersion: ptr("4"), EntitiesTypes: []string{"tool", "é"}},
	{Update: true, WorkID: "work_abc", DraftID: "draft-1", ApplicantID: "88ec0c6a-13ce-5e39-b486-354fe4a7084f"},
	{CleanupInconsistentBundle: true, EventVersion: ptr("\u6771"), Update: true, WorkID: "w"},
}

// samePaths6 checks that messages (the text fast path, with its
// fallback) and the parse path give the same messages and pieces byte for
// byte, or the same error, and call the UUID source the same number of
// times. It reports whether the fast path itself handled the bundle.
func samePaths6(t *testing.T, raw []byte, opt SendOptions) bool {
	t.Helper()
	p1, p2 := benchProtocol6(), benchProtocol6()
	n1, n2 := 0, 0
	p1.newUUID = func() string { n1++; return counterUUID()() }
	p2.newUUID = func() string { n2++; return counterUUID()() }
	m1, pc1, err1 := p1.messages(context.Background(), raw, opt)
	m2, pc2, err2 := p2.messagesParsed(raw, opt, p2.splitOptions(opt))
	if n1 != n2 {
		t.Fatalf("UUID source called %d times by messages, %d by the parse path", n1, n2)
	}
	if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
		t.Fatalf("messages error %v, parse path error %v", err1, err2)
	}
	if len(m1) != len(m2) || len(pc1) != len(pc2) {
		t.Fatalf("%d/%d vs %d/%d messages/pieces", len(m1), len(pc1), len(m2), len(pc2))
	}
	for i := range m1 {
		if !bytes.Equal(pc1[i], pc2[i]) {
			t.Fatalf("piece %d differs:\nfast:  %s\nparse: %s", i, pc1[i], pc2[i])
		}
		if !bytes.Equal(m1[i].Body, m2[i].Body) || m1[i].Exchange != m2[i].Exchange || m1[i].RoutingKey != m2[i].RoutingKey || !reflect.DeepEqual(m1[i].Properties, m2[i].Properties) {
			t.Fatalf("message %d differs", i)
		}
	}
	// Each way of transcoding on its own.
	fast := false
	for _, how := range []fast6How{fast6Whole, fast6Chunks, fast6TextOnly, fast6TextSplit} {
		p3 := benchProtocol6()
		n3 := 0
		p3.newUUID = func() string { n3++; return counterUUID()() }
		sopt := p3.splitOptions(opt)
		s, id, err := newSplitter6Raw(raw, &sopt, how)
		if err != nil {
			continue
		}
		if how == fast6Chunks || how == fast6TextSplit {
			s.fast.startPipe(s, id, opt.EventVersion) // pieces written while enlisting
		}
		err = s.enlistAll()
		if err != nil {
			s.fast.release()
			continue
		}
		fast = true
		m3, pc3, err3 := p3.messagesFrom(s, id, opt)
		s.fast.release()
		if n3 != n2 || (err3 == nil) != (err2 == nil) || len(m3) != len(m2) {
			t.Fatalf("way %d: %d UUIDs, error %v, %d messages; parse path: %d, %v, %d", how, n3, err3, len(m3), n2, err2, len(m2))
		}
		for i := range m3 {
			if !bytes.Equal(pc3[i], pc2[i]) || !bytes.Equal(m3[i].Body, m2[i].Body) {
				t.Fatalf("way %d: piece %d differs:\nfast:  %s\nparse: %s", how, i, pc3[i], pc2[i])
			}
		}
	}
	return fast
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
	extra := []string{string(bigBundle(50)), manyKeys(31, false), manyKeys(40, false), manyKeys(40, true), manyKeys(2, true)}
	for _, s := range append(fast6Seeds, extra...) {
		for _, opt := range fast6Options {
			samePaths6(t, []byte(s), opt)
		}
	}
}

// TestFast6Handles checks that the fast path itself (not its fallback)
// splits the ordinary bundles.
func TestFast6Handles(t *testing.T) {
	for _, s := range []string{fast6Seeds[0], fast6Seeds[1], fast6Seeds[2], string(bigBundle(50)), manyKeys(40, false)} {
		if !samePaths6(t, []byte(s), SendOptions{}) {
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
		sopt := Split6Options{}
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
	f.Add(bigBundle(10), uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, o uint8) {
		if len(data) > 1<<16 || bytes.Count(data, []byte("[")) > 200 {
			return
		}
		samePaths6(t, data, fast6Options[int(o)%len(fast6Options)])
	})
}

// BenchmarkMessages6Parse is BenchmarkMessages6 on the parse path (the
// reference the fast path falls back to), to compare in the same run.
func BenchmarkMessages6Parse(b *testing.B) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/ics-attack-18.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	p := benchProtocol6()
	opt := SendOptions{ApplicantID: "88ec0c6a-13ce-5e39-b486-354fe4a7084f", WorkID: "work_abc"}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, _, err := p.messagesParsed(data, opt, p.splitOptions(opt)); err != nil {
			b.Fatal(err)
		}
	}
	cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
	b.ReportMetric(cpu*1000, "cpu-ms/op")
	b.ReportMetric(float64(len(data))/1e6/cpu, "MB/cpu-s")
}
