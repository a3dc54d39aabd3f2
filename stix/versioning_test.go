package stix_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stixkit/stixkit/stix"
)

func fixedFactory() *stix.Factory {
	return &stix.Factory{Clock: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
}

func TestNewVersion(t *testing.T) {
	mal := fixedFactory().NewMalware("m", true)
	later := stix.MustTimestamp("2026-02-01T00:00:00.000Z")
	v2, err := stix.NewVersion(mal, stix.VersionOptions{Modified: later}, func(m *stix.Malware) { m.Description = "updated" })
	if err != nil {
		t.Fatal(err)
	}
	if v2.Description != "updated" || !v2.Modified.Equal(later) || mal.Description != "" {
		t.Errorf("v2 %+v, original changed: %q", v2, mal.Description)
	}
	// modified must be strictly later
	if _, err := stix.NewVersion(mal, stix.VersionOptions{Modified: mal.Modified}, nil); !errors.Is(err, stix.ErrModifiedNotLater) {
		t.Errorf("same modified: %v", err)
	}
	// the clock not later than modified: old + 1 ms
	v3, err := stix.NewVersion(mal, stix.VersionOptions{Clock: func() time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) }}, nil)
	if err != nil || v3.Modified.String() != "2026-01-01T00:00:00.001Z" {
		t.Errorf("clock behind: %v %v", v3, err)
	}
	for _, edit := range []func(*stix.Malware){
		func(m *stix.Malware) { m.ID = stix.NewIdentifier("malware") },
		func(m *stix.Malware) { m.Created = later },
		func(m *stix.Malware) { m.CreatedByRef = "identity--00000000-0000-4000-8000-000000000001" },
	} {
		if _, err := stix.NewVersion(mal, stix.VersionOptions{}, edit); !errors.Is(err, stix.ErrUnmodifiable) {
			t.Errorf("unmodifiable change accepted: %v", err)
		}
	}
	rev, err := stix.Revoke(mal, stix.VersionOptions{})
	if err != nil || !rev.Revoked {
		t.Fatalf("revoke: %v", err)
	}
	if _, err := stix.NewVersion(rev, stix.VersionOptions{}, nil); !errors.Is(err, stix.ErrRevoked) {
		t.Errorf("version of revoked: %v", err)
	}
	if _, err := stix.NewVersion(&stix.IPv4Addr{Value: "1.2.3.4"}, stix.VersionOptions{}, nil); !errors.Is(err, stix.ErrNotVersionable) {
		t.Errorf("SCO versioned: %v", err)
	}
}

func TestMarkings(t *testing.T) {
	ind := fixedFactory().NewIndicator("[ipv4-addr:value = '1.2.3.4']", time.Time{})
	ind.Description = "secret"
	m, err := stix.AddObjectMarkings(ind, stix.TLPAmberID, stix.TLPAmberID)
	if err != nil || len(m.ObjectMarkingRefs) != 1 {
		t.Fatalf("%v %v", m, err)
	}
	m, err = stix.RemoveObjectMarkings(m, stix.TLPAmberID)
	if err != nil || m.ObjectMarkingRefs != nil {
		t.Fatalf("remove: %v %v", m.ObjectMarkingRefs, err)
	}
	g, err := stix.AddGranularMarking(ind, stix.TLPRedID, "description", "pattern")
	if err != nil || len(g.GranularMarkings) != 1 || len(g.GranularMarkings[0].Selectors) != 2 {
		t.Fatalf("granular: %v", err)
	}
	if _, err := stix.AddGranularMarking(ind, stix.TLPRedID, "labels.[0]"); !errors.Is(err, stix.ErrSelector) || !strings.Contains(err.Error(), "labels") {
		t.Errorf("unresolvable selector: %v", err)
	}
	g, err = stix.RemoveGranularMarkings(g, stix.TLPRedID)
	if err != nil || g.GranularMarkings != nil {
		t.Errorf("remove granular: %v", err)
	}
}

// TestVersionErrorVectors applies the new_version changes of the Python
// error vectors: each must be refused.
func TestVersionErrorVectors(t *testing.T) {
	n := 0
	for _, v := range loadVectors(t).Vectors {
		if v.Kind != "error" || len(v.Input.NewVersion) == 0 {
			continue
		}
		n++
		obj, err := stix.ParseObject(v.Input.JSON)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		var changes map[string]any
		if err := json.Unmarshal(v.Input.NewVersion, &changes); err != nil {
			t.Fatal(err)
		}
		if _, err := stix.NewVersionProps(obj, stix.VersionOptions{}, changes); err == nil {
			t.Errorf("%s: new version accepted", v.Name)
		}
	}
	if n < 3 {
		t.Fatalf("only %d version vectors", n)
	}
}
