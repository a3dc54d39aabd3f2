package pyjson

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stixkit/stixkit/internal/testutil"
)

var optionSets = map[string]DumpOptions{
	"default": {},
	"indent4": {Indent: 4},
	"noascii": {NoEnsureASCII: true},
	"sorted":  {SortKeys: true, Indent: 2},
}

// TestDumpsTable holds hand-checked expectations of json.dumps(json.loads(in)).
func TestDumpsTable(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":1,"b":[true,false,null]}`, `{"a": 1, "b": [true, false, null]}`},
		{`"café"`, `"caf\u00e9"`},
		{`"😀"`, `"\ud83d\ude00"`},
		{`"\ud83d\ude00"`, `"\ud83d\ude00"`},
		{`"\ud800"`, `"\ud800"`},
		{`"\udc00\ud800"`, `"\udc00\ud800"`},
		{"\"\\u0000\\u001f\\u007f\"", `"\u0000\u001f\u007f"`},
		{`"\b\f\n\r\t\"\\\/"`, `"\b\f\n\r\t\"\\/"`},
		{"\"\u2028\"", `"\u2028"`},
		{`123456789012345678901234567890`, `123456789012345678901234567890`},
		{`-0`, `0`},
		{`0.1`, `0.1`},
		{`1e22`, `1e+22`},
		{`1E5`, `100000.0`},
		{`5e-324`, `5e-324`},
		{`1.0`, `1.0`},
		{`-0.0`, `-0.0`},
		{`1E400`, `Infinity`},
		{`-1E400`, `-Infinity`},
		{`1e-400`, `0.0`},
		{`0.00001`, `1e-05`},
		{`0.0001`, `0.0001`},
		{`1e16`, `1e+16`},
		{`1e15`, `1000000000000000.0`},
		{`NaN`, `NaN`},
		{`{"a":1,"b":2,"a":3}`, `{"a": 3, "b": 2}`},
		{`[]`, `[]`},
		{`{}`, `{}`},
		{"[1,\n                 2 ,        3\t\r\n]", `[1, 2, 3]`},
		{"{\"a\":        1,          \"b\" :   [  ] }", `{"a": 1, "b": []}`},
		{"        \"x\"                ", `"x"`},
	}
	for _, tt := range tests {
		v, err := Parse([]byte(tt.in), ParseOptions{})
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.in, err)
			continue
		}
		if got := string(Dumps(v, DumpOptions{})); got != tt.want {
			t.Errorf("Dumps(Parse(%s)) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestDumpsOptions(t *testing.T) {
	v, err := Parse([]byte(`{"b":[1,{"é":[]}],"a":{}}`), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a\": {},\n  \"b\": [\n    1,\n    {\n      \"\\u00e9\": []\n    }\n  ]\n}"
	if got := string(Dumps(v, DumpOptions{Indent: 2, SortKeys: true})); got != want {
		t.Errorf("indent+sort:\n%s\nwant\n%s", got, want)
	}
	if got := string(Dumps(v, DumpOptions{NoEnsureASCII: true})); got != `{"b": [1, {"é": []}], "a": {}}` {
		t.Errorf("no ensure_ascii: %s", got)
	}
}

type goldenCase struct {
	In      string `json:"in"`
	OK      bool   `json:"ok"`
	Default string `json:"default"`
	Indent4 string `json:"indent4"`
	NoASCII string `json:"noascii"`
	Sorted  string `json:"sorted"`
}

func b64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoldenCases replays testdata/cases.golden.json, produced from
// testdata/cases.json by CPython 3.11 (testdata/gen_golden.py).
func TestGoldenCases(t *testing.T) {
	raw, err := os.ReadFile("testdata/cases.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 100 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		in := b64(t, c.In)
		v, err := Parse(in, ParseOptions{})
		if !c.OK {
			if err == nil {
				t.Errorf("Parse(%q) accepted input Python rejects: %s", in, Dumps(v, DumpOptions{}))
			} else if !errors.Is(err, ErrSyntax) {
				t.Errorf("Parse(%q): error %v does not match ErrSyntax", in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		for name, want := range map[string]string{"default": c.Default, "indent4": c.Indent4, "noascii": c.NoASCII, "sorted": c.Sorted} {
			if got := Dumps(v, optionSets[name]); string(got) != string(b64(t, want)) {
				t.Errorf("%s Dumps(Parse(%q)) = %q, want %q", name, in, got, b64(t, want))
			}
		}
	}
}

// TestCorpus checks parse→dumps over every corpus file against SHA-256
// digests of CPython's output (testdata/corpus.sha256), and independently
// that the output decodes (encoding/json) to the same value as the input.
func TestCorpus(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "corpus")
	f, err := os.Open("testdata/corpus.sha256")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{} // "option file" -> digest
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), " ", 3)
		if len(parts) == 3 {
			want[parts[1]+" "+parts[2]] = parts[0]
		}
	}
	files := 0
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		v, err := Parse(data, ParseOptions{})
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		for name, opt := range optionSets {
			out := Dumps(v, opt)
			sum := sha256.Sum256(out)
			w, ok := want[name+" "+rel]
			if !ok {
				t.Errorf("%s: no golden digest for %s", rel, name)
				continue
			}
			if hex.EncodeToString(sum[:]) != w {
				t.Errorf("%s %s: output differs from CPython's", rel, name)
			}
		}
		var a, b any
		if json.Unmarshal(data, &a) == nil {
			if err := json.Unmarshal(Dumps(v, DumpOptions{}), &b); err != nil {
				t.Errorf("%s: output is not JSON: %v", rel, err)
			} else if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("%s: output decodes to a different value", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files*len(optionSets) != len(want) {
		t.Errorf("%d files × %d options, but %d golden digests", files, len(optionSets), len(want))
	}
}

func TestAppendFloat(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {1, "1.0"}, {2.5, "2.5"}, {0.1, "0.1"},
		{1e21, "1e+21"}, {1e22, "1e+22"}, {1e16, "1e+16"}, {9999999999999998, "9999999999999998.0"},
		{1e-5, "1e-05"}, {1.5e-5, "1.5e-05"}, {1e-4, "0.0001"}, {5e-324, "5e-324"},
		{1.7976931348623157e308, "1.7976931348623157e+308"}, {-123.456, "-123.456"},
		{math.Inf(1), "Infinity"}, {math.Inf(-1), "-Infinity"}, {math.NaN(), "NaN"},
		{123456789012345678, "1.2345678901234568e+17"}, {1e100, "1e+100"},
	}
	for _, tt := range tests {
		if got := string(AppendFloat([]byte("x"), tt.f)); got != "x"+tt.want {
			t.Errorf("AppendFloat(%v) = %s, want x%s", tt.f, got, tt.want)
		}
	}
}

func TestAppendStringInvalidUTF8(t *testing.T) {
	if got := string(AppendString(nil, "a\xffb", true)); got != `"a\ufffdb"` {
		t.Errorf("ensure_ascii: %s", got)
	}
	if got := string(AppendString(nil, "a\xffb\x01", false)); got != "\"a\xffb\\u0001\"" {
		t.Errorf("raw: %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		opt    ParseOptions
		offset int
		limit  bool
	}{
		{`[1, 2`, ParseOptions{}, 5, false},
		{`{"a" 1}`, ParseOptions{}, 5, false},
		{"\"ab\xffc\"", ParseOptions{}, 3, false},
		{`[[[1]]]`, ParseOptions{MaxDepth: 2}, 2, true},
		{`[1, 2, 3]`, ParseOptions{MaxBytes: 4}, 4, true},
		{`[NaN]`, ParseOptions{DisallowNaN: true}, 1, false},
		{`[-Infinity]`, ParseOptions{DisallowNaN: true}, 1, false},
		{"[" + strings.Repeat("1", MaxIntDigits+1) + "]", ParseOptions{}, 1, false},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in), tt.opt)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%.20q): got %v, want *SyntaxError", tt.in, err)
			continue
		}
		if se.Offset != tt.offset {
			t.Errorf("Parse(%.20q): offset %d, want %d (%v)", tt.in, se.Offset, tt.offset, err)
		}
		if errors.Is(err, ErrLimit) != tt.limit || errors.Is(err, ErrSyntax) == tt.limit {
			t.Errorf("Parse(%.20q): %v: wrong sentinel", tt.in, err)
		}
	}
	if _, err := Parse([]byte("["+strings.Repeat("1", MaxIntDigits)+"]"), ParseOptions{}); err != nil {
		t.Errorf("%d-digit int rejected: %v", MaxIntDigits, err)
	}
	deep := strings.Repeat("[", DefaultMaxDepth) + strings.Repeat("]", DefaultMaxDepth)
	if _, err := Parse([]byte(deep), ParseOptions{}); err != nil {
		t.Errorf("default depth rejected: %v", err)
	}
	if _, err := Parse([]byte("["+deep+"]"), ParseOptions{}); !errors.Is(err, ErrLimit) {
		t.Errorf("depth %d: %v", DefaultMaxDepth+1, err)
	}
}

