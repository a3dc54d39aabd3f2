package jsonscan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stixkit/stixkit/internal/testutil"
)

// stdDecode is the reference: encoding/json with UseNumber.
func stdDecode(data []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false // trailing data
	}
	return v, true
}

// strictValid tells what DecodeAny must accept: what encoding/json accepts,
// minus invalid UTF-8 and unpaired surrogate escapes, which it refuses
// instead of replacing with U+FFFD. known is false when the input itself
// holds U+FFFD (then a replacement cannot be told from the original).
func strictValid(data []byte) (valid, known bool) {
	if bytes.Contains(data, []byte("\xef\xbf\xbd")) || bytes.Contains(bytes.ToLower(data), []byte(`\ufffd`)) {
		return false, false
	}
	v, ok := stdDecode(data)
	return ok && utf8.Valid(data) && !hasReplacement(v), true
}

// hasReplacement reports whether a decoded value holds U+FFFD.
func hasReplacement(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.ContainsRune(x, utf8.RuneError)
	case []any:
		for _, e := range x {
			if hasReplacement(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if strings.ContainsRune(k, utf8.RuneError) || hasReplacement(e) {
				return true
			}
		}
	}
	return false
}

var anyCases = []string{
	`{}`, `[]`, `{"a":[1,-2.5e+3,0,0.0,1E2],"b":{"c":null,"d":true,"e":false}}`,
	`"\u00e9\ud83d\ude00\n\t\"\\\/"`, ` {"a" : 1 , "a" : 2} `, `"é"`,
	``, `{`, `{"a"}`, `{"a":}`, `[1,]`, `{"a":1,}`, `01`, `1.`, `-`, `1e`, `.5`, `+1`,
	`"abc`, "\"a\x01b\"", `"\x"`, `"\u12"`, `tru`, `nul`, `{} {}`, `{"a":1}x`, `[1 2]`, `NaN`,
	`"\ud800"`, "\"a\xffb\"",
}

func TestDecodeAnyMatchesEncodingJSON(t *testing.T) {
	for _, c := range anyCases {
		got, err := DecodeAny([]byte(c), Limits{MaxDepth: 10000})
		want, ok := stdDecode([]byte(c))
		if valid, _ := strictValid([]byte(c)); (err == nil) != valid {
			t.Errorf("%q: err %v", c, err)
			continue
		}
		if err == nil && (!ok || !reflect.DeepEqual(got, want)) {
			t.Errorf("%q: %#v, encoding/json %#v", c, got, want)
		}
	}
}

func TestDecodeAnyCorpus(t *testing.T) {
	root := filepath.Join(testutil.SharedDir(t), "corpus")
	n := 0
	filepath.WalkDir(root, func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, gerr := DecodeAny(b, Limits{MaxDepth: 10000})
		want, ok := stdDecode(b)
		if gerr != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: differs from encoding/json (%v)", p, gerr)
		}
		n++
		return nil
	})
	if n == 0 {
		t.Error("no corpus files")
	}
}

func FuzzDecodeAny(f *testing.F) {
	for _, c := range anyCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := DecodeAny(data, Limits{MaxDepth: 100000})
		valid, known := strictValid(data)
		if !known {
			return
		}
		if (err == nil) != valid {
			t.Fatalf("%q: err %v", data, err)
		}
		if err == nil {
			if want, _ := stdDecode(data); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: %#v, encoding/json %#v", data, got, want)
			}
		}
	})
}

func TestDecodeAnyNoted(t *testing.T) {
	for _, tc := range []struct {
		in                   string
		repeated, nonInteger bool
	}{
		{`{"a":1,"b":[-2,0,123456789012345678]}`, false, false},
		{`{"a":1,"a":2}`, true, false},
		{`{"a":[{"b":{"c":1,"c":1}}]}`, true, false},
		{`{"a":1.5}`, false, true},
		{`{"a":1e3}`, false, true},
		{`{"a":[1234567890123456789]}`, false, true},
		{`{"a":-1234567890123456789}`, false, true},
		{`{"a":-0.0,"a":1}`, true, true},
		{`"1.5"`, false, false},
	} {
		var keys Keys
		for round := 0; round < 2; round++ { // the second time with names kept
			v, notes, err := DecodeAnyNoted([]byte(tc.in), Limits{}, &keys)
			if err != nil {
				t.Fatalf("%s: %v", tc.in, err)
			}
			if notes.Repeated != tc.repeated || notes.NonInteger != tc.nonInteger {
				t.Errorf("%s: %+v", tc.in, notes)
			}
			want, _ := DecodeAny([]byte(tc.in), Limits{})
			if !reflect.DeepEqual(v, want) {
				t.Errorf("%s: %v, DecodeAny: %v", tc.in, v, want)
			}
		}
	}
}

// TestKeysBounded: Keys keeps at most maxKeys names, none longer than
// maxKeyBytes, and still decodes every name right.
func TestKeysBounded(t *testing.T) {
	var keys Keys
	for i := 0; i < maxKeys+100; i++ {
		doc := fmt.Sprintf(`{"k%d":1,"%s":2}`, i, strings.Repeat("x", maxKeyBytes+1))
		v, _, err := DecodeAnyNoted([]byte(doc), Limits{}, &keys)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := v.(map[string]any)[fmt.Sprintf("k%d", i)]; !ok {
			t.Fatalf("%s: %v", doc, v)
		}
	}
	if len(keys.m) != maxKeys {
		t.Errorf("%d names kept, want %d", len(keys.m), maxKeys)
	}
}
