package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

// inMemoryCanonical is what fmt wrote before it streamed: the whole input
// decoded, then encoded (arrays element by element).
func inMemoryCanonical(t *testing.T, data []byte) []byte {
	t.Helper()
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '[' {
		objs, err := stix.ParseObjects(data)
		if err != nil {
			t.Fatal(err)
		}
		out := []byte{'['}
		for i, o := range objs {
			if i > 0 {
				out = append(out, ',')
			}
			if out, err = stix.AppendJSON(out, o); err != nil {
				t.Fatal(err)
			}
		}
		return append(out, "]\n"...)
	}
	obj, err := stix.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	out, err := stix.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// TestFmtStreamMatchesInMemory: the streaming fmt writes, byte for byte,
// what decoding the whole input and encoding it gives, on every corpus
// file and on the container shapes the stream handles apart.
func TestFmtStreamMatchesInMemory(t *testing.T) {
	var files []string
	dir := filepath.Join(testutil.SharedDir(t), "corpus")
	_ = filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return err
	})
	if len(files) < 50 {
		t.Fatalf("corpus: %d files", len(files))
	}
	check := func(name string, data []byte) {
		t.Helper()
		want := inMemoryCanonical(t, data)
		var out, errb bytes.Buffer
		if code := run([]string{"fmt", "-"}, bytes.NewReader(data), &out, &errb); code != 0 {
			t.Errorf("%s: exit %d: %s", name, code, errb.String())
			return
		}
		if !bytes.Equal(out.Bytes(), want) {
			i := 0
			for i < len(want) && i < out.Len() && want[i] == out.Bytes()[i] {
				i++
			}
			t.Errorf("%s: streamed output differs at byte %d: %.80q vs %.80q", name, i, out.Bytes()[i:], want[i:])
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check(filepath.Base(f), data)
	}
	const ip = `{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}`
	for name, in := range map[string]string{
		"id after objects":          `{"objects":[` + ip + `],"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"}`,
		"no id":                     `{"type":"bundle","objects":[` + ip + `]}`,
		"custom members around":     `{"x_a":1,"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[` + ip + `],"x_b":[2]}`,
		"2.0 spec_version first":    `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","spec_version":"2.0","objects":[` + ip + `]}`,
		"empty objects":             `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[]}`,
		"no objects":                `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"}`,
		"empty array":               `[]`,
		"array":                     `[` + ip + `,` + ip + `]`,
		"single object, whitespace": "\n " + ip + " \n",
		"bundle, pretty":            "{\n \"type\": \"bundle\",\n \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\n \"objects\": [\n  " + ip + "\n ]\n}\n",
	} {
		check(name, []byte(in))
	}
}

// TestFmtPythonStreamMatchesWhole: the streaming Python styles write, byte
// for byte, what bundle.FormatPython gives on the whole input, on every
// corpus file and on the container shapes the stream handles apart.
func TestFmtPythonStreamMatchesWhole(t *testing.T) {
	var files []string
	dir := filepath.Join(testutil.SharedDir(t), "corpus")
	_ = filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return err
	})
	inputs := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = data
	}
	const ip = `{"type":"ipv4-addr","spec_version":"2.1","value":"198.51.100.3","x_d":{"b":1,"a":{"z":1,"10":2,"9":3}}}`
	const tool = `{"type":"tool","spec_version":"2.1","id":"tool--0000004e-0000-4000-8000-00000000004e","created":"2017-01-01T12:34:56Z","modified":"2017-01-01T12:34:56.1Z","name":"t","confidence":"42","revoked":false}`
	for name, in := range map[string]string{
		"id after objects":      `{"objects":[` + ip + `],"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"}`,
		"no id":                 `{"type":"bundle","objects":[` + ip + `,` + tool + `]}`,
		"custom members around": `{"x_a":{"k":[1,{"b":2,"a":1}]},"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[` + ip + `],"x_b":{"y":2,"x":1}}`,
		"2.0 spec_version last": `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[` + ip + `],"spec_version":"2.0"}`,
		"empty objects":         `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[]}`,
		"no objects":            `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","x":1}`,
		"empty array":           ` [ ] `,
		"array":                 `[` + ip + `,` + tool + `]`,
		"single object":         "\n " + tool + " \n",
		"objects, not a bundle": `{"type":"","objects":[` + ip + `],"x":1}`,
		"coerced values":        `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[` + tool + `]}`,
	} {
		inputs[name] = []byte(in)
	}
	for name, data := range inputs {
		for _, style := range []string{"python", "python-pretty"} {
			want, err := bundle.FormatPython(data, style == "python-pretty")
			var out, errb bytes.Buffer
			code := run([]string{"fmt", "--style", style, "-"}, bytes.NewReader(data), &out, &errb)
			if err != nil {
				if code == 0 {
					t.Errorf("%s %s: FormatPython fails (%v), fmt does not", name, style, err)
				}
				continue
			}
			want = append(want, '\n')
			if code != 0 || !bytes.Equal(out.Bytes(), want) {
				i := 0
				for i < len(want) && i < out.Len() && want[i] == out.Bytes()[i] {
					i++
				}
				t.Errorf("%s %s: exit %d %s: output differs at byte %d: %.80q vs %.80q", name, style, code, errb.String(), i, out.Bytes()[min(i, out.Len()):], want[i:])
			}
		}
	}
}
