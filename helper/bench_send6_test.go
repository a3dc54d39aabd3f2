package helper

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

// BenchmarkSend6EndToEnd sends a 1,000-object bundle with the 6.x protocol
// to the real broker (registration through a fake platform, publisher
// confirms) and reports objects per second; the push queue is purged
// between iterations. Skips without a broker.
func BenchmarkSend6EndToEnd(b *testing.B) {
	url := brokerURL(b)
	plat, connID, queue, ch := platformWithBroker(b, url)
	cfg, err := parseConfig(plat.configYAML(connID), "bench", noEnv)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	h, err := New(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	const n = 1000
	bundle := bigBundle(n)
	var sent time.Duration
	for b.Loop() {
		start := time.Now()
		pieces, err := h.Send(ctx, bundle, SendOptions{EntitiesTypes: []string{"indicator"}})
		if err != nil {
			b.Fatal(err)
		}
		sent += time.Since(start)
		if len(pieces) != n {
			b.Fatalf("%d pieces", len(pieces))
		}
		b.StopTimer()
		if _, err := ch.QueuePurge(queue, false); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/sent.Seconds(), "objects/s")
}
