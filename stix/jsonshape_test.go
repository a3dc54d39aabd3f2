package stix_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/stix"
)

// jsonShapes checks every way encoding/json reaches a value of type T:
// pointer, value, struct field (value and pointer), slice element, map
// value and interface all produce canon, the canonical STIX encoding; and
// json.Unmarshal into a value, a field, a slice element and a map value
// gives back a value that encodes to canon.
func jsonShapes[T any](t *testing.T, canon string) {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(canon), &v); err != nil {
		t.Fatalf("%T: json.Unmarshal into a value: %v", v, err)
	}
	type holder struct {
		F T  `json:"f"`
		P *T `json:"p"`
	}
	shapes := []struct {
		name string
		in   any
		want string
	}{
		{"pointer", &v, canon},
		{"value", v, canon},
		{"field", holder{F: v, P: &v}, `{"f":` + canon + `,"p":` + canon + `}`},
		{"slice", []T{v, v}, "[" + canon + "," + canon + "]"},
		{"map", map[string]T{"k": v}, `{"k":` + canon + `}`},
		{"any", []any{v, &v}, "[" + canon + "," + canon + "]"},
	}
	for _, s := range shapes {
		out, err := json.Marshal(s.in)
		if err != nil || string(out) != s.want {
			t.Errorf("%T as %s: %v\n got %s\nwant %s", v, s.name, err, out, s.want)
		}
	}
	var h holder
	if err := json.Unmarshal([]byte(`{"f":`+canon+`,"p":`+canon+`}`), &h); err != nil {
		t.Fatalf("%T: json.Unmarshal into a field: %v", v, err)
	}
	var sl []T
	if err := json.Unmarshal([]byte("["+canon+"]"), &sl); err != nil || len(sl) != 1 {
		t.Fatalf("%T: json.Unmarshal into a slice: %v", v, err)
	}
	var m map[string]T
	if err := json.Unmarshal([]byte(`{"k":`+canon+`}`), &m); err != nil {
		t.Fatalf("%T: json.Unmarshal into a map: %v", v, err)
	}
	for name, got := range map[string]any{"field": h.F, "pointer field": h.P, "slice": sl[0], "map": m["k"]} {
		if out, err := json.Marshal(got); err != nil || string(out) != canon {
			t.Errorf("%T decoded into a %s: %v\n got %s\nwant %s", v, name, err, out, canon)
		}
	}
}

// TestEncodingJSONShapes covers generated SDO, SRO, SCO (with hashes and a
// predefined extension), embedded types, Bundle, Generic and the
// dictionaries.
func TestEncodingJSONShapes(t *testing.T) {
	const ind = `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","confidence":0,"external_references":[{"source_name":"x","url":"https://example.com"}],"x_custom":{"b":[1,2]}}`
	jsonShapes[stix.Indicator](t, ind)
	jsonShapes[stix.Relationship](t, `{"type":"relationship","spec_version":"2.1","id":"relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","relationship_type":"uses","source_ref":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","revoked":false}`)
	jsonShapes[stix.File](t, `{"type":"file","spec_version":"2.1","id":"file--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","hashes":{"SHA-256":"aa","MD5":"bb"},"name":"a.exe","extensions":{"ntfs-ext":{"sid":"1"},"x-ext":{"z":1,"a":2}}}`)
	jsonShapes[stix.ExternalReference](t, `{"source_name":"x","external_id":"T1","x_y":true}`)
	jsonShapes[stix.Bundle](t, `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[`+ind+`]}`)
	jsonShapes[stix.Generic](t, `{"id":"x-mitre-tactic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","z":1,"type":"x-mitre-tactic","a":[true]}`)
	jsonShapes[stix.Hashes](t, `{"SHA-256":"aa","MD5":"bb"}`)
	jsonShapes[stix.Dict](t, `{"z":1,"a":{"b":null}}`)
	jsonShapes[stix.Extensions](t, `{"ntfs-ext":{"sid":"1"},"x-ext":{"z":1,"a":2}}`)
	jsonShapes[stix.Custom](t, `{"x_b":1,"x_a":"2"}`)
	jsonShapes[stix.Timestamp](t, `"2026-01-01T00:00:00.1Z"`)

	// A bundle of several types inside a user struct keeps each object's
	// type.
	var doc struct {
		Bundle stix.Bundle `json:"bundle"`
	}
	in := `{"bundle":{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[` + ind + `,{"type":"x-mitre-tactic","id":"x-mitre-tactic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}]}}`
	if err := json.Unmarshal([]byte(in), &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.Bundle.Objects[0].(*stix.Indicator); !ok {
		t.Errorf("objects[0] is %T", doc.Bundle.Objects[0])
	}
	if out, _ := json.Marshal(doc); string(out) != in {
		t.Errorf("got %s", out)
	}
	// No Go field names leak for any generated type built in Go.
	out, err := json.Marshal([]any{*stix.NewMalware("m", false), stix.NewThreatActor("t")})
	if err != nil || strings.Contains(string(out), `"SpecVersion"`) || !strings.Contains(string(out), `"spec_version":"2.1"`) {
		t.Errorf("%v %s", err, out)
	}
}
