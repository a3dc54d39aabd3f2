package helper

import (
	"context"
	"os"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// benchProtocol6 is an offline 6.x protocol with the recordings' names.
func benchProtocol6() *protocol6 {
	return &protocol6{
		cfg:         &PlatformConfig{},
		connectorID: "a5dcd1e0-2d44-4a2d-9b5d-2a0b1f3c0001",
		exchange:    pushExchange6,
		routingKey:  pushRoutingPrefix6 + "a5dcd1e0-2d44-4a2d-9b5d-2a0b1f3c0001",
	}
}

// BenchmarkMessages6 measures what pycti 6.8.10's send_stix2_bundle does
// with broker calls stubbed out: parse the ATT&CK ICS 18.1 bundle, enlist
// every object with its dependencies, sort, encode one bundle per object
// and wrap it in its base64 QUEUE_BUNDLE message. MB/s are of input
// (pycti 6.8.10: 0.083 s, 42 MB/s, 861 messages). Compare with
// BenchmarkMessages11 (the 1.1 path) in the same run.
func BenchmarkMessages6(b *testing.B) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/ics-attack-18.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	p := benchProtocol6()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var n int
	cpu0 := cpuTime()
	for b.Loop() {
		msgs, _, err := protocolMessages(context.Background(), p, data, SendOptions{ApplicantID: "88ec0c6a-13ce-5e39-b486-354fe4a7084f", WorkID: "work_abc"})
		if err != nil {
			b.Fatal(err)
		}
		n = len(msgs)
	}
	b.ReportMetric(float64(n), "msgs/op")
	cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
	b.ReportMetric(cpu*1000, "cpu-ms/op")
	b.ReportMetric(float64(len(data))/1e6/cpu, "MB/cpu-s")
}

// BenchmarkMessages6Value is BenchmarkMessages6 from an already parsed
// pyjson.Value (copied, since the caller's value is never modified).
func BenchmarkMessages6Value(b *testing.B) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/ics-attack-18.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	v, err := parseBundle(data)
	if err != nil {
		b.Fatal(err)
	}
	p := benchProtocol6()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := p.messagesValue(context.Background(), v, SendOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
