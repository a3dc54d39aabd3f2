package stix_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

const goodIndicator = `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"%s}`

func indicatorWith(extra string) []byte {
	return []byte(strings.Replace(goodIndicator, "%s", extra, 1))
}

// TestBadInput checks that malformed input gives a *ParseError naming the
// object and the property, never a panic.
func TestBadInput(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	cases := []struct {
		name, in    string
		wantID      string
		wantPointer string
		wantMsg     string
		wantErr     error
	}{
		{"truncated", `{"type":"indicator","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",`, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "", "expected a string key", stix.ErrSyntax},
		{"not json", `hello`, "", "", "expected a STIX object", stix.ErrNotObject},
		{"confidence as string", string(indicatorWith(`,"confidence":"high"`)), "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "/confidence", "expected a number", stix.ErrInvalidValue},
		{"bad id", strings.Replace(string(indicatorWith("")), "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "xyz", 1), "indicator--xyz", "/id", "invalid identifier", stix.ErrInvalidValue},
		{"month 13", strings.Replace(string(indicatorWith("")), `"created":"2026-01-01T00:00:00.000Z"`, `"created":"2020-13-01T00:00:00Z"`, 1), "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "/created", "out of range", stix.ErrInvalidValue},
		{"no Z", strings.Replace(string(indicatorWith("")), `"valid_from":"2026-01-01T00:00:00Z"`, `"valid_from":"2026-01-01T00:00:00"`, 1), "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "/valid_from", "invalid timestamp", stix.ErrInvalidValue},
		{"offset instead of Z", strings.Replace(string(indicatorWith("")), `"valid_from":"2026-01-01T00:00:00Z"`, `"valid_from":"2026-01-01T00:00:00+00:00"`, 1), "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "/valid_from", "invalid timestamp", stix.ErrInvalidValue},
		{"10000 deep", string(indicatorWith(`,"x_deep":` + deep)), "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "/x_deep/0/0/0/0/0/0/0/0/0/0/0/0", "nesting deeper than", stix.ErrSyntax},
		{"duplicate key", string(indicatorWith(`,"name":"a","name":"b"`)), "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "/name", "duplicate property", stix.ErrSyntax},
		{"invalid utf-8", string(indicatorWith(`,"name":"a` + "\xff" + `"`)), "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "/name", "invalid UTF-8", stix.ErrSyntax},
		{"trailing garbage", string(indicatorWith("")) + " x", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "", "unexpected data after", stix.ErrSyntax},
		{"NaN", string(indicatorWith(`,"x_score":NaN`)), "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "/x_score", "expected a JSON value", stix.ErrSyntax},
		{"no type", `{"id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "", "no string \"type\"", stix.ErrNoType},
		{"object in bundle", `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[` + string(indicatorWith("")) + `,` + string(indicatorWith(`,"revoked":"no"`)) + `]}`, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "/revoked", "expected a boolean", stix.ErrInvalidValue},
		{"non-object in bundle", `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[42]}`, "", "", "expected a STIX object", stix.ErrNotObject},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obj, err := stix.Parse([]byte(c.in))
			if kept := errors.Is(err, stix.ErrInvalidValue); kept != (obj != nil) {
				t.Errorf("a kept value must come with the object and nothing else: obj %v, err %v", obj != nil, err)
			}
			if errors.Is(c.wantErr, stix.ErrInvalidValue) {
				// Refused on request, with the same report.
				obj, rerr := stix.DecodeOptions{RefuseInvalid: true}.Parse([]byte(c.in))
				var rpe *stix.ParseError
				if obj != nil || !errors.As(rerr, &rpe) || rpe.Pointer != c.wantPointer || !errors.Is(rerr, stix.ErrInvalidValue) {
					t.Errorf("RefuseInvalid: got %v, %v", obj, rerr)
				}
			}
			var pe *stix.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			pointer := pe.Pointer
			if len(pointer) > len(c.wantPointer) && strings.HasPrefix(c.name, "10000") {
				pointer = pointer[:len(c.wantPointer)] // the full pointer is 256 levels long
			}
			if string(pe.ObjectID) != c.wantID || pointer != c.wantPointer || !strings.Contains(pe.Msg, c.wantMsg) || !errors.Is(err, c.wantErr) {
				t.Errorf("got id %q pointer %q msg %q (%v)\nwant id %q pointer %q msg containing %q (%v)",
					pe.ObjectID, pe.Pointer, pe.Msg, pe.Err, c.wantID, c.wantPointer, c.wantMsg, c.wantErr)
			}
			if c.wantID != "" && !strings.Contains(err.Error(), c.wantID) {
				t.Errorf("message %q does not name the object", err)
			}
			if strings.HasPrefix(c.name, "non-object") && pe.Index != 0 {
				t.Errorf("index %d, want 0", pe.Index)
			}
		})
	}
}

// TestHugeString decodes a 100 MB string value by default and refuses it
// with a configured limit.
func TestHugeString(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 200 MB")
	}
	big := strings.Repeat("a", 100<<20)
	in := indicatorWith(`,"description":"` + big + `"`)
	obj, err := stix.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(obj.(*stix.Indicator).Description); got != len(big) {
		t.Fatalf("description has %d bytes, want %d", got, len(big))
	}
	_, err = stix.DecodeOptions{MaxStringBytes: 1 << 20}.Parse(in)
	var pe *stix.ParseError
	if !errors.As(err, &pe) || pe.Pointer != "/description" || !strings.Contains(pe.Msg, "limit of 1048576 bytes") {
		t.Fatalf("with a 1 MiB limit: got %v", err)
	}
}

// TestPresencePreserved checks zero values given in input are written back.
func TestPresencePreserved(t *testing.T) {
	in := indicatorWith(`,"name":"","confidence":0,"revoked":false,"labels":[]`)
	obj, err := stix.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := stix.Marshal(obj)
	for _, want := range []string{`"name":""`, `"confidence":0`, `"revoked":false`, `"labels":[]`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("%s lost: %s", want, out)
		}
	}
	ind := obj.(*stix.Indicator)
	if !ind.Has("confidence") || ind.Has("lang") {
		t.Errorf("Has: confidence %v lang %v", ind.Has("confidence"), ind.Has("lang"))
	}
	// Built in Go: zero values are omitted unless marked.
	fresh := &stix.Indicator{ID: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", Pattern: "[x:y = 1]"}
	fresh.MarkPresent("confidence")
	out, _ = stix.Marshal(fresh)
	if !strings.Contains(string(out), `"confidence":0`) || strings.Contains(string(out), `"revoked"`) {
		t.Errorf("fresh indicator: %s", out)
	}
}

// TestNullKept checks that a null where a typed value belongs is kept in
// place and reported, rather than dropped.
func TestNullKept(t *testing.T) {
	in := indicatorWith(`,"description":null`)
	obj, err := stix.Parse(in)
	var ke *stix.KeptValuesError
	if !errors.As(err, &ke) || len(ke.Values) != 1 || ke.Values[0].Pointer != "/description" || string(ke.Values[0].Value) != "null" {
		t.Fatalf("got %v", err)
	}
	out, _ := stix.Marshal(obj)
	// At its place in specification order: after modified, before pattern.
	want := strings.Replace(string(indicatorWith("")), `"pattern":`, `"description":null,"pattern":`, 1)
	if string(out) != want {
		t.Errorf("null description not kept in place:\n%s\n%s", out, want)
	}
	if !obj.(*stix.Indicator).Has("description") {
		t.Error("Has(description) is false for a kept null")
	}
}

// FuzzParse feeds arbitrary bytes to Parse: it must return a value or an
// error, never panic, and whatever it accepts must encode to JSON that
// decodes to the same encoding.
func FuzzParse(f *testing.F) {
	f.Add(indicatorWith(""))
	f.Add(indicatorWith(`,"confidence":0,"x_a":{"b":[1,2.5e3,"\u00e9"]}`))
	f.Add([]byte(`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"file","name":"a","hashes":{"MD5":"x"},"extensions":{"ntfs-ext":{"sid":"1"}}}]}`))
	f.Add([]byte(`{"type":"x-custom","id":"x","a":null}`))
	f.Add([]byte(`[{"type":"ipv4-addr","value":"1.2.3.4"}]`))
	f.Add(indicatorWith(`,"revoked":"False","created_by_ref":"2f5b3c58-6c8b-4e5b-9f0a-2c8e3c1d9a77","labels":[1],"external_references":[{"url":5}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, err := stix.Parse(data)
		if (obj == nil) == (err == nil) && !errors.Is(err, stix.ErrInvalidValue) {
			t.Fatalf("object %v with error %v", obj, err)
		}
		if obj == nil {
			return
		}
		out, err := stix.Marshal(obj)
		if err != nil {
			t.Fatalf("accepted input does not encode: %v", err)
		}
		if d := testutil.JSONDiff(data, out); d != "" && !bytes.Contains(data, []byte(`\u`)) {
			// Lossless: the same JSON value (order aside; escapes aside).
			t.Fatalf("value changed at %s:\n%s\n%s", d, data, out)
		}
		obj2, err := stix.Parse(out)
		if obj2 == nil {
			t.Fatalf("own output rejected: %v\n%s", err, out)
		}
		out2, _ := stix.Marshal(obj2)
		if string(out) != string(out2) {
			t.Fatalf("encoding not stable:\n%s\n%s", out, out2)
		}
	})
}

// TestOutOfRangeNumbersKept: numbers an int or float64 field cannot hold
// are kept verbatim (lossless), not refused and not changed.
func TestOutOfRangeNumbersKept(t *testing.T) {
	for _, extra := range []string{`,"confidence":5.5`, `,"confidence":123456789012345678901234567890`} {
		in := indicatorWith(extra)
		obj, err := stix.Parse(in)
		if !errors.Is(err, stix.ErrInvalidValue) || obj == nil {
			t.Fatalf("%s: %v", extra, err)
		}
		out, _ := stix.Marshal(obj)
		if d := testutil.JSONDiffOrdered(in, out); d != "" {
			t.Errorf("%s: %s", extra, d)
		}
		if strings.Count(string(out), `"confidence"`) != 1 {
			t.Errorf("%s: %s", extra, out)
		}
	}
	loc := `{"type":"location","spec_version":"2.1","id":"location--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2017-01-01T00:00:00.000Z","modified":"2017-01-01T00:00:00.000Z","latitude":1e400,"longitude":2}`
	obj, err := stix.Parse([]byte(loc))
	if !errors.Is(err, stix.ErrInvalidValue) {
		t.Fatal(err)
	}
	out, _ := stix.Marshal(obj)
	if string(out) != loc {
		t.Errorf("%s", out)
	}
	if _, err := stix.Parse(indicatorWith(`,"confidence":5.5,"confidence":5`)); err == nil {
		t.Error("duplicate confidence accepted")
	}
}