func TestValueMethods(t *testing.T) {
	v, err := Parse([]byte(`{"type":"bundle","id":"b","objects":[]}`), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := v.GetString("type"); !ok || s != "bundle" {
		t.Errorf("GetString(type) = %q %v", s, ok)
	}
	if _, ok := v.Get("nope"); ok {
		t.Error("Get(nope) found")
	}
	shared := v
	v.Set("id", StringValue("x"))
	v.Set("n", IntValue(-7))
	v.Set("f", FloatValue(2))
	if !v.Delete("type") || v.Delete("type") {
		t.Error("Delete")
	}
	if got := string(Dumps(v, DumpOptions{})); got != `{"id": "x", "objects": [], "n": -7, "f": 2.0}` {
		t.Errorf("after edits: %s", got)
	}
	if got := string(Dumps(shared, DumpOptions{})); got != `{"type": "bundle", "id": "x", "objects": []}` {
		t.Errorf("shared copy: %s", got)
	}
	if f, ok := v.Obj[3].Value.Float(); !ok || f != 2 {
		t.Errorf("Float = %v %v", f, ok)
	}
	if !v.Obj[2].Value.IsInt() || v.Obj[3].Value.IsInt() {
		t.Error("IsInt")
	}
	w := ObjectValue(Member{"id", StringValue("x")}, Member{"objects", ArrayValue()}, Member{"n", IntValue(-7)}, Member{"f", FloatValue(2)})
	w.Obj[1].Value.Arr = []Value{}
	if !v.Equal(w) {
		t.Errorf("Equal: %s vs %s", Dumps(v, DumpOptions{}), Dumps(w, DumpOptions{}))
	}
	if Kind(9).String() != "kind(9)" || Object.String() != "object" {
		t.Error("Kind.String")
	}
}

func ExampleDumps() {
	v, _ := Parse([]byte(`{"name":"Zürich","score":1E2,"big":123456789012345678901,"tags":["a","😀"]}`), ParseOptions{})
	fmt.Println(string(Dumps(v, DumpOptions{})))
	fmt.Println(string(Dumps(v, DumpOptions{SortKeys: true, NoEnsureASCII: true})))
	// Output:
	// {"name": "Z\u00fcrich", "score": 100.0, "big": 123456789012345678901, "tags": ["a", "\ud83d\ude00"]}
	// {"big": 123456789012345678901, "name": "Zürich", "score": 100.0, "tags": ["a", "😀"]}
}

func FuzzParse(f *testing.F) {
	raw, err := os.ReadFile("testdata/cases.golden.json")
	if err == nil {
		var cases []goldenCase
		if json.Unmarshal(raw, &cases) == nil {
			for _, c := range cases {
				if b, err := base64.StdEncoding.DecodeString(c.In); err == nil {
					f.Add(b)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data, ParseOptions{MaxDepth: 64})
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		for _, opt := range optionSets {
			out := Dumps(v, opt)
			if opt.NoEnsureASCII && !utf8.Valid(out) {
				continue // lone surrogates written raw, as Python would (and then fail to encode)
			}
			v2, err := Parse(out, ParseOptions{MaxDepth: 64})
			if err != nil {
				t.Fatalf("output %q does not parse: %v", out, err)
			}
			if !v2.Equal(v) && !opt.SortKeys {
				t.Fatalf("round trip changed the value: %q -> %q", data, out)
			}
			if out2 := Dumps(v2, opt); string(out2) != string(out) {
				t.Fatalf("dumps not stable: %q vs %q", out, out2)
			}
		}
	})
}
