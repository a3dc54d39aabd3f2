package helper

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"github.com/stixkit/stixkit/helper/internal/wire11"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/stixkit/stixkit/internal/pyjson"
)

// brokerURL returns the test broker (AMQP_URL, default the local guest
// account) after checking it answers; without one the test is skipped,
// unless STIXKIT_REQUIRE_BROKER=1 makes that a failure.
func brokerURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv("AMQP_URL")
	if url == "" {
		url = "amqp://guest:guest@127.0.0.1:5672/"
	}
	conn, err := amqp.DialConfig(url, amqp.Config{Dial: amqp.DefaultDial(3 * time.Second)})
	if err != nil {
		if os.Getenv("STIXKIT_REQUIRE_BROKER") == "1" {
			tb.Fatalf("no RabbitMQ at AMQP_URL: %v", err)
		}
		tb.Skipf("no RabbitMQ at %s (%v); set AMQP_URL, or STIXKIT_REQUIRE_BROKER=1 to fail", redactURL(url), err)
	}
	conn.Close()
	return url
}

func redactURL(u string) string {
	if uri, err := amqp.ParseURI(u); err == nil {
		return uri.Host + ":" + strconv.Itoa(uri.Port)
	}
	return "(unparsable AMQP_URL)"
}

// brokerConfig turns an AMQP URL into a RabbitMQConfig.
func brokerConfig(tb testing.TB, url string) RabbitMQConfig {
	uri, err := amqp.ParseURI(url)
	if err != nil {
		tb.Fatal(err)
	}
	return RabbitMQConfig{Hostname: uri.Host, Port: uri.Port, Username: uri.Username, Password: uri.Password,
		VHost: uri.Vhost, UseTLS: uri.Scheme == "amqps", Configured: true}
}

// uniqueName returns a name no other test run uses.
func uniqueName(tb testing.TB) string {
	var b [6]byte
	rand.Read(b[:])
	return "stixkittest" + hex.EncodeToString(b[:])
}

// testChannel opens a plain channel for the test's own checks; the queue
// named queue is deleted when the test ends.
func testChannel(tb testing.TB, url, queue string) *amqp.Channel {
	tb.Helper()
	conn, err := amqp.Dial(url)
	if err != nil {
		tb.Fatal(err)
	}
	ch, err := conn.Channel()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if ch.IsClosed() {
			ch, _ = conn.Channel()
		}
		if ch != nil {
			ch.QueueDelete(queue, false, false, false)
		}
		conn.Close()
	})
	return ch
}

// drain consumes n messages from queue (failing after timeout).
func drain(tb testing.TB, ch *amqp.Channel, queue string, n int, timeout time.Duration) []amqp.Delivery {
	tb.Helper()
	deliveries, err := ch.Consume(queue, "", true, false, false, false, nil)
	if err != nil {
		tb.Fatal(err)
	}
	var out []amqp.Delivery
	deadline := time.After(timeout)
	for len(out) < n {
		select {
		case d := <-deliveries:
			out = append(out, d)
		case <-deadline:
			tb.Fatalf("got %d of %d messages", len(out), n)
		}
	}
	// Anything beyond n would be a duplicate or an error: collect briefly.
	for {
		select {
		case d := <-deliveries:
			out = append(out, d)
		case <-time.After(300 * time.Millisecond):
			return out
		}
	}
}

