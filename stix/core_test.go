package stix_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/stix"
)

func TestTimestampRoundTrip(t *testing.T) {
	for _, s := range []string{
		"2017-01-01T12:34:56Z", "2017-01-01T12:34:56.1Z", "2017-01-01T12:34:56.000Z",
		"2017-01-01T12:34:56.719796Z", "2017-01-01T12:34:56.123456789Z", "2020-02-29T23:59:59.99Z",
	} {
		ts, err := stix.ParseTimestamp(s)
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		if ts.String() != s {
			t.Errorf("%s came back as %s", s, ts)
		}
	}
	for _, s := range []string{
		"2020-13-01T00:00:00Z", "2021-02-29T00:00:00Z", "2020-01-01T24:00:00Z", "2020-01-01T00:00:00",
		"2020-01-01T00:00:00+00:00", "2020-01-01", "2020-01-01t00:00:00z", "2020-01-01T00:00:00.Z",
		"2020-01-01T00:00:00.1234567890Z", "2020-01-01T00:00:60Z",
	} {
		if _, err := stix.ParseTimestamp(s); !errors.Is(err, stix.ErrTimestamp) {
			t.Errorf("%s: got %v, want ErrTimestamp", s, err)
		}
	}
}

func TestIdentifier(t *testing.T) {
	id := stix.NewIdentifier("indicator")
	if err := id.Validate(); err != nil || id.Type() != "indicator" {
		t.Fatalf("%s: %v", id, err)
	}
	u, err := id.UUID()
	if err != nil || u.Version() != 4 {
		t.Errorf("uuid %v version %d: %v", u, u.Version(), err)
	}
	for _, bad := range []string{"indicator", "indicator--", "Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
		"indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f", "indicator--8e2e2d2b17d44cbf938f98ee46b3cd3f"} {
		if _, err := stix.ParseIdentifier(bad); !errors.Is(err, stix.ErrIdentifier) {
			t.Errorf("%s accepted", bad)
		}
	}
}

// acmeThing is a user-defined object type decoded through the registry.
type acmeThing struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Size int    `json:"size"`
}

func (a *acmeThing) ObjectType() string           { return a.Type }
func (a *acmeThing) ObjectID() stix.Identifier    { return stix.Identifier(a.ID) }
func (a *acmeThing) MarshalJSON() ([]byte, error) { type p acmeThing; return json.Marshal((*p)(a)) }
func (a *acmeThing) UnmarshalJSON(b []byte) error {
	type p acmeThing
	return json.Unmarshal(b, (*p)(a))
}

func TestRegisterUserType(t *testing.T) {
	if err := stix.Register("x-acme-thing", func() stix.Object { return new(acmeThing) }); err != nil {
		t.Fatal(err)
	}
	if err := stix.Register("x-acme-thing", func() stix.Object { return new(acmeThing) }); !errors.Is(err, stix.ErrDuplicateType) {
		t.Errorf("second registration: %v", err)
	}
	if err := stix.Register("indicator", func() stix.Object { return new(acmeThing) }); !errors.Is(err, stix.ErrDuplicateType) {
		t.Errorf("registering over a built-in type: %v", err)
	}
	obj, err := stix.Parse([]byte(`{"type":"x-acme-thing","id":"x-acme-thing--6ba7b810-9dad-41d1-80b4-00c04fd430c8","size":3}`))
	if err != nil {
		t.Fatal(err)
	}
	th, ok := obj.(*acmeThing)
	if !ok || th.Size != 3 {
		t.Fatalf("got %#v", obj)
	}
	out, _ := stix.Marshal(th)
	if string(out) != `{"type":"x-acme-thing","id":"x-acme-thing--6ba7b810-9dad-41d1-80b4-00c04fd430c8","size":3}` {
		t.Errorf("encoded %s", out)
	}
}

func TestCustomPropertyOrderKept(t *testing.T) {
	in := `{"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22","created":"2017-05-31T21:30:19.735Z","modified":"2017-05-31T21:30:19.735Z","x_z":1,"name":"n","x_a":{"k":[1,2]},"x_m":"s"}`
	obj, err := stix.Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := stix.Marshal(obj)
	want := `{"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22","created":"2017-05-31T21:30:19.735Z","modified":"2017-05-31T21:30:19.735Z","name":"n","x_z":1,"x_a":{"k":[1,2]},"x_m":"s"}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

func TestDisallowCustom(t *testing.T) {
	strict := stix.DecodeOptions{DisallowCustom: true}
	ok := `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2017-01-01T00:00:00.000Z","modified":"2017-01-01T00:00:00.000Z","pattern":"[url:value = 'a']","pattern_type":"stix","valid_from":"2017-01-01T00:00:00Z"%s}`
	if _, err := strict.Parse([]byte(strings.Replace(ok, "%s", "", 1))); err != nil {
		t.Fatalf("plain indicator refused: %v", err)
	}
	for name, in := range map[string]string{
		"custom property":   strings.Replace(ok, "%s", `,"x_foo":1`, 1),
		"custom type":       `{"type":"x-thing","id":"x-thing--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`,
		"unknown extension": strings.Replace(ok, "%s", `,"extensions":{"my-ext":{"a":1}}`, 1),
	} {
		_, err := strict.Parse([]byte(in))
		if !errors.Is(err, stix.ErrCustom) {
			t.Errorf("%s: got %v, want ErrCustom", name, err)
		}
		if _, err := stix.Parse([]byte(in)); err != nil {
			t.Errorf("%s: refused by default: %v", name, err)
		}
	}
	// An extension-definition extension is not custom content.
	if _, err := strict.Parse([]byte(strings.Replace(ok, "%s", `,"extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension"}}`, 1))); err != nil {
		t.Errorf("extension-definition extension refused: %v", err)
	}
}

func TestBundleWithNilObject(t *testing.T) {
	b := &stix.Bundle{ID: "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", Objects: []stix.Object{stix.TLPWhite, nil}}
	var nilInd *stix.Indicator
	if _, err := stix.Marshal(&stix.Bundle{Objects: []stix.Object{nilInd}}); err == nil {
		t.Error("nil *Indicator encoded")
	}
	if _, err := stix.Marshal(b); err == nil || !strings.Contains(err.Error(), "objects[1]") {
		t.Errorf("Marshal: %v", err)
	}
	if _, err := b.MarshalJSON(); err == nil {
		t.Error("MarshalJSON accepted a nil object")
	}
}
