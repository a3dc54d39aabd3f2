package stix_test

import (
	"encoding/json"
	"os"
	"runtime"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

const benchFile = "corpus/attack-stix-data/mobile-attack-17.1.json"

func loadBench(b *testing.B) []byte {
	data, err := os.ReadFile(testutil.SharedFile(b, benchFile))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkDecode decodes the 4 MB ATT&CK Mobile bundle into typed objects.
func BenchmarkDecode(b *testing.B) {
	data := loadBench(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := stix.ParseBundle(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode encodes the decoded bundle canonically.
func BenchmarkEncode(b *testing.B) {
	data := loadBench(b)
	bundle, err := stix.ParseBundle(data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := stix.Marshal(bundle); err != nil {
			b.Fatal(err)
		}
	}
}

type mapBundle struct {
	Type    string           `json:"type"`
	ID      string           `json:"id"`
	Objects []map[string]any `json:"objects"`
}

// BenchmarkDecodeBaselineMaps decodes the same bytes with encoding/json into
// []map[string]any (the baseline of the foundation issue).
func BenchmarkDecodeBaselineMaps(b *testing.B) {
	data := loadBench(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var mb mapBundle
		if err := json.Unmarshal(data, &mb); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeBaselineMaps encodes the []map[string]any form back.
func BenchmarkEncodeBaselineMaps(b *testing.B) {
	data := loadBench(b)
	var mb mapBundle
	if err := json.Unmarshal(data, &mb); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(&mb); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRetainedHeap reports the heap retained by a decoded bundle, in
// bytes per byte of input (target: at most 2).
func BenchmarkRetainedHeap(b *testing.B) {
	data := loadBench(b)
	var keep *stix.Bundle
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		bundle, err := stix.ParseBundle(data)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		keep = bundle
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(data)), "heap-bytes/input-byte")
	}
	runtime.KeepAlive(keep)
}
