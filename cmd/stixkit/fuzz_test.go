package main

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
)

// FuzzEscape: escape's output is valid UTF-8 without a character it must
// escape, and text without such characters is left as it is.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "indicator--8e2e2d2b", "a\x1b]0;t\x07", "\u009b\u202e", "\xff\xfe", "é\\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := escape(s)
		if !utf8.ValidString(got) {
			t.Fatalf("escape(%q) = %q: not UTF-8", s, got)
		}
		for i, r := range got {
			if unsafeRune(r, utf8.RuneLen(r)) {
				t.Fatalf("escape(%q) = %q: %U at %d", s, got, r, i)
			}
		}
		clean := true
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unsafeRune(r, size) {
				clean = false
			}
			i += size
		}
		if clean && got != s {
			t.Fatalf("escape(%q) = %q: changed clean text", s, got)
		}
	})
}

// FuzzFmtPythonStream: the streaming Python style writes what
// bundle.FormatPython writes on the whole input, whenever both succeed,
// and never panics.
func FuzzFmtPythonStream(f *testing.F) {
	for _, s := range []string{
		`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"ipv4-addr","spec_version":"2.1","value":"1.2.3.4"}]}`,
		`[{"type":"x-a","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","b":{"2":1,"10":2}}]`,
		`{"objects":[{"type":"tool","spec_version":"2.1","id":"tool--0000004e-0000-4000-8000-00000000004e","created":"2017-01-01T12:34:56Z","modified":"2017-01-01T12:34:56Z","name":"t","confidence":"42"}],"x":[1],"type":"bundle"}`,
	} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, pretty bool) {
		want, werr := bundle.FormatPython(data, pretty)
		var out bytes.Buffer
		err := fmtPython(&out, bytes.NewReader(data), pretty)
		if werr == nil && err != nil && !strings.Contains(err.Error(), `"type" after "objects"`) {
			t.Fatalf("input %q: the whole input formats, the stream fails: %v", data, err)
		}
		if werr == nil && err == nil && !bytes.Equal(sameRandom(data, out.Bytes()), sameRandom(data, append(want, '\n'))) {
			t.Fatalf("input %q:\n stream %q\n whole  %q", data, out.Bytes(), want)
		}
	})
}

var uuidText = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)

// sameRandom replaces the random UUIDs out holds (version 4, not in the
// input: ids given to SCOs without id-contributing properties) with one
// token, so that two runs compare.
func sameRandom(in, out []byte) []byte {
	return uuidText.ReplaceAllFunc(out, func(u []byte) []byte {
		if bytes.Contains(in, u) {
			return u
		}
		return []byte("RANDOM-UUID")
	})
}

// FuzzFmtCanonicalStream: the streaming canonical fmt writes what decoding
// the whole input and encoding it writes, whenever both succeed.
func FuzzFmtCanonicalStream(f *testing.F) {
	for _, s := range []string{
		`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"ipv4-addr","spec_version":"2.1","value":"1.2.3.4"}]}`,
		`[{"type":"x-a","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","b":{"2":1,"10":2}}]`,
		`{"objects":[{"type":"identity","id":"identity--00000000-0000-4000-8000-000000000000","created":"2017-01-01T12:34:56Z","modified":"2017-01-01T12:34:56Z","name":"t"}],"spec_version":"2.0","x":[1],"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, werr := inMemoryCanonicalErr(data)
		var out bytes.Buffer
		err := fmtCanonical(&out, bytes.NewReader(data), func(stix.KeptValue) {})
		if werr == nil && err == nil && !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("input %q:\n stream    %q\n in memory %q", data, out.Bytes(), want)
		}
	})
}

// inMemoryCanonicalErr is inMemoryCanonical returning its error. Kept
// values (decoded, reported) are not an error.
func inMemoryCanonicalErr(data []byte) ([]byte, error) {
	var kept *stix.KeptValuesError
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '[' {
		objs, err := stix.ParseObjects(data)
		if objs != nil && errors.As(err, &kept) {
			err = nil
		}
		if err != nil {
			return nil, err
		}
		out := []byte{'['}
		for i, o := range objs {
			if i > 0 {
				out = append(out, ',')
			}
			if out, err = stix.AppendJSON(out, o); err != nil {
				return nil, err
			}
		}
		return append(out, "]\n"...), nil
	}
	obj, err := stix.Parse(data)
	if obj != nil && errors.As(err, &kept) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	out, err := stix.Marshal(obj)
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
