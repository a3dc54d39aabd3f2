package bundle_test

import (
	"context"
	"testing"
	"time"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
	"github.com/stixkit/stixkit/validate"
)

// TestRelateOutsideTable: the specification's relationship tables are
// SHOULDs, so the builder accepts relationships outside them (OpenCTI's
// indicator "based-on" observable, an undefined type for a pair, a custom
// type), and validate agrees: no error, a warning (202) for each one the
// tables do not list (as the OASIS validator's relationship-types check),
// none for the defined one.
func TestRelateOutsideTable(t *testing.T) {
	f := testFactory()
	ind := f.NewIndicator("[ipv4-addr:value = '198.51.100.7']", time.Time{})
	ip := &stix.IPv4Addr{ID: "ipv4-addr--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d", SpecVersion: "2.1", Value: "198.51.100.7"}
	idn := f.NewIdentity("victim", stix.IdentityClassOrganization)
	mal := f.NewMalware("rat", true)
	b, err := bundle.NewBuilder(bundle.BuilderOptions{Factory: f}).
		Relate(ind, "based-on", ip).      // OpenCTI; spec: based-on → observed-data only
		Relate(ind, "targets", idn).      // no "targets" from indicator
		Relate(ind, "indicates", mal).    // in the table
		Relate(ind, "x-acme-feeds", mal). // custom relationship type
		Build()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	raw, err := stix.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := validate.Bytes(context.Background(), raw, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid {
		t.Fatalf("validate: %v", rep.Err())
	}
	warned := map[string]string{}
	for _, w := range rep.Warnings {
		if w.Code == "202" {
			warned[w.ObjectID] = w.Pointer
		}
	}
	var rels []*stix.Relationship
	for _, o := range b.Objects {
		if r, ok := o.(*stix.Relationship); ok {
			rels = append(rels, r)
		}
	}
	if len(rels) != 4 {
		t.Fatalf("%d relationships", len(rels))
	}
	want := []string{"/target_ref", "/relationship_type", "", "/relationship_type"}
	for i, r := range rels {
		if warned[string(r.ID)] != want[i] {
			t.Errorf("%s %s: 202 at %q, want %q", r.RelationshipType, r.ID, warned[string(r.ID)], want[i])
		}
	}
}
