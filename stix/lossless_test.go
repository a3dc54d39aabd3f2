package stix_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

// corpusFiles lists every JSON file of ../shared/corpus.
func corpusFiles(t testing.TB) []string {
	dir := filepath.Join(testutil.SharedDir(t), "corpus")
	var files []string
	err := filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files under %s: %v", dir, err)
	}
	return files
}

// roundTrip decodes a bundle, an object or an array of objects and encodes
// it again.
func roundTrip(data []byte) ([]byte, error) {
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '[' {
		objs, err := stix.ParseObjects(data)
		if err != nil {
			return nil, err
		}
		out := []byte{'['}
		for i, o := range objs {
			if i > 0 {
				out = append(out, ',')
			}
			if out, err = stix.AppendJSON(out, o); err != nil {
				return nil, err
			}
		}
		return append(out, ']'), nil
	}
	obj, err := stix.Parse(data)
	if err != nil {
		return nil, err
	}
	return stix.Marshal(obj)
}

// TestLosslessCorpus decodes every corpus file and encodes it again; the
// JSON value must not change, object by object (TestLosslessCorpusInOrder
// checks member order).
func TestLosslessCorpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		if strings.HasPrefix(name, "MANIFEST") {
			continue
		}
		out, err := roundTrip(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d := testutil.JSONDiff(data, out); d != "" {
			t.Errorf("%s: round trip differs at %s", name, d)
		}
		if !json.Valid(out) {
			t.Errorf("%s: output is not valid JSON", name)
		}
	}
}

// node is a JSON value with object members in order.
type node struct {
	members []member // objects
	elems   []*node  // arrays
	obj     bool
	arr     bool
	raw     json.RawMessage // scalars
}

type member struct {
	key string
	val *node
}

func parseNode(dec *json.Decoder) (*node, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t {
	case json.Delim('{'):
		n := &node{obj: true}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := parseNode(dec)
			if err != nil {
				return nil, err
			}
			n.members = append(n.members, member{k.(string), v})
		}
		_, err = dec.Token()
		return n, err
	case json.Delim('['):
		n := &node{arr: true}
		for dec.More() {
			v, err := parseNode(dec)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, v)
		}
		_, err = dec.Token()
		return n, err
	}
	raw, err := json.Marshal(t)
	return &node{raw: raw}, err
}

func (n *node) append(b []byte) []byte {
	switch {
	case n.obj:
		b = append(b, '{')
		for i, m := range n.members {
			if i > 0 {
				b = append(b, ',')
			}
			k, _ := json.Marshal(m.key)
			b = append(append(b, k...), ':')
			b = m.val.append(b)
		}
		return append(b, '}')
	case n.arr:
		b = append(b, '[')
		for i, e := range n.elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.append(b)
		}
		return append(b, ']')
	}
	return append(b, n.raw...)
}

func (n *node) get(key string) *node {
	for _, m := range n.members {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// canonicalOrder reorders the members of a STIX value as the canonical
// encoding writes them: for a generated type, its properties in
// specification order then the others in input order; for anything else
// (unknown types, dictionaries), input order.
func canonicalOrder(n *node, info *stix.TypeInfo) {
	if n == nil || !n.obj {
		return
	}
	if info == nil {
		return
	}
	var out []member
	used := map[string]bool{}
	for _, p := range info.Properties {
		v := n.get(p.Name)
		if v == nil {
			continue
		}
		used[p.Name] = true
		out = append(out, member{p.Name, v})
		switch p.Kind {
		case "struct":
			ei, _ := stix.InfoByGoName(p.Elem)
			canonicalOrder(v, ei)
		case "structs":
			ei, _ := stix.InfoByGoName(p.Elem)
			for _, e := range v.elems {
				canonicalOrder(e, ei)
			}
		case "extensions":
			for _, m := range v.members {
				if ei, ok := stix.Info(m.key); ok && ei.Category == "extension" {
					canonicalOrder(m.val, ei)
				}
			}
		}
	}
	for _, m := range n.members {
		if !used[m.key] {
			out = append(out, m)
		}
	}
	n.members = out
}

// expectedCanonical returns the input with every object's members in the
// order the canonical encoding must write them.
func expectedCanonical(t *testing.T, data []byte) []byte {
	t.Helper()
	root, err := parseNode(json.NewDecoder(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	object := func(o *node) {
		if o == nil || !o.obj {
			return
		}
		typ := o.get("type")
		if typ == nil {
			return
		}
		var s string
		if json.Unmarshal(typ.raw, &s) != nil {
			return
		}
		if info, ok := stix.Info(s); ok {
			canonicalOrder(o, info)
		}
	}
	switch {
	case root.arr:
		for _, e := range root.elems {
			object(e)
		}
	case root.obj && string(root.get("type").raw) == `"bundle"`:
		// type, id, spec_version, objects, then the others.
		var out []member
		for _, k := range []string{"type", "id", "spec_version", "objects"} {
			if v := root.get(k); v != nil {
				out = append(out, member{k, v})
			}
		}
		for _, m := range root.members {
			switch m.key {
			case "type", "id", "spec_version", "objects":
			default:
				out = append(out, m)
			}
		}
		root.members = out
		if objs := root.get("objects"); objs != nil {
			for _, e := range objs.elems {
				object(e)
			}
		}
	default:
		object(root)
	}
	return root.append(nil)
}

// TestLosslessCorpusInOrder checks member order: every object of a
// generated type comes back in specification order with its custom
// properties after, in input order; objects of unknown types (*Generic)
// and dictionaries come back in exactly their input order. The output is
// also a fixed point: decoding and encoding it again gives the same bytes.
func TestLosslessCorpusInOrder(t *testing.T) {
	generic := 0
	for _, f := range corpusFiles(t) {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "MANIFEST") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out, err := roundTrip(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d := testutil.JSONDiffOrdered(expectedCanonical(t, data), out); d != "" {
			t.Errorf("%s: round trip differs at %s", name, d)
		}
		again, err := roundTrip(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Errorf("%s: the canonical output is not a fixed point (err %v)", name, err)
		}
		generic += bytes.Count(data, []byte(`"type": "x-mitre-`)) + bytes.Count(data, []byte(`"type":"x-mitre-`))
	}
	if generic == 0 {
		t.Error("no object of an unknown type in the corpus: the Generic order check saw nothing")
	}
}
