package bundle_test

import (
	"bufio"
	"io"
	"os"
	"runtime"
	"testing"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

// benchStyles names the two Python styles for sub-benchmarks.
var benchStyles = []struct {
	name  string
	style bundle.Style
}{{"python", bundle.Python}, {"python-pretty", bundle.PythonPretty}}

// BenchmarkPythonFormat rewrites the 4 MB ATT&CK Mobile bundle from its
// JSON text with FormatPython (what stixkit fmt --style python does).
func BenchmarkPythonFormat(b *testing.B) {
	data := loadMobile(b)
	for _, s := range benchStyles {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bundle.FormatPython(data, s.style == bundle.PythonPretty); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPythonMarshal writes the decoded ATT&CK Mobile bundle with
// Marshal in the Python styles (the typed path).
func BenchmarkPythonMarshal(b *testing.B) {
	data := loadMobile(b)
	bun, err := stix.ParseBundle(data)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range benchStyles {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bundle.Marshal(bun, s.style); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPythonStream45MB streams a 45 MB bundle from a file through the
// Decoder and a Python-style Encoder to io.Discard; it reports the peak
// live heap, which must stay flat (as for the canonical Encoder).
func BenchmarkPythonStream45MB(b *testing.B) {
	path := bigBundle(b, 45<<20)
	fi, _ := os.Stat(path)
	for _, s := range append(benchStyles, struct {
		name  string
		style bundle.Style
	}{"canonical", bundle.Canonical}) {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(fi.Size())
			b.ReportAllocs()
			var peak peakHeap
			for b.Loop() {
				runtime.GC()
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				dec := bundle.NewDecoder(f, bundle.DecodeOptions{})
				w := bufio.NewWriterSize(io.Discard, 64<<10)
				enc := bundle.NewEncoder(w, bundle.EncodeOptions{Style: s.style})
				n := 0
				for obj, err := range dec.All() {
					if err != nil {
						b.Fatal(err)
					}
					if err := enc.Encode(obj); err != nil {
						b.Fatal(err)
					}
					if n++; n%2000 == 0 {
						peak.sample()
					}
				}
				if err := enc.Close(); err != nil {
					b.Fatal(err)
				}
				w.Flush()
				f.Close()
			}
			b.ReportMetric(float64(peak.peak)/(1<<20), "peak-heap-MB")
		})
	}
}

func loadMobile(b *testing.B) []byte {
	b.Helper()
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/mobile-attack-17.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkPythonStreamRaw45MB streams the 45 MB bundle object by object
// from its JSON text (Decoder.NextRaw) through FormatPython, as stixkit fmt
// --style python does, to io.Discard; it reports the peak live heap.
func BenchmarkPythonStreamRaw45MB(b *testing.B) {
	path := bigBundle(b, 45<<20)
	fi, _ := os.Stat(path)
	for _, pretty := range []bool{false, true} {
		name := "python"
		if pretty {
			name = "python-pretty"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(fi.Size())
			b.ReportAllocs()
			var peak peakHeap
			for b.Loop() {
				runtime.GC()
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				dec := bundle.NewDecoder(f, bundle.DecodeOptions{})
				w := bufio.NewWriterSize(io.Discard, 64<<10)
				for n := 1; ; n++ {
					raw, err := dec.NextRaw()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					out, err := bundle.FormatPython(raw, pretty)
					if err != nil {
						b.Fatal(err)
					}
					w.Write(out)
					if n%2000 == 0 {
						peak.sample()
					}
				}
				w.Flush()
				f.Close()
			}
			b.ReportMetric(float64(peak.peak)/(1<<20), "peak-heap-MB")
		})
	}
}
