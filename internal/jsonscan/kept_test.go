package jsonscan

import (
	"strings"
	"testing"
)

// TestRecover: a typed read that fails on a well-formed value is undone and
// the value kept; malformed JSON and limits stay errors.
func TestRecover(t *testing.T) {
	d := NewDecoder([]byte(`{"a": "x", "b": [1, {"c": 2}]}`), Limits{})
	var key []byte
	d.BeginObject()
	var got []string
	for d.NextMember(&key) {
		m := d.Mark()
		d.Bool() // always the wrong type here
		raw, ok := d.Recover(m)
		if !ok {
			t.Fatalf("%s: %v", key, d.Err())
		}
		got = append(got, string(raw))
	}
	d.ExpectEnd()
	if d.Err() != nil || strings.Join(got, " ") != `"x" [1,{"c":2}]` {
		t.Fatalf("%q %v", got, d.Err())
	}
	if k := d.Kept(); len(k) != 2 || k[1].Offset != 16 || !strings.Contains(k[1].Msg, "expected a boolean") {
		t.Errorf("%+v", k)
	}
	for _, in := range []string{`[1, }`, `[[[1]]]`} {
		d := NewDecoder([]byte(in), Limits{MaxDepth: 2})
		m := d.Mark()
		d.Bool()
		if _, ok := d.Recover(m); ok || d.Err() == nil {
			t.Errorf("%s recovered", in)
		}
	}
}

// TestPathTo finds the pointer of the value at an offset.
func TestPathTo(t *testing.T) {
	data := `{"a":1, "b" : [ {"c":"x"}, {"d/e": [true, null]}], "f":{}}`
	for _, c := range []struct {
		at, want string
	}{{`null`, "/b/1/d~1e/1"}, {`"x"`, "/b/0/c"}, {`{}`, "/f"}, {`1`, "/a"}, {`[ {`, "/b"}} {
		path, ok := PathTo([]byte(data), strings.Index(data, c.at))
		if !ok || Pointer(path) != c.want {
			t.Errorf("%s: %q %v, want %s", c.at, Pointer(path), ok, c.want)
		}
	}
	if _, ok := PathTo([]byte(data), 2); ok {
		t.Error("offset inside a key found")
	}
}
