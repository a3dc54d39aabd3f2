package validate

import (
	"context"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/schemas"
)

// BenchmarkMobileAttack validates ATT&CK Mobile 17.1 (2,148 objects, 4 MB)
// in full (schema, MUST, SHOULD) with 1 and 2 workers, and without the
// schema layer to show what the other layers cost.
func BenchmarkMobileAttack(b *testing.B) {
	path := testutil.SharedFile(b, "corpus/attack-stix-data/mobile-attack-17.1.json")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	schemas.Default()
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"full/workers=1", Options{Workers: 1}},
		{"full/workers=2", Options{Workers: 2}},
		{"no-schema/workers=1", Options{Workers: 1, Disable: []string{"schema"}}},
		{"no-schema/workers=2", Options{Workers: 2, Disable: []string{"schema"}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			objects := 0
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				rep, err := Bytes(context.Background(), data, tc.opt)
				if err != nil || !rep.Valid {
					b.Fatalf("%v %v", err, rep.Errors)
				}
				objects = rep.Objects
			}
			b.ReportMetric(float64(objects*b.N)/b.Elapsed().Seconds(), "objects/s")
			// Objects per CPU-second: the per-core figure, meaningful
			// also on a loaded machine.
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(objects*b.N)/cpu.Seconds(), "objects/cpu-s")
			}
		})
	}
}

// cpuTime returns the CPU time (user + system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWorkers shows scaling with the number of workers.
func BenchmarkWorkers(b *testing.B) {
	path := testutil.SharedFile(b, "corpus/attack-stix-data/mobile-attack-17.1.json")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range []int{1, 2, 4} {
		b.Run("workers="+strconv.Itoa(w), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for i := 0; i < b.N; i++ {
				if _, err := Bytes(context.Background(), data, Options{Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
