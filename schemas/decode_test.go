package schemas

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// stdDecode is the reference: encoding/json with UseNumber.
func stdDecode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errEscape // trailing data
	}
	return v, nil
}

var decodeCases = []string{
	`{}`, `[]`, `{"a":[1,-2.5e+3,0,0.0,1E2],"b":{"c":null,"d":true,"e":false}}`,
	`"\u00e9\ud83d\ude00\n\t\"\\\/"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00x"`, "\"a\xffb\"",
	` {"a" : 1 , "a" : 2} `, `"é"`,
	// invalid
	``, `{`, `{"a"}`, `{"a":}`, `[1,]`, `{"a":1,}`, `01`, `1.`, `-`, `1e`, `.5`, `+1`,
	`"abc`, "\"a\x01b\"", `"\x"`, `"\u12"`, `tru`, `nul`, `{} {}`, `{"a":1}x`, `[1 2]`, `NaN`,
}

func TestDecodeJSONMatchesEncodingJSON(t *testing.T) {
	for _, c := range decodeCases {
		got, gerr := decodeJSON([]byte(c))
		want, werr := stdDecode([]byte(c))
		if (gerr != nil) != (werr != nil) {
			t.Errorf("%q: err %v, encoding/json err %v", c, gerr, werr)
			continue
		}
		if gerr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %#v, encoding/json %#v", c, got, want)
		}
	}
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	if _, err := decodeJSON([]byte(deep)); err == nil {
		t.Error("no error beyond maxDepth")
	}
}

func TestDecodeJSONCorpus(t *testing.T) {
	root := testutil.SharedFile(t, "corpus")
	n := 0
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, gerr := decodeJSON(b)
		want, werr := stdDecode(b)
		if gerr != nil || werr != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: differs from encoding/json (%v, %v)", p, gerr, werr)
		}
		n++
		return nil
	})
	if n == 0 {
		t.Error("no corpus files")
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, gerr := decodeJSON(data)
		want, werr := stdDecode(data)
		if (gerr != nil) != (werr != nil) {
			t.Fatalf("%q: err %v, encoding/json err %v", data, gerr, werr)
		}
		if gerr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %#v, encoding/json %#v", data, got, want)
		}
	})
}

// FuzzValidateObject checks that the validator never panics and returns
// either findings or an input error.
func FuzzValidateObject(f *testing.F) {
	f.Add([]byte(sdo("indicator", `"pattern":"[x:y = 1]","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"`)))
	f.Add([]byte(sco("file", `"name":"f","extensions":{"ntfs-ext":{"sid":"1"}}`)))
	f.Add([]byte(`{"type":"observed-data","objects":{"0":{"type":"file"}}}`))
	v := Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		errs, err := v.ValidateObject(data)
		if err != nil && errs != nil {
			t.Fatal("both findings and an error")
		}
	})
}
