package stix_test

import (
	"fmt"
	"time"

	"github.com/stixkit/stixkit/stix"
)

// Build an indicator in Go code and encode it canonically.
func Example_buildIndicator() {
	created := stix.NewTimestamp(time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC), stix.Milliseconds)
	ind := &stix.Indicator{
		SpecVersion:       "2.1",
		ID:                "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
		Created:           created,
		Modified:          created,
		Name:              "C2 address",
		IndicatorTypes:    []stix.IndicatorType{stix.IndicatorTypeMaliciousActivity},
		Pattern:           "[ipv4-addr:value = '198.51.100.7']",
		PatternType:       stix.PatternTypeStix,
		ValidFrom:         stix.NewTimestamp(created.Time(), stix.Seconds),
		ObjectMarkingRefs: []stix.Identifier{stix.TLPGreenID},
	}
	_ = ind.Custom.Set("x_example_score", 7.5)
	out, _ := stix.Marshal(ind)
	fmt.Println(string(out))
	// Output:
	// {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-11-29T10:00:00.000Z","modified":"2026-11-29T10:00:00.000Z","name":"C2 address","indicator_types":["malicious-activity"],"pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","valid_from":"2026-11-29T10:00:00Z","object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],"x_example_score":7.5}
}

// Parse a bundle and walk its objects by type; custom properties and
// unknown object types are kept.
func Example_parseBundle() {
	data := []byte(`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
	  {"type":"malware","spec_version":"2.1","id":"malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc","created":"2026-11-29T10:00:00.000Z","modified":"2026-11-29T10:00:00.000Z","name":"Example RAT","is_family":true,"x_mitre_platforms":["Android"]},
	  {"type":"x-mitre-tactic","spec_version":"2.1","id":"x-mitre-tactic--2b7b2b52-4bd1-4a8e-b3e1-4bd69d2b2b47","name":"Collection"}]}`)
	b, err := stix.ParseBundle(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, obj := range b.Objects {
		switch o := obj.(type) {
		case *stix.Malware:
			platforms, _ := o.Custom.Get("x_mitre_platforms")
			fmt.Println("malware", o.Name, o.IsFamily, string(platforms))
		case *stix.Generic:
			name, _ := o.Properties.Get("name")
			fmt.Println("other", o.Type, string(name))
		}
	}
	// Output:
	// malware Example RAT true ["Android"]
	// other x-mitre-tactic "Collection"
}

// Compute the deterministic id of an SCO, as the Python stix2 library does.
func ExampleDeterministicID() {
	id, err := stix.DeterministicID(&stix.File{Name: "foo.exe"})
	fmt.Println(id, err)
	ip, _ := stix.DeterministicID(&stix.IPv4Addr{Value: "198.51.100.3"})
	fmt.Println(ip)
	// Output:
	// file--7af1312c-4402-5d2f-b169-b118d73b85c4 <nil>
	// ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4
}

// Timestamps keep the precision they were given.
func ExampleParseTimestamp() {
	ts, _ := stix.ParseTimestamp("2017-01-01T12:34:56.1234Z")
	fmt.Println(ts, ts.Digits())
	fmt.Println(ts.WithDigits(stix.Milliseconds))
	// Output:
	// 2017-01-01T12:34:56.1234Z 4
	// 2017-01-01T12:34:56.123Z
}
