package schemas_test

import (
	"reflect"
	"testing"

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
