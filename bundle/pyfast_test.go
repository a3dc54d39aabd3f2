package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/pyjson"
	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

// diffPython compares the one-pass writer with the Value-based one on the
// JSON text data (FormatPython's input) and counts whether the one-pass
// writer took it.
type diffStats struct{ fast, declined int }

func (d *diffStats) format(t *testing.T, name string, data []byte, pretty bool) {
	t.Helper()
	want, werr := formatPythonValue(data, pretty)
	got, err := appendPythonFast(nil, string(data), pretty, pyjson.ParseOptions{DisallowNaN: true}, 0)
	if err != nil {
		if !errors.Is(err, errSlow) {
			t.Errorf("%s: fast writer error %v, want errSlow", name, err)
		}
		d.declined++
	} else {
		d.fast++
		if werr != nil {
			t.Errorf("%s (pretty %v): fast writer accepted what the reference refuses: %v", name, pretty, werr)
		} else if !bytes.Equal(got, want) {
			t.Errorf("%s (pretty %v): outputs differ at byte %d:\n fast %s\n ref  %s", name, pretty, firstDiff(got, want), clip(got, firstDiff(got, want)), clip(want, firstDiff(got, want)))
		}
	}
	// The public entry point gives the reference's bytes and errors.
	pub, perr := FormatPython(data, pretty)
	if (perr == nil) != (werr == nil) || (perr != nil && perr.Error() != werr.Error()) || !bytes.Equal(pub, want) {
		t.Errorf("%s (pretty %v): FormatPython differs from the reference: %v / %v", name, pretty, perr, werr)
	}
}

// marshal compares the two writers from a typed object at levels 0 and 1.
func (d *diffStats) marshal(t *testing.T, name string, obj stix.Object) {
	t.Helper()
	for _, s := range []Style{Python, PythonPretty} {
		for level := 0; level <= 1; level++ {
			want, werr := s.appendObjectValue([]byte("x"), obj, level)
			raw, _ := stix.Marshal(obj)
			if _, err := appendPythonFast(nil, string(raw), s == PythonPretty, pyjson.ParseOptions{}, 2*level); err != nil {
				d.declined++
			} else {
				d.fast++
			}
			got, err := s.appendObject([]byte("x"), obj, level)
			if (err == nil) != (werr == nil) || !bytes.Equal(got, want) {
				at := firstDiff(got, want)
				t.Errorf("%s %v level %d: %v / %v, differ at byte %d:\n new %s\n ref %s", name, s, level, err, werr, at, clip(got, at), clip(want, at))
			}
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func clip(b []byte, at int) string {
	lo, hi := max(0, at-80), min(len(b), at+80)
	return string(b[lo:hi])
}

// TestPythonFastDifferential runs the one-pass Python writer and the
// Value-based reference writer on every corpus file (whole, and object by
// object as stixkit fmt streams it), on every typed object of the corpus,
// and on every vector input: the bytes must be identical, and the one-pass
// writer must take nearly all of the corpus (not decline to the
// reference).
func TestPythonFastDifferential(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "corpus")
	var files []string
	_ = filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return err
	})
	if len(files) < 80 {
		t.Fatalf("only %d corpus files", len(files))
	}
	var whole, objs, typed diffStats
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		for _, pretty := range []bool{false, true} {
			whole.format(t, name, data, pretty)
		}
		dec := NewDecoder(bytes.NewReader(data), DecodeOptions{})
		for i := 0; ; i++ {
			raw, err := dec.NextRaw()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			raw = bytes.Clone(raw)
			for _, pretty := range []bool{false, true} {
				objs.format(t, name, raw, pretty)
			}
			if obj, _ := stix.ParseObject(raw); obj != nil {
				typed.marshal(t, name, obj)
			}
		}
	}
	t.Logf("whole files: %d fast, %d declined; objects: %d fast, %d declined; typed: %d fast, %d declined",
		whole.fast, whole.declined, objs.fast, objs.declined, typed.fast, typed.declined)
	if objs.fast < 20000 || objs.declined*50 > objs.fast || typed.declined*50 > typed.fast {
		t.Errorf("the one-pass writer declines too much: %+v objects, %+v typed", objs, typed)
	}

	// The vectors, including invalid and loosely typed input.
	data, err := os.ReadFile(testutil.SharedFile(t, "conformance/stix2-python/vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vf struct {
		Vectors []struct {
			Name  string
			Input struct {
				JSON json.RawMessage `json:"json"`
			}
		}
	}
	if err := json.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	var vec diffStats
	for _, v := range vf.Vectors {
		if len(v.Input.JSON) == 0 {
			continue
		}
		for _, pretty := range []bool{false, true} {
			vec.format(t, v.Name, v.Input.JSON, pretty)
		}
		if obj, _ := stix.ParseObject(v.Input.JSON); obj != nil {
			vec.marshal(t, v.Name, obj)
		}
	}
	t.Logf("vectors: %d fast, %d declined", vec.fast, vec.declined)
}

