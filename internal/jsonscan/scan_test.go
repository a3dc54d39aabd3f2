package jsonscan

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRawCompacts(t *testing.T) {
	in := ` { "a" : [ 1 , 2.5e3 , "x\"y\u00e9" ] , "b\u0041" : { } , "c" : null , "d" : true } `
	d := NewDecoder([]byte(in), Limits{})
	got := string(d.Raw())
	d.ExpectEnd()
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	want := `{"a":[1,2.5e3,"x\"y\u00e9"],"b\u0041":{},"c":null,"d":true}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestStrings(t *testing.T) {
	for in, want := range map[string]string{
		`"plain"`:         "plain",
		`"a\nb\t\\\"/"`:   "a\nb\t\\\"/",
		`"\u00e9\u20ac"`:  "é€",
		`"\ud83d\ude00"`:  "😀",
		`"\/"`:            "/",
		"\"caf\xc3\xa9\"": "café",
	} {
		d := NewDecoder([]byte(in), Limits{})
		if got := d.String(); got != want || d.Err() != nil {
			t.Errorf("%s: got %q (%v), want %q", in, got, d.Err(), want)
		}
	}
	for _, bad := range []string{`"abc`, `"\x"`, `"\ud83d"`, `"\u12"`, "\"a\x01\"", "\"\xff\"", `abc`} {
		d := NewDecoder([]byte(bad), Limits{})
		_ = d.String()
		if d.Err() == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestNumbers(t *testing.T) {
	for in, want := range map[string]int{"0": 0, "-12": -12, "48.0": 48, "1e3": 1000, "9007199254740993": 9007199254740993} {
		d := NewDecoder([]byte(in), Limits{})
		if got := d.Int(); got != want || d.Err() != nil {
			t.Errorf("Int(%s) = %d (%v), want %d", in, got, d.Err(), want)
		}
	}
	for _, bad := range []string{"01", "1.", "-", "1e", "5.5", "1e400", "+1", ".5"} {
		d := NewDecoder([]byte(bad), Limits{})
		d.Int()
		d.ExpectEnd()
		if d.Err() == nil {
			t.Errorf("Int(%s) accepted", bad)
		}
	}
}

func TestErrorPath(t *testing.T) {
	d := NewDecoder([]byte(`{"a":{"b":[1,{"c":tru}]}}`), Limits{})
	d.Skip()
	var e *Error
	err := d.Err()
	if err == nil {
		t.Fatal("accepted")
	}
	e = err.(*Error)
	if e.Pointer() != "/a/b/1/c" {
		t.Errorf("pointer %q (%v)", e.Pointer(), err)
	}
}

func TestDepthLimit(t *testing.T) {
	deep := strings.Repeat("[", 300) + strings.Repeat("]", 300)
	d := NewDecoder([]byte(deep), Limits{})
	d.Skip()
	if d.Err() == nil || !strings.Contains(d.Err().Error(), "nesting deeper than 256") {
		t.Errorf("got %v", d.Err())
	}
	d = NewDecoder([]byte(deep), Limits{MaxDepth: 400})
	d.Skip()
	if d.Err() != nil {
		t.Errorf("MaxDepth 400: %v", d.Err())
	}
}

// FuzzRaw checks the reader against encoding/json: it accepts exactly the
// valid JSON documents in valid UTF-8 (it refuses invalid UTF-8, which
// encoding/json replaces silently) and compacts them to an equal value.
func FuzzRaw(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1,"x",null,true,{"b":[]}]`, `"\u00e9"`, `-0.5e-3`, `{"a":`, `[1,]`, `["abcdefghijklmnop\"qrstuvwxyz", "0123456789abcdé"]`, `{"abcdefghijklm\u0041": "` + "0123456789\x01" + `"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewDecoder(data, Limits{MaxDepth: 10000})
		raw := d.Raw()
		d.ExpectEnd()
		ok := d.Err() == nil
		if want := json.Valid(data) && utf8.Valid(data); ok != want {
			t.Fatalf("valid=%v, want %v: %q (%v)", ok, want, data, d.Err())
		}
		if ok {
			a, errA := decodeNumbers(data)
			b, errB := decodeNumbers(raw)
			if errA != nil || errB != nil {
				t.Fatalf("compact form invalid: %q", raw)
			}
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			if string(ja) != string(jb) {
				t.Fatalf("compact form changed the value: %q → %q", data, raw)
			}
		}
	})
}

// decodeNumbers decodes with numbers kept as text (1e1000 is valid JSON).
func decodeNumbers(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// TestStringWordScan: the 8-bytes-at-a-time string scan finds every byte
// that ends or interrupts a run of plain ASCII, at every position of a word
// and across words; values and verdicts match encoding/json.
func TestStringWordScan(t *testing.T) {
	specials := []string{`"`, `\"`, `\\`, `\n`, `\u00e9`, "\x00", "\x1f", "\x7f", "é", "\xff", "\xe2\x82", " "}
	n := 0
	for size := 0; size <= 26; size++ {
		for at := 0; at <= size; at++ {
			for _, sp := range specials {
				body := strings.Repeat("a", at) + sp + strings.Repeat("b", size-at)
				for _, doc := range []string{`"` + body + `"`, `{"` + body + `":"` + body + `"}`, `"` + body} {
					data := []byte(doc)
					d := NewDecoder(data, Limits{})
					raw := d.Raw()
					d.ExpectEnd()
					ok := d.Err() == nil
					if want := json.Valid(data) && utf8.Valid(data); ok != want {
						t.Fatalf("%q: valid=%v, want %v (%v)", doc, ok, want, d.Err())
					}
					if ok {
						var a, b any
						_ = json.Unmarshal(data, &a)
						_ = json.Unmarshal(raw, &b)
						if !reflect.DeepEqual(a, b) {
							t.Fatalf("%q: read as %q", doc, raw)
						}
						if doc[0] == '"' {
							d.Reset(data, Limits{})
							if got := d.String(); got != a.(string) {
								t.Fatalf("%q: String %q, want %q", doc, got, a)
							}
						}
					}
					n++
				}
			}
		}
	}
	if n < 4000 {
		t.Fatalf("only %d cases", n)
	}
}
