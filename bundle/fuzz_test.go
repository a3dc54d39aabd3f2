package bundle_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
)

// decodeAll reads every object of data with the streaming Decoder; ok is
// false when the Decoder refuses the input (any error).
func decodeAll(data []byte) (objs [][]byte, ok bool) {
	return decodeFrom(bytes.NewReader(data))
}

func decodeFrom(r io.Reader) (objs [][]byte, ok bool) {
	d := bundle.NewDecoder(r, bundle.DecodeOptions{})
	for {
		obj, err := d.Next()
		if err == io.EOF {
			return objs, true
		}
		if err != nil {
			return nil, false
		}
		raw, err := stix.Marshal(obj)
		if err != nil {
			return nil, false
		}
		objs = append(objs, raw)
	}
}

// parseAll reads data with stix.Parse (or ParseObjects for an array).
func parseAll(data []byte) (objs [][]byte, ok bool) {
	var list []stix.Object
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		l, err := stix.ParseObjects(data)
		if err != nil {
			return nil, false
		}
		list = l
	} else {
		obj, err := stix.Parse(data)
		if err != nil {
			return nil, false
		}
		if b, isBundle := obj.(*stix.Bundle); isBundle {
			list = b.Objects
		} else {
			list = []stix.Object{obj}
		}
	}
	for _, o := range list {
		raw, err := stix.Marshal(o)
		if err != nil {
			return nil, false
		}
		objs = append(objs, raw)
	}
	return objs, true
}