// TestPythonFastEdges: inputs the one-pass writer must decline or handle
// as the reference does.
func TestPythonFastEdges(t *testing.T) {
	var d diffStats
	for _, in := range []string{
		`{"type":"identity","id":"identity--ffffffff-0000-4000-8000-000000000000","name":"a","name":"b"}`,
		`{"type":"identity","id":"identity--ffffffff-0000-4000-8000-000000000000","x_a":{"k":1,"k":2},"x_b":null,"x_c":[ ],"x_d":[{"b":1,"a":{"10":1,"9":2,"x":[]}}]}`,
		`{"type":"identity","name":"\u00e9t\u00e9","revoked":"false","confidence":"42","x":1.50,"y":-0,"z":1E5}`,
		`{"type":"ipv4-addr","spec_version":"2.1","value":"1.2.3.4"}`,
		`{"type":"ipv4-addr","value":"1.2.3.4"}`,
		`{"type":"x-custom","spec_version":"2.1","value":"v","nested":{"b":[],"a":null}}`,
		`{"type":"x-custom","created":"2020-01-01T00:00:00Z","b":1,"a":{"d":1,"c":2}}`,
		`{"type":"x-custom","spec_version":"2.1","id":[ ],"value":"v"}`,
		`{"type":"ipv4-addr","spec_version":"2.1","id":[ ],"value":"1.2.3.4"}`,
		`{"type":"x-custom","created":"2020-01-01T00:00:00Z","10":1,"1a":null,"2":3,"1b":4,"9":[],"1":5}`,
		`{"type":"indicator","pattern":"[x:y = 1]","pattern_type":"stix","created":"2020-01-01t00:00:00z"}`,
		`{"type":"indicator","pattern_type":"st\u0069x","created":5,"external_references":"x","kill_chain_phases":[1]}`,
		`{"type":"malware","extensions":{"x-ext":{"b":1,"a":2},"extension-definition--d83fce45-93ec-4d59-a6cf-fcf2b76d0d7c":{"extension_type":"property-extension","z":[]}}}`,
		`{"type":"bundle","id":"bundle--1","x":null,"objects":[{"type":"identity","name":"a"},5]}`,
		`{"type":"bundle","id":"bundle--1","objects":[ ],"z":[]}`,
		`[{"type":"identity","name":"a"},{"type":"x-y","a":NaN}]`,
		`[{"type":"identity","name":"a"}] x`,
		"\xef\xbb\xbf{\"type\":\"identity\"}",
		`{"type":"identity","name":"a"`,
		`{"type":"identity","name":"a\"}`,
		`{"type":"identity","name":"a"} `,
		` [ ] `,
		`{}`,
		`{"type":"identity","x_deep":` + strings.Repeat("[", 999) + strings.Repeat("]", 999) + `}`,
		`{"type":"bundle","objects":[{"type":"identity","x_deep":` + strings.Repeat("[", 997) + strings.Repeat("]", 997) + `}]}`,
		`{"type":"identity","x_deep":` + strings.Repeat("[", 997) + `{"b":{"a":1}}` + strings.Repeat("]", 997) + `}`,
		`{"type":"identity","x_deep":` + strings.Repeat("[", 998) + `{"b":{"a":1}}` + strings.Repeat("]", 998) + `}`,
		`{"type":"identity","x_deep":` + strings.Repeat("[", 996) + `{"b":{"a":1}}` + strings.Repeat("]", 996) + `}`,
		`{"type":"identity","x_d":[{"b":1,"a":[{"d":"é
","c":-0,"e":1E2}],"aA":2}],"x_e":{"k":{"z":1,"z":2}},"x_f":{"2":1,"10":2,"1a":3}}`,
	} {
		for _, pretty := range []bool{false, true} {
			d.format(t, in[:min(len(in), 60)], []byte(in), pretty)
		}
	}
	t.Logf("%d fast, %d declined", d.fast, d.declined)
}

// FuzzPythonFast: whenever the one-pass writer takes an input, its bytes
// are the reference writer's, in both styles; FormatPython always gives
// the reference's bytes and errors.
func FuzzPythonFast(f *testing.F) {
	for _, s := range []string{
		`{"type":"identity","spec_version":"2.1","id":"identity--ffffffff-0000-4000-8000-000000000000","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00.1Z","name":"a","x_b":{"2":1,"10":[{"b":null,"a":[]}]},"revoked":false,"confidence":"42"}`,
		`{"type":"bundle","id":"bundle--1","objects":[{"type":"indicator","pattern_type":"stix","valid_from":"2020-01-01t00:00:00z","external_references":[{"source_name":"s","x":1}],"kill_chain_phases":[]},{"type":"x-y","created":"2020-01-01T00:00:00Z","b":{"d":1,"c":2},"a":null}]}`,
		`[{"type":"malware","extensions":{"x-ext":{"b":1},"extension-definition--d83fce45-93ec-4d59-a6cf-fcf2b76d0d7c":{"extension_type":"property-extension"}}},{"type":"file","id":"file--1","hashes":{"MD5":"x"},"size":1.5e3}]`,
		`{"type":"sighting","count":1E2,"x":-0,"y":"\u00e9\n","z":[1,2.50,true]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, pretty := range []bool{false, true} {
			want, werr := formatPythonValue(data, pretty)
			got, err := appendPythonFast(nil, string(data), pretty, pyjson.ParseOptions{DisallowNaN: true}, 0)
			if err == nil && (werr != nil || !bytes.Equal(got, want)) {
				t.Fatalf("pretty %v: fast %q, reference %q (%v)", pretty, got, want, werr)
			}
			if sco, _ := formatPythonValue(data, pretty); !bytes.Equal(sco, want) {
				continue // random SCO ids: not comparable
			}
			pub, perr := FormatPython(data, pretty)
			if (perr == nil) != (werr == nil) || (perr != nil && perr.Error() != werr.Error()) || !bytes.Equal(pub, want) {
				t.Fatalf("pretty %v: FormatPython %q %v, reference %q %v", pretty, pub, perr, want, werr)
			}
		}
	})
}
