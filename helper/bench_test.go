package helper

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stixkit/stixkit/internal/testutil"
)

// BenchmarkMessages11Value is BenchmarkMessages11 from a parsed
// pyjson.Value (the path of json.Marshaler and Value inputs), parse included.
func BenchmarkMessages11Value(b *testing.B) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/ics-attack-18.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	p, err := newProtocol11(context.Background(), testConfig(nil))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		v, err := parseBundle(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := p.messagesValue(context.Background(), v, SendOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMessages11 measures what pycti 1.2.15 does with broker calls
// stubbed out: parse the ATT&CK ICS 18.1 bundle, split it, encode every
// piece and wrap it in its base64 message. MB/s are of input.
func BenchmarkMessages11(b *testing.B) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/ics-attack-18.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	p, err := newProtocol11(context.Background(), testConfig(nil))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var n int
	cpu0 := cpuTime()
	best := time.Duration(1<<63 - 1)
	for b.Loop() {
		t0 := time.Now()
		msgs, _, err := protocolMessages(context.Background(), p, data, SendOptions{})
		best = min(best, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		n = len(msgs)
	}
	b.ReportMetric(float64(n), "msgs/op")
	// CPU time of the whole process per op: a figure that a loaded machine
	// does not inflate as much as wall-clock time (it counts every core).
	cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
	b.ReportMetric(cpu*1000, "cpu-ms/op")
	b.ReportMetric(float64(len(data))/1e6/cpu, "MB/cpu-s")
	// The fastest iteration: what an unloaded machine sustains.
	b.ReportMetric(float64(len(data))/1e6/best.Seconds(), "best-MB/s")
}

// cpuTime returns the user+system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