// bigBundle builds a bundle of n objects: an author, a marking, indicators,
// malware and relationships indicator → malware.
func bigBundle(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [`)
	b.WriteString(`{"type": "identity", "id": "identity--00000000-0000-4000-8000-000000000000", "name": "Test Author", "identity_class": "organization"}, `)
	b.WriteString(`{"type": "marking-definition", "id": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "definition_type": "tlp", "definition": {"tlp": "amber"}}`)
	k := (n - 2) / 3
	for i := 0; i < k; i++ {
		fmt.Fprintf(&b, `, {"type": "indicator", "id": "indicator--00000000-0000-4000-8000-%012d", "created_by_ref": "identity--00000000-0000-4000-8000-000000000000", "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"], "name": "IOC %d \u00e9", "pattern": "[ipv4-addr:value = '10.0.%d.%d']", "valid_from": "2024-01-01T00:00:00Z", "confidence": %d}`, i, i, i/256, i%256, i%100)
	}
	for i := 0; i < k; i++ {
		fmt.Fprintf(&b, `, {"type": "malware", "id": "malware--00000000-0000-4000-8000-%012d", "name": "Malware %d", "is_family": false, "x_score": %d.5}`, i, i, i)
	}
	for i := 0; i < n-2-2*k; i++ {
		fmt.Fprintf(&b, `, {"type": "relationship", "id": "relationship--00000000-0000-4000-8000-%012d", "relationship_type": "indicates", "source_ref": "indicator--00000000-0000-4000-8000-%012d", "target_ref": "malware--00000000-0000-4000-8000-%012d"}`, i, i%k, i%k)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func brokerHelper(t *testing.T, url, name string, persistent bool) *Helper {
	t.Helper()
	cfg := &Config{
		Connector: ConnectorConfig{Name: name, ConfidenceLevel: 2, LogLevel: "info"},
		RabbitMQ:  brokerConfig(t, url),
		Logger:    slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Retry:     RetryPolicy{MinBackoff: 20 * time.Millisecond, MaxBackoff: 500 * time.Millisecond},
	}
	cfg.RabbitMQ.Persistent = persistent
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	h, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestBroker2000Objects declares like pycti, sends a 2,000-object bundle,
// consumes import-connectors-<id> and checks every message: envelope,
// base64 content equal to the piece returned, objects re-splittable, and
// every object of the bundle delivered.
func TestBroker2000Objects(t *testing.T) {
	url := brokerURL(t)
	name := uniqueName(t)
	queue := wire11.Queue(name)
	ch := testChannel(t, url, queue)
	h := brokerHelper(t, url, name, true)

	bundle := bigBundle(2000)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pieces, err := h.SendStix2Bundle(ctx, bundle, []string{"indicator", "malware"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := drain(t, ch, queue, len(pieces), 30*time.Second)
	if len(msgs) != len(pieces) {
		t.Fatalf("consumed %d messages, sent %d", len(msgs), len(pieces))
	}
	seen := map[string]bool{}
	for i, d := range msgs {
		if d.Exchange != wire11.Exchange() || d.RoutingKey != wire11.RoutingKey(name) || d.DeliveryMode != 2 {
			t.Fatalf("message %d: %s/%s mode %d", i, d.Exchange, d.RoutingKey, d.DeliveryMode)
		}
		env, err := pyjson.Parse(d.Body, pyjson.ParseOptions{})
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if got := string(pyjson.Dumps(env, pyjson.DumpOptions{})); got != string(d.Body) {
			t.Fatalf("message %d is not in json.dumps form", i)
		}
		if typ, _ := env.GetString("type"); typ != "stix2-bundle" {
			t.Fatalf("message %d type %q", i, typ)
		}
		et, _ := env.Get("entities_types")
		if string(pyjson.Dumps(et, pyjson.DumpOptions{})) != `["indicator", "malware"]` {
			t.Fatalf("entities_types %s", pyjson.Dumps(et, pyjson.DumpOptions{}))
		}
		c, _ := env.GetString("content")
		content, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(content, pieces[i]) {
			t.Fatalf("message %d content differs from piece %d", i, i)
		}
		piece, err := pyjson.Parse(content, pyjson.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		again, err := split11(content, nil)
		if err != nil || len(again) == 0 {
			t.Fatalf("piece %d does not re-split: %v", i, err)
		}
		objs, _ := piece.Get("objects")
		for _, o := range objs.Arr {
			id, _ := o.GetString("id")
			seen[id] = true
		}
	}
	all, _ := pyjson.Parse(bundle, pyjson.ParseOptions{})
	objs, _ := all.Get("objects")
	for _, o := range objs.Arr {
		if id, _ := o.GetString("id"); !seen[id] {
			t.Errorf("object %s never delivered", id)
		}
	}
	if len(objs.Arr) != 2000 {
		t.Fatalf("bundle has %d objects", len(objs.Arr))
	}
}

// TestBrokerConnectionLost closes the connection several times while a
// large send is in flight: Publish must still return nil and every message
// must be in the queue (duplicates allowed, first deliveries in order).
func TestBrokerConnectionLost(t *testing.T) {
	url := brokerURL(t)
	queue := uniqueName(t)
	ch := testChannel(t, url, queue)
	if _, err := ch.QueueDeclare(queue, true, false, false, false, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// A throttled link of the test's own, cut while the send runs: the
	// send cannot finish before the cuts.
	proxy := newProxy(t, brokerTarget(t, url), 2<<20)
	p, err := NewAMQPPublisher(ctx, AMQPOptions{Broker: viaProxy(t, url, proxy), Window: 256,
		Retry:  RetryPolicy{MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond},
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	const n = 20000
	msgs := make([]Message, n)
	for i := range msgs {
		msgs[i] = Message{RoutingKey: queue, Properties: Properties{DeliveryMode: 2}, Body: []byte(strconv.Itoa(i))}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	kills := 0
	go func() {
		defer wg.Done()
		for k := 0; k < 3; k++ {
			time.Sleep(150 * time.Millisecond)
			kills += proxy.cut()
		}
	}()
	err = p.Publish(ctx, msgs)
	wg.Wait()
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if c := p.connects.Load(); c < 2 || kills == 0 {
		t.Fatalf("%d connection(s) made, %d cut: no reconnection happened during the send", c, kills)
	} else {
		t.Logf("%d connection(s) cut, %d connections made", kills, c)
	}
	got := drain(t, ch, queue, n, 30*time.Second)
	seen := make([]bool, n)
	last := -1
	dups := 0
	for _, d := range got {
		i, err := strconv.Atoi(string(d.Body))
		if err != nil || i < 0 || i >= n {
			t.Fatalf("unexpected body %q", d.Body)
		}
		if seen[i] {
			dups++
			continue
		}
		if i < last {
			t.Fatalf("message %d first delivered after %d", i, last)
		}
		seen[i], last = true, i
	}
	for i, ok := range seen {
		if !ok {
			t.Fatalf("message %d lost", i)
		}
	}
	t.Logf("%d messages delivered, %d duplicates", n, dups)
}

// TestBrokerCancel checks that a cancelled context stops a send promptly.
func TestBrokerCancel(t *testing.T) {
	url := brokerURL(t)
	queue := uniqueName(t)
	ch := testChannel(t, url, queue)
	if _, err := ch.QueueDeclare(queue, false, false, false, false, nil); err != nil {
		t.Fatal(err)
	}
	p, err := NewAMQPPublisher(context.Background(), AMQPOptions{Broker: brokerConfig(t, url)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Publish(ctx, []Message{{RoutingKey: queue, Body: []byte("x")}}); err != context.Canceled {
		t.Fatalf("got %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Publish(context.Background(), nil); err != ErrClosed {
		t.Fatalf("after Close: %v", err)
	}
}

// TestBrokerBadPassword checks the error names the broker, not the password.
func TestBrokerBadPassword(t *testing.T) {
	url := brokerURL(t)
	cfg := brokerConfig(t, url)
	cfg.Password = "wrong-Secret-123"
	var logs bytes.Buffer
	_, err := NewAMQPPublisher(context.Background(), AMQPOptions{Broker: cfg, Retry: RetryPolicy{MaxAttempts: 1},
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err == nil {
		t.Fatal("connected with a wrong password")
	}
	if strings.Contains(err.Error(), "wrong-Secret-123") || strings.Contains(logs.String(), "wrong-Secret-123") {
		t.Fatalf("password leaked: %v / %s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "Unable to connect to RabbitMQ with the given parameters") {
		t.Errorf("log lacks pycti's message: %s", logs.String())
	}
}

// BenchmarkPublishConfirmed publishes 1 KB messages with confirms, 1,000
// per Publish call, and reports messages per second.
func BenchmarkPublishConfirmed(b *testing.B) {
	url := brokerURL(b)
	queue := uniqueName(b)
	conn, err := amqp.Dial(url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	ch, _ := conn.Channel()
	if _, err := ch.QueueDeclare(queue, false, false, false, false, amqp.Table{"x-max-length": 100000}); err != nil {
		b.Fatal(err)
	}
	defer ch.QueueDelete(queue, false, false, false)
	p, err := NewAMQPPublisher(context.Background(), AMQPOptions{Broker: brokerConfig(b, url)})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	body := bytes.Repeat([]byte("x"), 1024)
	msgs := make([]Message, 1000)
	for i := range msgs {
		msgs[i] = Message{RoutingKey: queue, Body: body}
	}
	b.SetBytes(int64(len(msgs) * len(body)))
	b.ResetTimer()
	for b.Loop() {
		if err := p.Publish(context.Background(), msgs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}
