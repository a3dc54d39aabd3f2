package wire11

import (
	"context"
	"errors"
	"github.com/stixkit/stixkit/helper/internal/wire"
	"reflect"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/pyjson"
)

func mustParse(t testing.TB, s string) pyjson.Value {
	t.Helper()
	v, err := pyjson.Parse([]byte(s), pyjson.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// pieceIDs returns, for each piece, the ids of its objects (and the name of
// the first object when it has one, to tell duplicates apart).
func pieceIDs(t *testing.T, pieces [][]byte) [][]string {
	t.Helper()
	var out [][]string
	for _, p := range pieces {
		v := mustParse(t, string(p))
		if len(v.Obj) != 4 || v.Obj[0].Key != "type" || v.Obj[1].Key != "id" || v.Obj[2].Key != "spec_version" || v.Obj[3].Key != "objects" {
			t.Fatalf("piece header: %s", p)
		}
		if s, _ := v.GetString("spec_version"); s != "2.0" {
			t.Fatalf("spec_version %q", s)
		}
		objs, _ := v.Get("objects")
		ids := []string{}
		for _, o := range objs.Arr {
			id, _ := o.GetString("id")
			if n, ok := o.GetString("name"); ok {
				id += "/" + n
			}
			ids = append(ids, id)
		}
		out = append(out, ids)
	}
	return out
}

func TestSplit11(t *testing.T) {
	tests := []struct {
		name   string
		bundle string
		want   [][]string
	}{
		{
			name: "entities with creator and markings, in bundle order",
			bundle: `{"type":"bundle","objects":[
				{"type":"identity","id":"i1","name":"author"},
				{"type":"marking-definition","id":"m1","created_by_ref":"i1"},
				{"type":"malware","id":"x1","created_by_ref":"i1","object_marking_refs":["m1","m-absent"]},
				{"type":"tool","id":"x2","created_by_ref":"i-absent"}]}`,
			want: [][]string{{"i1/author"}, {"m1", "i1/author"}, {"x1", "i1/author", "m1"}, {"x2"}},
		},
		{
			name: "relationships first with both ends; dangling gives an empty piece",
			bundle: `{"type":"bundle","objects":[
				{"type":"malware","id":"a","object_marking_refs":["m"]},
				{"type":"tool","id":"b"},
				{"type":"marking-definition","id":"m"},
				{"type":"relationship","id":"r1","source_ref":"a","target_ref":"b","object_marking_refs":["m"]},
				{"type":"relationship","id":"r2","source_ref":"a","target_ref":"nowhere"}]}`,
			want: [][]string{{"r1", "a", "b", "m"}, {}},
		},
		{
			name: "reports: refs, one level of embedded objects, every report even if sent",
			bundle: `{"type":"bundle","objects":[
				{"type":"identity","id":"i"},
				{"type":"malware","id":"a","created_by_ref":"i"},
				{"type":"tool","id":"b"},
				{"type":"relationship","id":"r","source_ref":"a","target_ref":"b"},
				{"type":"report","id":"rep1","object_refs":["r"]},
				{"type":"report","id":"rep2","object_refs":["a","rep1"]},
				{"type":"tool","id":"c"}]}`,
			want: [][]string{{"rep1", "r", "a", "b"}, {"rep2", "a", "rep1", "i"}, {"c"}},
		},
		{
			name: "duplicate ids: look-ups see the last, passes walk the first",
			bundle: `{"type":"bundle","objects":[
				{"type":"tool","id":"t","name":"first"},
				{"type":"tool","id":"t","name":"second"},
				{"type":"malware","id":"m","created_by_ref":"t"}]}`,
			want: [][]string{{"t/first"}, {"m", "t/second"}},
		},
		{
			name:   "empty objects",
			bundle: `{"type":"bundle","id":"bundle--x","objects":[]}`,
			want:   nil,
		},
	}
	for _, tt := range tests {
		pieces, err := split11Value(mustParse(t, tt.bundle), counterUUID())
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := pieceIDs(t, pieces); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.name, got, tt.want)
		}
	}
}

func TestSplit11Bytes(t *testing.T) {
	pieces, err := split11Value(mustParse(t, `{"objects":[{"type":"tool","id":"t--1","name":"é😀","x_n":1E2,"x_big":123456789012345678901234567890}]}`), counterUUID())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000001", "spec_version": "2.0", "objects": [{"type": "tool", "id": "t--1", "name": "\u00e9\ud83d\ude00", "x_n": 100.0, "x_big": 123456789012345678901234567890}]}`
	if len(pieces) != 1 || string(pieces[0]) != want {
		t.Fatalf("got %s\nwant %s", pieces, want)
	}
}

func TestSplit11Errors(t *testing.T) {
	tests := []struct {
		bundle string
		index  int
		prop   string
	}{
		{`[]`, -1, ""},
		{`{"type":"bundle"}`, -1, "objects"},
		{`{"objects":{}}`, -1, "objects"},
		{`{"objects":[1]}`, 0, ""},
		{`{"objects":[{"type":"tool"}]}`, 0, "id"},
		{`{"objects":[{"type":"tool","id":5}]}`, 0, "id"},
		{`{"objects":[{"id":"a"},{"type":"tool","id":"b"}]}`, 0, "type"},
		{`{"objects":[{"type":"report","id":"r"}]}`, 0, "object_refs"},
		{`{"objects":[{"type":"report","id":"r","object_refs":["x"]}]}`, 0, "object_refs"},
		{`{"objects":[{"type":"report","id":"r","object_refs":"r"}]}`, 0, "object_refs"},
		{`{"objects":[{"type":"relationship","id":"r","target_ref":"r"}]}`, 0, "source_ref"},
		{`{"objects":[{"type":"tool","id":"t","created_by_ref":["t"]}]}`, 0, "created_by_ref"},
		{`{"objects":[{"type":"tool","id":"t","object_marking_refs":"m"}]}`, 0, "object_marking_refs"},
	}
	for _, tt := range tests {
		_, err := split11Value(mustParse(t, tt.bundle), nil)
		var be *wire.Error
		if !errors.As(err, &be) || !errors.Is(err, wire.ErrBundle) {
			t.Errorf("%s: got %v, want a *wire.Error", tt.bundle, err)
			continue
		}
		if be.Index != tt.index || be.Property != tt.prop {
			t.Errorf("%s: error at %d/%q, want %d/%q (%v)", tt.bundle, be.Index, be.Property, tt.index, tt.prop, err)
		}
		if !strings.HasPrefix(err.Error(), "objects[") && !strings.HasPrefix(err.Error(), "bundle") {
			t.Errorf("error text %q", err)
		}
	}
}

func TestSplit11RandomIDs(t *testing.T) {
	b := mustParse(t, `{"objects":[{"type":"tool","id":"a"},{"type":"tool","id":"b"}]}`)
	p, err := split11Value(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	id0, _ := mustParse(t, string(p[0])).GetString("id")
	id1, _ := mustParse(t, string(p[1])).GetString("id")
	if id0 == id1 || len(id0) != len("bundle--")+36 || id0[len("bundle--")+14] != '4' {
		t.Errorf("bundle ids %s %s are not fresh uuid4s", id0, id1)
	}
}

// split11Value is Split without bodies.
func split11Value(bundle pyjson.Value, newUUID func() string) ([][]byte, error) {
	pieces, _, err := Split(context.Background(), bundle, newUUID, nil)
	return pieces, err
}
