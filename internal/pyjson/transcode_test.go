package pyjson

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// transcodeAgrees checks that AppendTranscode and the Transcoder agree
// with Parse then Dumps on src, output and errors alike.
func transcodeAgrees(t *testing.T, src []byte, popt ParseOptions) {
	t.Helper()
	v, perr := Parse(src, popt)
	for name, opt := range optionSets {
		got, err := AppendTranscode([]byte("pre"), src, popt, opt)
		if (err == nil) != (perr == nil) {
			t.Fatalf("%s %q: transcode error %v, parse error %v", name, src, err, perr)
		}
		if err != nil {
			if errors.Is(err, ErrSyntax) != errors.Is(perr, ErrSyntax) {
				t.Fatalf("%s %q: error kinds differ: %v / %v", name, src, err, perr)
			}
			continue
		}
		if want := "pre" + string(Dumps(v, opt)); string(got) != want {
			t.Fatalf("%s %q:\n got %q\nwant %q", name, src, got, want)
		}
	}
}

func TestTranscodeGolden(t *testing.T) {
	raw, err := os.ReadFile("testdata/cases.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		in, _ := base64.StdEncoding.DecodeString(c.In)
		transcodeAgrees(t, in, ParseOptions{})
	}
	transcodeAgrees(t, []byte(`[[[1]]]`), ParseOptions{MaxDepth: 2})
	transcodeAgrees(t, []byte(`[[1]]`), ParseOptions{MaxDepth: 2})
	transcodeAgrees(t, []byte(`[NaN]`), ParseOptions{DisallowNaN: true})
	transcodeAgrees(t, []byte(`{"a":{"b":1,"b":2},"c":[{"x":1,"y":2,"x":3}]}`), ParseOptions{})
}

func TestTranscodeDuplicate(t *testing.T) {
	var tr Transcoder
	_, err := tr.Append(nil, []byte(`{"a":1,"b":{"k":1,"k":2}}`))
	if !errors.Is(err, ErrDuplicateKey) || errors.Is(err, ErrSyntax) {
		t.Fatalf("got %v", err)
	}
	many := `{`
	for i := 0; i < 40; i++ {
		many += `"k` + strconv.Itoa(i) + `":1,`
	}
	many += `"k7":2}`
	if _, err := tr.Append(nil, []byte(many)); !errors.Is(err, ErrDuplicateKey) {
		t.Fatalf("large object: %v", err)
	}
}

func TestTranscodeVisit(t *testing.T) {
	var evs []VisitEvent
	tr := Transcoder{VisitDepth: 3, Visit: func(ev VisitEvent) { evs = append(evs, ev) }}
	out, err := tr.Append([]byte("x"), []byte(`{"type":"bundle","objects":[{"id":"a","refs":["r"]},{"id":"b"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, strings.Repeat(".", e.Depth)+e.Key+"="+string(out[e.Start:e.End]))
	}
	want := []string{`.type="bundle"`, `...id="a"`, `...refs=["r"]`, `..={"id": "a", "refs": ["r"]}`, `...id="b"`, `..={"id": "b"}`,
		`.objects=[{"id": "a", "refs": ["r"]}, {"id": "b"}]`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if evs[4].Index != 0 || evs[5].Index != 1 || evs[6].Index != 1 {
		t.Errorf("indexes %+v", evs)
	}
}

func TestTranscodeCorpus(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "corpus")
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		transcodeAgrees(t, data, ParseOptions{})
		n++
		return nil
	})
	if n == 0 {
		t.Fatal("no corpus files")
	}
}

func FuzzTranscode(f *testing.F) {
	f.Add([]byte(`{"a":[1,2.5,"\u00e9\ud800",{"b":null}],"a2":-0}`))
	f.Add([]byte(`{"k":1,"k":2}`))
	f.Add([]byte(`[NaN,-Infinity,1E400,"\/"]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Count(data, []byte("[")) > 200 {
			return
		}
		transcodeAgrees(t, data, ParseOptions{MaxDepth: 32})
	})
}

// BenchmarkTranscode measures the one-pass json.dumps(json.loads(x)).
func BenchmarkTranscode(b *testing.B) {
	data := benchInput(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	buf := make([]byte, 0, 2*len(data))
	var tr Transcoder
	for b.Loop() {
		var err error
		if buf, err = tr.Append(buf[:0], data); err != nil {
			b.Fatal(err)
		}
	}
}
