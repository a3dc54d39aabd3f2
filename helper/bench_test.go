package helper

import (
	"context"
	"os"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

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
	for b.Loop() {
		v, err := bundleValue(data)
		if err != nil {
			b.Fatal(err)
		}
		msgs, _, err := p.Messages(v, SendOptions{})
		if err != nil {
			b.Fatal(err)
		}
		n = len(msgs)
	}
	b.ReportMetric(float64(n), "msgs/op")
}
