package wire11

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// counterUUID returns 00000000-0000-4000-8000-00000000000N, N = 1, 2, ...
func counterUUID() func() string {
	n := 0
	return func() string {
		n++
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	}
}

// FuzzSplit11 feeds arbitrary bundles to the splitter: it must not panic,
// and every piece it returns must be JSON in json.dumps form whose objects
// all come from the input.
func FuzzSplit11(f *testing.F) {
	f.Add([]byte(`{"objects":[{"type":"report","id":"r","object_refs":["a","x"]},{"type":"relationship","id":"x","source_ref":"a","target_ref":"b"},{"type":"tool","id":"a","created_by_ref":"a","object_marking_refs":["a"]}]}`))
	f.Add([]byte(`{"objects":[{"type":"tool","id":"a"},{"type":"tool","id":"a"},{"type":"relationship","id":"r","source_ref":"a","target_ref":"q"}]}`))
	f.Add([]byte(`{"type": "bundle", "objects": [{"type": "identity", "id": "identity--1"}, {"type": "indicator", "id": "indicator--1", "created_by_ref": "identity--1", "object_marking_refs": ["m--1"]}, {"type": "marking-definition", "id": "m--1"}, {"type": "relationship", "id": "relationship--1", "source_ref": "indicator--1", "target_ref": "malware--1"}, {"type": "malware", "id": "malware--1"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := pyjson.Parse(data, pyjson.ParseOptions{MaxDepth: 64})
		if err != nil {
			return
		}
		pieces, _, err := Split(context.Background(), v, counterUUID(), nil)
		if err != nil {
			return
		}
		objs, _ := v.Get("objects")
		for _, p := range pieces {
			pv, err := pyjson.Parse(p, pyjson.ParseOptions{})
			if err != nil {
				t.Fatalf("piece is not JSON: %v", err)
			}
			if !bytes.Equal(pyjson.Dumps(pv, pyjson.DumpOptions{}), p) {
				t.Fatalf("piece not in json.dumps form: %s", p)
			}
			po, _ := pv.Get("objects")
		next:
			for _, o := range po.Arr {
				for _, in := range objs.Arr {
					if bytes.Equal(pyjson.Dumps(in, pyjson.DumpOptions{}), pyjson.Dumps(o, pyjson.DumpOptions{})) {
						continue next
					}
				}
				t.Fatalf("piece object not from the input: %s", pyjson.Dumps(o, pyjson.DumpOptions{}))
			}
		}
	})
}
