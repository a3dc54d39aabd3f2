package bundle_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/uuid"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
)

// bigBundle writes (once per process) a bundle of at least size bytes made
// of ATT&CK Mobile objects repeated with fresh ids, and returns its path.
func bigBundle(b *testing.B, size int64) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("stixkit-bench-%d.json", size))
	if fi, err := os.Stat(path); err == nil && fi.Size() >= size {
		return path
	}
	src, err := stix.ParseBundle(loadMobile(b))
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := bundle.NewEncoder(w, bundle.EncodeOptions{ID: stix.Identifier("bundle--" + uuid.NewString())})
	var written int64
	for written < size {
		for _, o := range src.Objects {
			o.(stix.IDSetter).SetObjectID(stix.NewIdentifier(o.ObjectType()))
			n, err := enc.EncodeCount(o)
			if err != nil {
				b.Fatal(err)
			}
			written += int64(n)
		}
	}
	if err := enc.Close(); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return path
}

// peakHeap samples the live heap every n objects.
type peakHeap struct {
	peak uint64
	ms   runtime.MemStats
}

func (p *peakHeap) sample() {
	runtime.ReadMemStats(&p.ms)
	p.peak = max(p.peak, p.ms.HeapAlloc)
}

// BenchmarkStreamDecode45MB streams a 45 MB bundle from a file; it reports
// the peak live heap (target < 32 MB).
func BenchmarkStreamDecode45MB(b *testing.B) {
	path := bigBundle(b, 45<<20)
	fi, _ := os.Stat(path)
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
		n := 0
		for _, err := range dec.All() {
			if err != nil {
				b.Fatal(err)
			}
			if n++; n%2000 == 0 {
				peak.sample()
			}
		}
		f.Close()
	}
	b.ReportMetric(float64(peak.peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkInMemoryDecode45MB decodes the same bundle held in memory with
// stix.ParseBundle (the reference for the streaming throughput).
func BenchmarkInMemoryDecode45MB(b *testing.B) {
	path := bigBundle(b, 45<<20)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := stix.ParseBundle(data); err != nil {
			b.Fatal(err)
		}
	}
}

var _ = io.EOF
