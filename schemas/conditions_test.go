package schemas_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stixkit/stixkit/schemas"
)

func TestConditions(t *testing.T) {
	got := schemas.Conditions("malware")
	want := []schemas.Condition{{If: "is_family", Value: true, Required: []string{"name"}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("malware: %+v", got)
	}
	em := schemas.Conditions("email-message")
	if len(em) != 1 || em[0].If != "is_multipart" || !reflect.DeepEqual(em[0].Forbidden, []string{"body"}) || !reflect.DeepEqual(em[0].ElseForbidden, []string{"body_multipart"}) {
		t.Fatalf("email-message: %+v", em)
	}
	nt := schemas.Conditions("network-traffic")
	if len(nt) != 1 || !nt[0].Holds(map[string]any{"is_active": true}) || nt[0].Holds(map[string]any{"is_active": false}) {
		t.Fatalf("network-traffic: %+v", nt)
	}
}

// TestExtraRefs: a $ref to the OASIS repository's URL resolves to the
// embedded file; any other unknown $ref is refused before compiling (no
// network access).
func TestExtraRefs(t *testing.T) {
	ok := fstest.MapFS{"x-acme-thing.json": {Data: []byte(`{"title":"x-acme-thing","type":"object","allOf":[{"$ref":"` + schemas.OASISBaseURL + `common/core.json"}],"required":["name"]}`)}}
	v, err := schemas.New(schemas.Options{Extra: ok})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := v.ValidateObject([]byte(`{"type":"x-acme-thing","spec_version":"2.1","id":"x-acme-thing--6b0e3856-95b3-4c04-a6e1-8a2b4ea6a1a2","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z"}`))
	if err != nil || len(errs) != 1 || errs[0].Pointer != "/name" {
		t.Fatalf("%v %v", err, errs)
	}
	bad := fstest.MapFS{"x-acme-thing.json": {Data: []byte(`{"title":"x-acme-thing","type":"object","allOf":[{"$ref":"http://example.com/nope.json"}]}`)}}
	if _, err := schemas.New(schemas.Options{Extra: bad}); !errors.Is(err, schemas.ErrSchema) || !strings.Contains(err.Error(), "never fetched") {
		t.Fatalf("got %v", err)
	}
}
