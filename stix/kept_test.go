package stix_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/stix"
)

// TestKeptValues: a well-formed value of the wrong type or form is kept
// verbatim, written back at its place (the output is byte for byte the
// canonical input) and reported with object id, index and pointer.
func TestKeptValues(t *testing.T) {
	const id = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
	head := `{"type":"indicator","spec_version":"2.1","id":"` + id + `",`
	cases := []struct {
		name, in string
		pointers []string
	}{
		// Written by OpenCTI: an internal id where a STIX identifier belongs.
		{"bare uuid created_by_ref", head + `"created_by_ref":"2f5b3c58-6c8b-4e5b-9f0a-2c8e3c1d9a77","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`, []string{"/created_by_ref"}},
		{"revoked False", head + `"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","revoked":"False"}`, []string{"/revoked"}},
		{"several", head + `"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01","name":7,"pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","labels":["a",1],"confidence":"90","object_marking_refs":"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82","x_custom":1}`,
			[]string{"/modified", "/name", "/labels", "/confidence", "/object_marking_refs"}},
		{"nested", head + `"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","external_references":[{"source_name":"a","url":5},{"source_name":false}],"granular_markings":{"selectors":[]}}`,
			[]string{"/external_references/0/url", "/external_references/1/source_name", "/granular_markings"}},
		{"sco hashes and extension", `{"type":"file","spec_version":"2.1","id":"file--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","hashes":{"MD5":5},"size":"12","name":"a","extensions":{"ntfs-ext":{"sid":1}}}`,
			[]string{"/hashes", "/size", "/extensions/ntfs-ext/sid"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obj, err := stix.Parse([]byte(c.in))
			var ke *stix.KeptValuesError
			if obj == nil || !errors.As(err, &ke) {
				t.Fatalf("got %v, %v", obj, err)
			}
			var got []string
			for _, v := range ke.Values {
				got = append(got, v.Pointer)
				if v.ObjectID != obj.ObjectID() || v.Index != -1 || !strings.Contains(c.in, string(v.Value)) || v.Msg == "" {
					t.Errorf("%+v", v)
				}
			}
			if strings.Join(got, " ") != strings.Join(c.pointers, " ") {
				t.Errorf("pointers %v, want %v", got, c.pointers)
			}
			if !errors.Is(err, stix.ErrInvalidValue) || !strings.Contains(err.Error(), string(obj.ObjectID())) || !strings.Contains(err.Error(), c.pointers[0]) {
				t.Errorf("error %q", err)
			}
			out, err := stix.Marshal(obj)
			if err != nil || string(out) != c.in {
				t.Errorf("not written back in place:\n got %s\nwant %s", out, c.in)
			}
			// json.Unmarshal into a value of the type fills it the same way.
			fresh := stix.New(obj.ObjectType())
			err = json.Unmarshal([]byte(c.in), fresh)
			if !errors.As(err, &ke) {
				t.Errorf("json.Unmarshal: %v", err)
			}
			if out, _ := stix.Marshal(fresh); string(out) != c.in {
				t.Errorf("json.Unmarshal then Marshal:\n got %s", out)
			}
		})
	}
}

// TestKeptValuesInBundle: kept values name their object's id and index;
// the bundle's own id is kept too; a value set in Go replaces a kept one.
func TestKeptValuesInBundle(t *testing.T) {
	ind := func(id, extra string) string {
		return `{"type":"indicator","spec_version":"2.1","id":"indicator--` + id + `","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"` + extra + `}`
	}
	in := `{"type":"bundle","id":"bundle-1","objects":[` + ind("8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "") + `,` + ind("0e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", `,"revoked":"False"`) + `]}`
	b, err := stix.ParseBundle([]byte(in))
	var ke *stix.KeptValuesError
	if b == nil || !errors.As(err, &ke) || len(ke.Values) != 2 {
		t.Fatalf("got %v, %v", b, err)
	}
	if v := ke.Values[0]; v.Pointer != "/id" || v.Index != -1 || string(v.Value) != `"bundle-1"` {
		t.Errorf("bundle id: %+v", v)
	}
	if v := ke.Values[1]; v.Pointer != "/revoked" || v.Index != 1 || v.ObjectID != "indicator--0e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f" {
		t.Errorf("revoked: %+v", v)
	}
	var pe *stix.ParseError
	if !errors.As(err, &pe) || pe.Pointer != "/id" {
		t.Errorf("errors.As *ParseError: %v", pe)
	}
	if out, _ := stix.Marshal(b); string(out) != in {
		t.Errorf("got %s", out)
	}
	objs, err := stix.ParseObjects([]byte(`[` + ind("8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", `,"revoked":"False"`) + `]`))
	if len(objs) != 1 || !errors.As(err, &ke) || ke.Values[0].Index != 0 {
		t.Errorf("ParseObjects: %v %v", objs, err)
	}
	i := objs[0].(*stix.Indicator)
	i.Revoked = true
	if out, _ := stix.Marshal(i); !strings.HasSuffix(string(out), `"revoked":true}`) {
		t.Errorf("value set in Go: %s", out)
	}
	i.Revoked = false
	i.MarkPresent("revoked")
	if out, _ := stix.Marshal(i); !strings.HasSuffix(string(out), `"revoked":false}`) {
		t.Errorf("value marked present in Go: %s", out)
	}
}

// TestKeptValuesStillRefused: malformed JSON, duplicates and limits stay
// errors with no object.
func TestKeptValuesStillRefused(t *testing.T) {
	for _, in := range []string{
		`{"type":"indicator","revoked":"False","confidence":[1,}`,
		`{"type":"indicator","revoked":"False","revoked":false}`,
		`{"type":"indicator","labels":"a","labels":"b"}`,
	} {
		obj, err := stix.Parse([]byte(in))
		if obj != nil || err == nil || errors.Is(err, stix.ErrInvalidValue) {
			t.Errorf("%s: got %v, %v", in, obj, err)
		}
	}
	obj, err := stix.DecodeOptions{MaxDepth: 3}.Parse([]byte(`{"type":"indicator","labels":[[[[1]]]]}`))
	if obj != nil || err == nil || errors.Is(err, stix.ErrInvalidValue) {
		t.Errorf("depth: got %v, %v", obj, err)
	}
}

// TestResolveSelectorBytes: the selector check takes an object's JSON.
func TestResolveSelectorBytes(t *testing.T) {
	obj := json.RawMessage(`{"type":"indicator","external_references":[{"url":"u"}],"name":"n"}`)
	for sel, ok := range map[string]bool{"name": true, "external_references.[0].url": true, "external_references.[1]": false, "nope": false, "": false} {
		if err := stix.ResolveSelector(obj, sel); (err == nil) != ok || (err != nil && !errors.Is(err, stix.ErrSelector)) {
			t.Errorf("%q: %v", sel, err)
		}
	}
	if err := stix.ResolveSelector(json.RawMessage(`{`), "a"); !errors.Is(err, stix.ErrSyntax) {
		t.Errorf("bad JSON: %v", err)
	}
}
