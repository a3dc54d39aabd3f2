package bundle_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
)

// testFactory makes deterministic ids and timestamps.
func testFactory() *stix.Factory {
	n := 0
	return &stix.Factory{
		Clock: func() time.Time { return time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC) },
		NewID: func(typ string) stix.Identifier {
			n++
			return stix.Identifier(fmt.Sprintf("%s--00000000-0000-4000-8000-%012d", typ, n))
		},
	}
}

func TestBuilderReport(t *testing.T) {
	f := testFactory()
	author := f.NewIdentity("ACME CERT", stix.IdentityClassOrganization)
	ind := f.NewIndicator("[ipv4-addr:value = '198.51.100.7']", time.Time{})
	mal := f.NewMalware("Example RAT", true)
	b, err := bundle.NewBuilder(bundle.BuilderOptions{Factory: f}).
		CreatedBy(author).Marking(stix.TLPGreen).
		Add(ind, mal).Relate(ind, "indicates", mal).Add(ind). // added twice: kept once
		Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Objects) != 5 {
		t.Fatalf("%d objects, want 5 (identity, marking, indicator, malware, relationship)", len(b.Objects))
	}
	got, _ := stix.Marshal(b.Objects[2])
	want := `{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000002","created_by_ref":"identity--00000000-0000-4000-8000-000000000001","created":"2026-11-29T10:00:00.000Z","modified":"2026-11-29T10:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","pattern_version":"2.1","valid_from":"2026-11-29T10:00:00.000Z","object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]}`
	if string(got) != want {
		t.Errorf("indicator:\n got  %s\n want %s", got, want)
	}
	if id := b.Objects[1].ObjectID(); id != stix.TLPGreenID {
		t.Errorf("marking is %s", id)
	}
}

// TestBuilderErrors checks that misuse is reported with the object, the
// property and what was expected, all problems together, never a panic.
func TestBuilderErrors(t *testing.T) {
	f := testFactory()
	ind := f.NewIndicator("[ipv4-addr:value = ", time.Time{})
	mal := f.NewMalware("m", true)
	idn := f.NewIdentity("x", stix.IdentityClassIndividual)
	dangling := f.NewRelationship(ind.ID, "indicates", "malware--00000000-0000-4000-8000-999999999999")
	noPattern := f.NewIndicator("", time.Time{})
	dup := *mal
	dup.Name = "other"
	var nilInd *stix.Indicator
	_, err := bundle.NewBuilder(bundle.BuilderOptions{Factory: f}).
		Add(ind, mal, dangling, noPattern, &dup, nilInd).
		Relate(ind, "Targets", idn).
		Build()
	if !errors.Is(err, bundle.ErrBuild) {
		t.Fatalf("got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{
		string(ind.ID) + ": pattern: invalid STIX pattern",
		string(dangling.ID) + ": target_ref: refers to malware--00000000-0000-4000-8000-999999999999, which is neither in the bundle nor declared external",
		string(noPattern.ID) + ": pattern: required property missing",
		string(mal.ID) + ": added twice with the same modified but different content",
		"Add: nil object",
		`relationship_type: "Targets" must contain only a-z, 0-9 and '-'`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	// Declared external references are accepted.
	r := f.NewRelationship(ind.ID, "indicates", "malware--00000000-0000-4000-8000-999999999999")
	ok := f.NewIndicator("[ipv4-addr:value = '1.2.3.4']", time.Time{})
	r.SourceRef = ok.ID
	if _, err := bundle.NewBuilder(bundle.BuilderOptions{Factory: f}).Add(ok, r).External("malware--00000000-0000-4000-8000-999999999999").Build(); err != nil {
		t.Errorf("external ref: %v", err)
	}
}

// Example builds a small report: an author identity, a TLP marking, an
// indicator, a malware and the relationship between them.
func Example() {
	f := testFactory() // deterministic ids and clock; use stix.DefaultFactory in real code
	author := f.NewIdentity("ACME CERT", stix.IdentityClassOrganization)
	ind := f.NewIndicator("[domain-name:value = 'evil.example']", time.Time{})
	ind.Name = "C2 domain"
	mal := f.NewMalware("Example RAT", true)
	b, err := bundle.NewBuilder(bundle.BuilderOptions{Factory: f, BundleID: "bundle--00000000-0000-4000-8000-000000000000"}).
		CreatedBy(author).
		Marking(stix.TLPGreen).
		Relate(ind, "indicates", mal).
		Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range b.Objects {
		fmt.Println(o.ObjectID())
	}
	// Output:
	// identity--00000000-0000-4000-8000-000000000001
	// marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da
	// indicator--00000000-0000-4000-8000-000000000002
	// malware--00000000-0000-4000-8000-000000000003
	// relationship--00000000-0000-4000-8000-000000000004
}

// buildIndicators builds a bundle of n indicators (patterns syntax-checked).
func buildIndicators(b *testing.B, n int) *stix.Bundle {
	f := &stix.Factory{Clock: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
	bl := bundle.NewBuilder(bundle.BuilderOptions{Factory: f})
	author := f.NewIdentity("ACME", stix.IdentityClassOrganization)
	bl.CreatedBy(author).Marking(stix.TLPGreen)
	for i := range n {
		ip := strconv.Itoa(i>>16&255) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255)
		bl.Add(f.NewIndicator("[ipv4-addr:value = '10."+ip+"']", time.Time{}))
	}
	bd, err := bl.Build()
	if err != nil {
		b.Fatal(err)
	}
	return bd
}

// BenchmarkBuild100kIndicators builds and canonically encodes 100,000
// indicators (pattern syntax checked) into one byte slice; ns/indicator is
// the figure.
func BenchmarkBuild100kIndicators(b *testing.B) {
	const n = 100000
	b.ReportAllocs()
	for b.Loop() {
		if _, err := stix.Marshal(buildIndicators(b, n)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/indicator")
}

// BenchmarkBuild100kIndicatorsStream is the same with the bundle written
// through the streaming Encoder to a buffered writer (as to a file),
// instead of into one 60 MB slice.
func BenchmarkBuild100kIndicatorsStream(b *testing.B) {
	const n = 100000
	b.ReportAllocs()
	for b.Loop() {
		bd := buildIndicators(b, n)
		w := bufio.NewWriterSize(io.Discard, 64<<10)
		enc := bundle.NewEncoder(w, bundle.EncodeOptions{ID: bd.ID})
		for _, o := range bd.Objects {
			if err := enc.Encode(o); err != nil {
				b.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
		w.Flush()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/indicator")
}
