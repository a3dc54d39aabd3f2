package jcs

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
	"github.com/stixkit/stixkit/internal/testutil"
)

func TestCanonicalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"rfc8785 3.2.2", `{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`, `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`},
		{"utf16 key order", `{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew","1":"One","\ud83d\ude00":"Emoji","\u0080":"Control","\u00f6":"o"}`,
			"{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"o\",\"€\":\"Euro Sign\",\"😀\":\"Emoji\",\"\ufb33\":\"Hebrew\"}"},
		{"nested sort", `{"b":{"z":1,"a":[{"y":2,"x":1}]},"a":0}`, `{"a":0,"b":{"a":[{"x":1,"y":2}],"z":1}}`},
		{"whitespace", " [ 1 , 2.0 , -0 , -0.0 ] ", `[1,2,0,0]`},
		{"escapes", `"\b\f\n\r\t\u0001\u001f\u007f\u2028/"`, "\"\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\u2028/\""},
		{"empty", `{"a":{},"b":[]}`, `{"a":{},"b":[]}`},
		{"big int exact digits lost", `12345678901234567890`, `12345678901234567000`},
		{"underflow", `1e-400`, `0`},
	}
	for _, tt := range tests {
		got, err := Canonicalize([]byte(tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestCanonicalizeRejects(t *testing.T) {
	tests := []struct{ name, in string }{
		{"duplicate", `{"a":1,"a":2}`},
		{"duplicate via escape", `{"a":1,"\u0061":2}`},
		{"invalid utf8", "\"\xff\""},
		{"truncated utf8", "\"\xe2\x82\""},
		{"lone high surrogate", `"\ud800"`},
		{"lone low surrogate", `"\udc00x"`},
		{"NaN", `NaN`},
		{"Infinity", `[Infinity]`},
		{"out of range", `1e400`},
		{"leading zero", `01`},
		{"trailing comma", `[1,]`},
		{"extra", `1 2`},
		{"raw control", "\"a\x01\""},
		{"empty", ``},
		{"bad escape", `"\x"`},
		{"unterminated", `{"a":`},
		{"plus", `+1`},
		{"dot", `1.`},
		{"exp", `1e`},
	}
	for _, tt := range tests {
		_, err := Canonicalize([]byte(tt.in))
		if err == nil {
			t.Errorf("%s: accepted %q", tt.name, tt.in)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) {
			t.Errorf("%s: error %v is not a *SyntaxError", tt.name, err)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	deep := func(n int) []byte {
		b := make([]byte, 0, 2*n)
		for i := 0; i < n; i++ {
			b = append(b, '[')
		}
		for i := 0; i < n; i++ {
			b = append(b, ']')
		}
		return b
	}
	if _, err := Canonicalize(deep(MaxDepth)); err != nil {
		t.Fatalf("depth %d rejected: %v", MaxDepth, err)
	}
	if _, err := Canonicalize(deep(MaxDepth + 1)); err == nil {
		t.Fatalf("depth %d accepted", MaxDepth+1)
	}
}

// TestAppendNumber uses the binary64 table of RFC 8785 Appendix B.
func TestAppendNumber(t *testing.T) {
	tests := []struct {
		bits uint64
		want string
	}{
		{0x0000000000000000, "0"},
		{0x8000000000000000, "0"},
		{0x0000000000000001, "5e-324"},
		{0x8000000000000001, "-5e-324"},
		{0x7fefffffffffffff, "1.7976931348623157e+308"},
		{0xffefffffffffffff, "-1.7976931348623157e+308"},
		{0x4340000000000000, "9007199254740992"},
		{0xc340000000000000, "-9007199254740992"},
		{0x4430000000000000, "295147905179352830000"},
		{0x44b52d02c7e14af5, "9.999999999999997e+22"},
		{0x44b52d02c7e14af6, "1e+23"},
		{0x44b52d02c7e14af7, "1.0000000000000001e+23"},
		{0x444b1ae4d6e2ef4e, "999999999999999700000"},
		{0x444b1ae4d6e2ef4f, "999999999999999900000"},
		{0x444b1ae4d6e2ef50, "1e+21"},
		{0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
		{0x3eb0c6f7a0b5ed8d, "0.000001"},
		{0x41b3de4355555553, "333333333.3333332"},
		{0x41b3de4355555554, "333333333.33333325"},
		{0x41b3de4355555555, "333333333.3333333"},
		{0x41b3de4355555556, "333333333.3333334"},
		{0x41b3de4355555557, "333333333.33333343"},
		{0xbecbf647612f3696, "-0.0000033333333333333333"},
		{0x43143ff3c1cb0959, "1424953923781206.2"},
	}
	for _, tt := range tests {
		got := string(AppendNumber(nil, math.Float64frombits(tt.bits)))
		if got != tt.want {
			t.Errorf("%#016x: got %s want %s", tt.bits, got, tt.want)
		}
	}
	more := []struct {
		f    float64
		want string
	}{
		{1.0, "1"}, {1e21, "1e+21"}, {1e20, "100000000000000000000"}, {1e-7, "1e-7"},
		{1.5e-7, "1.5e-7"}, {0.1, "0.1"}, {-1.25, "-1.25"}, {123e-20, "1.23e-18"},
		{math.NaN(), "null"}, {math.Inf(1), "null"},
	}
	for _, tt := range more {
		if got := string(AppendNumber([]byte("x"), tt.f)); got != "x"+tt.want {
			t.Errorf("%v: got %s want x%s", tt.f, got, tt.want)
		}
	}
}

// TestSTIX2Vectors checks the canonical strings the Python stix2 library
// hashed for deterministic SCO ids: they are fixed points of Canonicalize,
// a re-encoding of the same value (different escaping, Go's key order)
// canonicalizes back to them, and uuid5 over them gives the expected id.
func TestSTIX2Vectors(t *testing.T) {
	path := testutil.SharedFile(t, "conformance/stix2-python/vectors.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Vectors []struct {
			Name      string          `json:"name"`
			Kind      string          `json:"kind"`
			Expected  json.RawMessage `json:"expected"`
			Canonical string          `json:"canonical"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	ns := uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")
	n := 0
	for _, v := range doc.Vectors {
		if v.Kind != "sco_id" || v.Canonical == "" {
			continue
		}
		var expected string
		if err := json.Unmarshal(v.Expected, &expected); err != nil {
			t.Fatalf("%s: expected is not a string: %v", v.Name, err)
		}
		n++
		got, err := Canonicalize([]byte(v.Canonical))
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		if string(got) != v.Canonical {
			t.Errorf("%s: not a fixed point:\n got %s\nwant %s", v.Name, got, v.Canonical)
		}
		var anyv any
		if err := json.Unmarshal([]byte(v.Canonical), &anyv); err != nil {
			t.Fatal(err)
		}
		reenc, _ := json.MarshalIndent(anyv, "", "  ")
		got2, err := Canonicalize(reenc)
		if err != nil || string(got2) != v.Canonical {
			t.Errorf("%s: re-encoded form canonicalizes to %s (%v)", v.Name, got2, err)
		}
		typ := expected[:len(expected)-len("--00000000-0000-0000-0000-000000000000")]
		id := typ + "--" + uuid.NewSHA1(ns, got).String()
		if id != expected {
			t.Errorf("%s: id %s want %s", v.Name, id, expected)
		}
	}
	if n == 0 {
		t.Fatal("no sco_id vectors found")
	}
	t.Logf("%d sco_id vectors checked", n)
}

func ExampleCanonicalize() {
	out, _ := Canonicalize([]byte(`{"b": 2.50, "a": [1E21, 1e-7, -0.0]}`))
	os.Stdout.Write(append(out, '\n'))
	// Output: {"a":[1e+21,1e-7,0],"b":2.5}
}

func FuzzCanonicalize(f *testing.F) {
	f.Add([]byte(`{"b":[1,2.5,"x\u00e9"],"a":null}`))
	f.Add([]byte(`[1e21,-0,"\ud83d\ude00"]`))
	if files, _ := filepath.Glob("testdata/*.json"); files != nil {
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Canonicalize(data)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid output %q", out)
		}
		again, err := Canonicalize(out)
		if err != nil || string(again) != string(out) {
			t.Fatalf("not idempotent: %q -> %q (%v)", out, again, err)
		}
	})
}
