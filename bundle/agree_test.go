package bundle_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
	"github.com/stixkit/stixkit/validate"
)

// TestBuildAgreesWithValidate builds bundles the validator rejects (or
// accepts) and checks that Build says the same, by the same rule.
func TestBuildAgreesWithValidate(t *testing.T) {
	f := testFactory()
	idn := f.NewIdentity("x", stix.IdentityClassOrganization)
	for _, tc := range []struct {
		name  string
		objs  func() []stix.Object
		valid bool
		want  string // in Build's error
	}{
		{"created_by_ref to a custom type", func() []stix.Object {
			ind := f.NewIndicator("[ipv4-addr:value = '1.2.3.4']", time.Time{})
			ind.Name, ind.Description = "n", "d"
			ind.CreatedByRef = "x-acme-org--6b0e3856-95b3-4c04-a6e1-8a2b4ea6a1a2"
			return []stix.Object{ind}
		}, false, "created_by_ref: refers to an x-acme-org; expected identity"},
		{"malware without name", func() []stix.Object {
			m := f.NewMalware("", true) // name is required when is_family is true
			return []stix.Object{m}
		}, false, "name: required property missing"},
		{"object_refs to a custom type", func() []stix.Object {
			r := f.NewReport("r", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), idn.ID)
			r.ObjectRefs = append(r.ObjectRefs, "x-acme-org--6b0e3856-95b3-4c04-a6e1-8a2b4ea6a1a2")
			return []stix.Object{r, idn}
		}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			objs := tc.objs()
			b, err := bundle.NewBuilder(bundle.BuilderOptions{Factory: f}).
				Add(objs...).External("x-acme-org--6b0e3856-95b3-4c04-a6e1-8a2b4ea6a1a2").Build()
			if tc.valid != (err == nil) {
				t.Fatalf("Build: %v", err)
			}
			if err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Build error %q lacks %q", err, tc.want)
			}
			raw, merr := stix.Marshal(b)
			if merr != nil {
				t.Fatal(merr)
			}
			rep, verr := validate.Bytes(context.Background(), raw, validate.Options{})
			if verr != nil {
				t.Fatal(verr)
			}
			if rep.Valid != tc.valid {
				t.Fatalf("validate valid=%v, Build valid=%v: %v", rep.Valid, tc.valid, rep.Err())
			}
		})
	}
}

// TestBuilderErrorWording: no empty lists, and an object without an id
// points at the factory.
func TestBuilderErrorWording(t *testing.T) {
	f := testFactory()
	ind := f.NewIndicator("[ipv4-addr:value = '1.2.3.4']", time.Time{})
	noID := &stix.Malware{Name: "m"}
	_, err := bundle.NewBuilder(bundle.BuilderOptions{Factory: f}).Add(noID).
		Relate(ind, "targets", f.NewIdentity("x", stix.IdentityClassIndividual)).Build()
	if !errors.Is(err, bundle.ErrBuild) {
		t.Fatalf("got %v", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "(allowed targets: )") {
		t.Errorf("empty target list in %q", msg)
	}
	if !strings.Contains(msg, "malware object without id: make objects with the Factory") {
		t.Errorf("no hint at the factory in %q", msg)
	}
}
