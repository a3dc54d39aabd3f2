package schemas

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// BenchmarkValidateObject validates every object of the ATT&CK Mobile 17.1
// bundle (2,148 objects, 4 MB) with the schema layer alone, one goroutine.
// It reports objects/s next to MB/s.
func BenchmarkValidateObject(b *testing.B) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/mobile-attack-17.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	var env struct {
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		b.Fatal(err)
	}
	v := Default()
	size := 0
	for _, o := range env.Objects {
		size += len(o)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, o := range env.Objects {
			errs, err := v.ValidateObject(o)
			if err != nil || len(errs) != 0 {
				b.Fatalf("%v %v", err, errs)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(env.Objects))/b.Elapsed().Seconds(), "objects/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N*len(env.Objects))/cpu.Seconds(), "objects/cpu-s")
	}
}

// BenchmarkValidateObjectParallel is BenchmarkValidateObject with one shared
// Validator used by GOMAXPROCS goroutines.
func BenchmarkValidateObjectParallel(b *testing.B) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/mobile-attack-17.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	var env struct {
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		b.Fatal(err)
	}
	v := Default()
	size := 0
	for _, o := range env.Objects {
		size += len(o)
	}
	b.SetBytes(int64(size) / int64(len(env.Objects)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := v.ValidateObject(env.Objects[i%len(env.Objects)]); err != nil {
				b.Error(err)
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "objects/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "objects/cpu-s")
	}
}

// BenchmarkNew compiles the embedded schemas (gojsonschema and the fast
// path): the startup cost of a validation process.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := New(Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
