package main

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// BenchmarkFmtPython runs stixkit fmt --style python and python-pretty
// (fmtPython, streaming object by object) on the 4 MB ATT&CK Mobile
// bundle, output discarded.
func BenchmarkFmtPython(b *testing.B) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/mobile-attack-17.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	for _, pretty := range []bool{false, true} {
		name := "python"
		if pretty {
			name = "python-pretty"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := fmtPython(io.Discard, bytes.NewReader(data), pretty); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