// FuzzDecoderVsParse checks that the streaming Decoder and stix.Parse agree
// on every input: the same objects, or both refuse it; and that the
// Decoder gives the same whether its input comes whole, a byte at a time
// or in halves of each read.
func FuzzDecoderVsParse(f *testing.F) {
	const ip = `{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"1.2.3.4"}`
	for _, s := range []string{
		`{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[` + ip + `]}`,
		`{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[` + ip + `],"objects":[{"type":"ipv4-addr","id":"garbage","value":12}]}`,
		`{"type":"bundle","type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[` + ip + `]}`,
		`{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":"x"}`,
		`{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982"}`,
		`{"objects":[` + ip + `],"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","spec_version":"2.0"}`,
		`[` + ip + `,` + ip + `]`,
		ip,
		`{"type":"ipv4-addr","value":"1.2.3.4","type":"x"}`,
		`{"type":"bundle","id":"garbage","objects":[]}`,
		`{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[],"spec_version":"2.0"}`,
		// The container is decided by the type wherever it is: a type
		// other than "bundle" (empty, custom, an object's, not a string)
		// before or after the objects makes one object of the whole.
		`{"type":"","objects":[` + ip + `]}`,
		`{"objects":[` + ip + `],"type":""}`,
		`{"type":"x-foo","objects":[` + ip + `]}`,
		`{"objects":[` + ip + `],"type":"x-foo"}`,
		`{"objects":[` + ip + `],"type":"indicator","id":"indicator--44af6c39-c09b-49c5-9de2-394224b04982"}`,
		`{"type":5,"objects":[` + ip + `]}`,
		`{"objects":[` + ip + `]}`,
		// An escaped "bundle" is a bundle, before or after the objects.
		`{"type":"bun\u0064le","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[` + ip + `]}`,
		`{"objects":[` + ip + `],"typ\u0065":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, aok := decodeAll(data)
		for name, r := range map[string]io.Reader{
			"one byte at a time": iotest.OneByteReader(bytes.NewReader(data)),
			"half reads":         iotest.HalfReader(bytes.NewReader(data)),
		} {
			if c, cok := decodeFrom(r); cok != aok || len(c) != len(a) {
				t.Fatalf("%s: ok=%v, %d objects; whole: ok=%v, %d objects", name, cok, len(c), aok, len(a))
			} else {
				for i := range a {
					if !bytes.Equal(a[i], c[i]) {
						t.Fatalf("%s: object %d differs", name, i)
					}
				}
			}
		}
		b, bok := parseAll(data)
		if aok != bok {
			t.Fatalf("Decoder ok=%v, Parse ok=%v on %q", aok, bok, data)
		}
		if !aok {
			return
		}
		if len(a) != len(b) {
			t.Fatalf("Decoder gave %d objects, Parse %d on %q", len(a), len(b), data)
		}
		for i := range a {
			if !bytes.Equal(a[i], b[i]) {
				t.Fatalf("object %d differs:\n%s\n%s", i, a[i], b[i])
			}
		}
	})
}

var _ = errors.New

// TestDecoderSingleObjectAcrossReads: the members of a single object (and
// of the envelope) stay intact when the input arrives in small pieces.
func TestDecoderSingleObjectAcrossReads(t *testing.T) {
	long := strings.Repeat("A", 100000)
	for _, in := range []string{
		`{"type":"note","spec_version":"2.1","id":"note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"2016-08-22T14:09:00.123Z","modified":"2016-08-22T14:09:00.123Z","content":"` + long + `","object_refs":["identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1"]}`,
		`{"objects":[{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"1.2.3.4"}],"x_big":"` + long + `","type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982"}`,
	} {
		want, ok := parseAll([]byte(in))
		if !ok {
			t.Fatal("stix.Parse refuses the input")
		}
		d := bundle.NewDecoder(smallReader{strings.NewReader(in), 7}, bundle.DecodeOptions{})
		var got [][]byte
		for {
			obj, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := stix.Marshal(obj)
			got = append(got, raw)
		}
		if len(got) != len(want) || !bytes.Equal(got[0], want[0]) {
			t.Fatalf("decoder and stix.Parse differ")
		}
	}
}

// TestDecoderContainerFollowsType: the Decoder calls the input a bundle
// exactly when stix.Parse does, whatever the place of "type" and however
// its value is written.
func TestDecoderContainerFollowsType(t *testing.T) {
	const ip = `{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"1.2.3.4"}`
	for _, tc := range []struct {
		in     string
		bundle bool
	}{
		{`{"type":"bundle","objects":[` + ip + `]}`, true},
		{`{"objects":[` + ip + `],"type":"bundle"}`, true},
		{`{"type":"bun\u0064le","objects":[` + ip + `]}`, true},
		{`{"objects":[` + ip + `],"type":"bun\u0064le"}`, true},
		{`{"typ\u0065":"bundle","objects":[` + ip + `]}`, true},
		{`{"type":"","objects":[` + ip + `]}`, false},
		{`{"objects":[` + ip + `],"type":""}`, false},
		{`{"type":"x-foo","objects":[` + ip + `]}`, false},
		{`{"objects":[` + ip + `],"type":"x-foo"}`, false},
		{`{"type":"bundlex","objects":[` + ip + `]}`, false},
	} {
		d := bundle.NewDecoder(strings.NewReader(tc.in), bundle.DecodeOptions{})
		obj, err := d.Next()
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		p, err := stix.Parse([]byte(tc.in))
		if err != nil {
			t.Fatalf("%s: stix.Parse: %v", tc.in, err)
		}
		_, parsedBundle := p.(*stix.Bundle)
		if d.Header().IsBundle != tc.bundle || parsedBundle != tc.bundle {
			t.Errorf("%s: Decoder bundle=%v, Parse bundle=%v, want %v", tc.in, d.Header().IsBundle, parsedBundle, tc.bundle)
		}
		if !tc.bundle && obj.ObjectType() != p.ObjectType() {
			t.Errorf("%s: Decoder type %q, Parse type %q", tc.in, obj.ObjectType(), p.ObjectType())
		}
		if tc.bundle && obj.ObjectType() != "ipv4-addr" {
			t.Errorf("%s: first object %s, want the ipv4-addr", tc.in, obj.ObjectType())
		}
	}
}
