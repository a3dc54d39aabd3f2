package jcs

import (
	"os"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// BenchmarkCanonicalize measures Canonicalize on the ATT&CK ICS 18.1 bundle.
func BenchmarkCanonicalize(b *testing.B) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/ics-attack-18.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Canonicalize(data); err != nil {
			b.Fatal(err)
		}
	}
}
