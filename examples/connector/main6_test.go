package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestDryRun6 runs the connector with the OpenCTI 6.x sample configuration
// in a dry run: one message per object to the platform's default push
// exchange and routing key, as pycti 6.8 would publish them.
func TestDryRun6(t *testing.T) {
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"-once", "-dry-run", "-config", "config6.sample.yml"}, &out, &errs, options{
		now: func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) },
	})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 10 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		var m struct {
			Exchange   string `json:"exchange"`
			RoutingKey string `json:"routing_key"`
			Body       string `json:"body"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		if m.Exchange != "amqp.worker.exchange" || m.RoutingKey != "push_routing_ChangeMe-to-a-UUIDv4" ||
			!strings.HasPrefix(m.Body, `{"bundle_type": "QUEUE_BUNDLE", "applicant_id": null, "action_sequence": `) {
			t.Fatalf("line %d: %.200s", i, l)
		}
	}
}
