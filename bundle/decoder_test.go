package bundle_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

func corpusFiles(t testing.TB) []string {
	dir := filepath.Join(testutil.SharedDir(t), "corpus")
	var files []string
	_ = filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return err
	})
	if len(files) == 0 {
		t.Fatal("empty corpus")
	}
	return files
}

// inMemory decodes data with the stix package and returns the objects.
func inMemory(t *testing.T, data []byte) []stix.Object {
	t.Helper()
	if t := bytes.TrimSpace(data); t[0] == '[' {
		objs, err := stix.ParseObjects(data)
		if err != nil {
			panic(err)
		}
		return objs
	}
	obj, err := stix.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := obj.(*stix.Bundle); ok {
		return b.Objects
	}
	return []stix.Object{obj}
}

// smallReader returns at most n bytes per Read, to cross buffer borders.
type smallReader struct {
	r io.Reader
	n int
}

func (s smallReader) Read(p []byte) (int, error) {
	if len(p) > s.n {
		p = p[:s.n]
	}
	return s.r.Read(p)
}

// TestStreamMatchesInMemory streams every corpus file and compares each
// object's canonical encoding with the in-memory decoder's.
func TestStreamMatchesInMemory(t *testing.T) {
	for _, f := range corpusFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want := inMemory(t, data)
		for _, r := range []io.Reader{bytes.NewReader(data), smallReader{bytes.NewReader(data), 7}} {
			dec := bundle.NewDecoder(r, bundle.DecodeOptions{})
			i := 0
			for obj, err := range dec.All() {
				if err != nil {
					t.Fatalf("%s: object %d: %v", filepath.Base(f), i, err)
				}
				if i >= len(want) {
					t.Fatalf("%s: more objects than in memory", filepath.Base(f))
				}
				a, _ := stix.Marshal(obj)
				b, _ := stix.Marshal(want[i])
				if !bytes.Equal(a, b) {
					t.Fatalf("%s: object %d differs:\n%s\n%s", filepath.Base(f), i, a, b)
				}
				i++
			}
			if i != len(want) {
				t.Fatalf("%s: streamed %d objects, want %d", filepath.Base(f), i, len(want))
			}
		}
	}
}

func TestStreamHeaderAndErrors(t *testing.T) {
	in := `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","spec_version":"2.0","objects":[
	  {"type":"x-a","id":"x-a--5d0092c5-5f74-4287-9642-33f4c354e56d"},
	  {"type":"indicator","id":"indicator--5d0092c5-5f74-4287-9642-33f4c354e56d","confidence":"high"},
	  42,
	  {"type":"x-b","id":"x-b--5d0092c5-5f74-4287-9642-33f4c354e56d"}
	],"x_note":"after"}`
	dec := bundle.NewDecoder(strings.NewReader(in), bundle.DecodeOptions{})
	var got []string
	for obj, err := range dec.All() {
		var pe *stix.ParseError
		switch {
		case errors.As(err, &pe):
			got = append(got, "err:"+pe.Pointer+":"+string(rune('0'+pe.Index)))
		case err != nil:
			t.Fatal(err)
		default:
			got = append(got, obj.ObjectType())
		}
	}
	if strings.Join(got, ",") != "x-a,err:/confidence:1,err::2,x-b" {
		t.Errorf("got %v", got)
	}
	h := dec.Header()
	if !h.IsBundle || h.ID != "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d" || h.SpecVersion != "2.0" || len(h.Custom) != 1 {
		t.Errorf("header %+v", h)
	}
	// Fatal syntax errors end the stream.
	for _, bad := range []string{`{"type":"bundle","objects":[{"type":"x-a"} {"type":"x-b"}]}`, `{"type":"bundle","objects":[{"type":"x-a"}`, `{"type":"bundle","objects":[]} x`, `nope`} {
		dec := bundle.NewDecoder(strings.NewReader(bad), bundle.DecodeOptions{})
		var last error
		for _, err := range dec.All() {
			last = err
		}
		if !errors.Is(last, bundle.ErrSyntax) {
			t.Errorf("%s: last error %v, want ErrSyntax", bad, last)
		}
	}
	// Depth and size limits.
	deep := `{"type":"bundle","objects":[{"type":"x-a","x":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}]}`
	if _, err := bundle.NewDecoder(strings.NewReader(deep), bundle.DecodeOptions{}).Next(); !errors.Is(err, bundle.ErrSyntax) || !strings.Contains(err.Error(), "nesting") {
		t.Errorf("deep: %v", err)
	}
	big := `{"type":"bundle","objects":[{"type":"x-a","x":"` + strings.Repeat("a", 5000) + `"}]}`
	if _, err := bundle.NewDecoder(strings.NewReader(big), bundle.DecodeOptions{MaxObjectBytes: 1000}).Next(); !errors.Is(err, bundle.ErrTooLarge) {
		t.Errorf("big: %v", err)
	}
}

func TestStreamSingleObjectAndArray(t *testing.T) {
	for in, want := range map[string]string{
		`{"type":"ipv4-addr","value":"1.2.3.4"}`:                                "ipv4-addr",
		` [ {"type":"ipv4-addr","value":"1.2.3.4"}, {"type":"x-y"} ] `:          "ipv4-addr,x-y",
		`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"}`: "",
	} {
		dec := bundle.NewDecoder(strings.NewReader(in), bundle.DecodeOptions{})
		var got []string
		for obj, err := range dec.All() {
			if err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			got = append(got, obj.ObjectType())
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s: got %v want %s", in, got, want)
		}
	}
}

// TestStreamEncodeRoundTrip decodes every corpus bundle with the streaming
// Decoder and writes it back with the Encoder: the JSON value must equal
// the input's (the foundation's lossless round trip, streamed).
func TestStreamEncodeRoundTrip(t *testing.T) {
	for _, f := range corpusFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := bundle.NewDecoder(bytes.NewReader(data), bundle.DecodeOptions{})
		var out bytes.Buffer
		var enc *bundle.Encoder
		var objs [][]byte
		for obj, err := range dec.All() {
			if err != nil {
				t.Fatalf("%s: %v", filepath.Base(f), err)
			}
			h := dec.Header()
			if !h.IsBundle {
				b, _ := stix.Marshal(obj)
				objs = append(objs, b)
				continue
			}
			if enc == nil {
				enc = bundle.NewEncoder(&out, bundle.EncodeOptions{ID: stix.Identifier(h.ID), SpecVersion: h.SpecVersion})
			}
			if err := enc.Encode(obj); err != nil {
				t.Fatal(err)
			}
		}
		var got []byte
		switch {
		case enc != nil:
			h := dec.Header()
			if h.SpecVersion != "" && !bytes.Contains(out.Bytes()[:200], []byte(`"spec_version"`)) {
				enc.AddTrailer(stix.Property{Name: "spec_version", Value: []byte(strconv.Quote(h.SpecVersion))})
			}
			enc.AddTrailer(h.Custom...)
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			got = out.Bytes()
		case dec.Header().IsArray:
			got = append([]byte{'['}, bytes.Join(objs, []byte{','})...)
			got = append(got, ']')
		default:
			got = objs[0]
		}
		if d := testutil.JSONDiff(data, got); d != "" {
			t.Errorf("%s: streamed round trip differs at %s", filepath.Base(f), d)
		}
	}
}
