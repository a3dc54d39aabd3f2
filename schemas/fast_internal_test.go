package schemas

import "testing"

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
