package helper

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// runOnce6 runs one run-and-terminate ScheduleWork against plat and
// reports whether the job ran, with the platform calls made.
func runOnce6(t *testing.T, plat *fakePlatform, connID, threshold string, pub Publisher) (ran bool, ops []string, logs string) {
	t.Helper()
	yml := string(plat.configYAML(connID)) + "  run_and_terminate: 'true'\n"
	if threshold != "" {
		yml += "  queue_threshold: '" + threshold + "'\n"
	}
	cfg, err := parseConfig([]byte(yml), "test", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	cfg.Logger = testLogger(t, &buf)
	cfg.Publisher = pub
	before := len(plat.ops())
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	err = h.ScheduleWork(context.Background(), "IOC import", func(ctx context.Context, w *Work) error {
		ran = true
		_, err := w.Send(ctx, `{"objects": [{"type": "tool", "id": "tool--1"}]}`, SendOptions{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ran, plat.ops()[before:], buf.String()
}

// TestQueueThreshold6: as pycti 6.8.10, a run-and-terminate run reads the
// connector's queue size from the platform first and is skipped when it
// is at or over connector.queue_threshold (MB of 10^6 bytes).
func TestQueueThreshold6(t *testing.T) {
	plat := newFakePlatform(t)
	size := int64(0)
	plat.queueSize = func() (int64, int64) { return 7, size }
	for _, tc := range []struct {
		size      int64
		threshold string
		run       bool
	}{
		{0, "", true},
		{499_999_999, "", true},
		{500_000_000, "", false}, // default 500 MB, at the threshold
		{1_500_000, "1.5", false},
		{1_499_999, "1.5", true},
	} {
		size = tc.size
		ran, ops, logs := runOnce6(t, plat, recordedConnectorID, tc.threshold, &recorder{})
		if ran != tc.run {
			t.Errorf("size %d threshold %q: ran %v", tc.size, tc.threshold, ran)
		}
		want := []string{"registerConnector", "connector", "pingConnector"}
		if tc.run {
			want = []string{"registerConnector", "connector", "workAdd", "addExpectations", "toProcessed", "pingConnector"}
		}
		if !reflect.DeepEqual(ops, want) {
			t.Errorf("size %d: ops %v, want %v", tc.size, ops, want)
		}
		if !tc.run && !strings.Contains(logs, "Connector will not run until the queue messages size is reduced under queue threshold") {
			t.Errorf("no buffering log:\n%s", logs)
		}
		if got := plat.callsOf("connector"); got[len(got)-1].Variables["id"] != recordedConnectorID {
			t.Errorf("connector query variables %v", got[len(got)-1].Variables)
		}
	}
}

// queueBytes returns the messages and message bytes of queue as the broker
// reports them (the platform reads the same from RabbitMQ's management).
func queueBytes(t *testing.T, queue string) (int64, int64) {
	out := rabbitmqctl(t, "list_queues", "-q", "--no-table-headers", "name", "messages", "message_bytes")
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == queue {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			b, _ := strconv.ParseInt(f[2], 10, 64)
			return n, b
		}
	}
	return 0, 0
}

// TestQueueThresholdBroker6: the push queue on the real broker holds
// 2 MB; with a 1 MB threshold the run is skipped, once drained it runs and
// publishes.
func TestQueueThresholdBroker6(t *testing.T) {
	url := brokerURL(t)
	plat, connID, queue, ch := platformWithBroker(t, url)
	plat.queueSize = func() (int64, int64) { return queueBytes(t, queue) }
	// Register once so the queue exists, then fill it with 2 MB.
	if ran, _, _ := runOnce6(t, plat, connID, "1", nil); !ran {
		t.Fatal("first run skipped on an empty queue")
	}
	body := bytes.Repeat([]byte("x"), 500_000)
	for i := range 4 {
		if err := ch.Publish("", queue, false, false, amqp.Publishing{Body: body}); err != nil {
			t.Fatal(err)
		}
		_ = i
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, b := queueBytes(t, queue); b >= 2_000_000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the broker does not report the queue size")
		}
		time.Sleep(100 * time.Millisecond)
	}
	n0, _ := queueBytes(t, queue)
	if ran, ops, _ := runOnce6(t, plat, connID, "1", nil); ran {
		t.Fatalf("ran with a 2 MB queue and a 1 MB threshold (ops %v)", ops)
	}
	if n, _ := queueBytes(t, queue); n != n0 {
		t.Fatalf("queue went from %d to %d messages on a skipped run", n0, n)
	}
	if _, err := ch.QueuePurge(queue, false); err != nil {
		t.Fatal(err)
	}
	if ran, _, _ := runOnce6(t, plat, connID, "1", nil); !ran {
		t.Fatal("skipped on a drained queue")
	}
	got := drain(t, ch, queue, 1, 10*time.Second)
	if len(got) != 1 || !strings.Contains(string(got[0].Body), `"bundle_type": "QUEUE_BUNDLE"`) {
		t.Fatalf("%d messages: %s", len(got), fmt.Sprint(len(got)))
	}
}

// TestQueueThresholdPeriodic6: on a schedule, as pycti's schedule_process,
// the first run always runs and checks the queue after; the next runs
// check first and are skipped while the queue is over the threshold.
func TestQueueThresholdPeriodic6(t *testing.T) {
	plat := newFakePlatform(t)
	plat.queueSize = func() (int64, int64) { return 1, 600_000_000 }
	yml := strings.Replace(string(plat.configYAML(recordedConnectorID)), "duration_period: 'PT1H'", "duration_period: 'PT0.3S'", 1)
	cfg, err := parseConfig([]byte(yml), "test", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Publisher = &recorder{}
	cfg.Logger = testLogger(t, nil)
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	runs := 0
	ctx, cancel := context.WithTimeout(context.Background(), 1100*time.Millisecond)
	defer cancel()
	h.ScheduleWork(ctx, "feed", func(ctx context.Context, w *Work) error {
		runs++
		return nil
	})
	if runs != 1 {
		t.Fatalf("%d runs, want 1 (the first, then skipped over the threshold)", runs)
	}
	ops := plat.ops()
	want := []string{"registerConnector", "workAdd", "toProcessed", "pingConnector", "connector", "connector"}
	if len(ops) < len(want) || !reflect.DeepEqual(ops[:len(want)], want) {
		t.Fatalf("ops %v, want %v then more checks", ops, want)
	}
	for _, op := range ops[len(want):] {
		if op != "connector" {
			t.Fatalf("ops %v: a skipped run did %s", ops, op)
		}
	}
}
