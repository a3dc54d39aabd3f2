package helper

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/stixkit/stixkit/internal/pyjson"
)

// platformWithBroker is a fake platform whose registration declares, on
// the real broker, what OpenCTI declares: a direct durable push exchange
// and the connector's durable push queue bound with push_routing_<id>.
func platformWithBroker(t testing.TB, url string) (plat *fakePlatform, connID, queue string, ch *amqp.Channel) {
	uri, err := amqp.ParseURI(url)
	if err != nil {
		t.Fatal(err)
	}
	prefix := uniqueName(t) + "_"
	plat = newFakePlatform(t)
	plat.host, plat.port, plat.mqUser, plat.mqPass = uri.Host, uri.Port, uri.Username, uri.Password
	plat.pushExchange = prefix + pushExchange6
	connID = "c0ffee00-0000-4000-8000-" + prefix[len(prefix)-13:len(prefix)-1]
	queue = prefix + "push_" + connID
	plat.pushRouting = prefix + pushRoutingPrefix6 + connID
	ch = testChannel(t, url, queue)
	t.Cleanup(func() { ch.ExchangeDelete(plat.pushExchange, false, false) })
	plat.onRegister = func(id string) {
		if err := ch.ExchangeDeclare(plat.pushExchange, "direct", true, false, false, false, nil); err != nil {
			t.Error(err)
		}
		if _, err := ch.QueueDeclare(queue, true, false, false, false, nil); err != nil {
			t.Error(err)
		}
		if err := ch.QueueBind(queue, plat.pushRouting, plat.pushExchange, false, nil); err != nil {
			t.Error(err)
		}
	}
	return plat, connID, queue, ch
}

// TestBroker6EndToEnd: the helper registers with a fake platform, gets the
// real broker's address, initiates a work, sends a 1,000-object bundle with
// confirms, marks the work processed; the test consumes the push queue
// and checks every message (order, properties, body, decoded piece).
func TestBroker6EndToEnd(t *testing.T) {
	url := brokerURL(t)
	plat, connID, queue, ch := platformWithBroker(t, url)
	cfg, err := parseConfig(plat.configYAML(connID), "test", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	workID, err := h.InitiateWork(ctx, "e2e")
	if err != nil {
		t.Fatal(err)
	}
	bundle := bigBundle(1000)
	start := time.Now()
	pieces, err := h.Send(ctx, bundle, SendOptions{WorkID: workID, EntitiesTypes: []string{"indicator"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d objects → %d messages confirmed in %v (%.0f objects/s)", 1000, len(pieces), time.Since(start), 1000/time.Since(start).Seconds())
	if err := h.API().ToProcessed(ctx, workID, "done", false); err != nil {
		t.Fatal(err)
	}
	if got := plat.ops(); len(got) < 4 || got[0] != "registerConnector" || got[1] != "workAdd" || got[2] != "addExpectations" || got[3] != "toProcessed" {
		t.Errorf("API calls %v", got)
	}
	if e := plat.callsOf("addExpectations")[0].Variables["expectations"]; e != float64(len(pieces)) {
		t.Errorf("expectations %v for %d pieces", e, len(pieces))
	}
	if len(pieces) != 1000 {
		t.Fatalf("%d pieces for 1000 supported objects", len(pieces))
	}
	want, _, err := h.proto.(*protocol6).messagesValue(context.Background(), mustValue(t, bundle), SendOptions{WorkID: workID, EntitiesTypes: []string{"indicator"}})
	if err != nil {
		t.Fatal(err)
	}
	got := drain(t, ch, queue, len(pieces), 30*time.Second)
	if len(got) != len(pieces) {
		t.Fatalf("%d messages consumed, %d sent", len(got), len(pieces))
	}
	for i, d := range got {
		if d.Exchange != plat.pushExchange || d.RoutingKey != plat.pushRouting || d.DeliveryMode != 2 || d.ContentEncoding != "utf-8" || d.ContentType != "" {
			t.Fatalf("message %d: %s/%s mode %d encoding %q", i, d.Exchange, d.RoutingKey, d.DeliveryMode, d.ContentEncoding)
		}
		if string(d.Body) != string(want[i].Body) {
			t.Fatalf("message %d body differs", i)
		}
		var env struct {
			Seq     int    `json:"action_sequence"`
			Content string `json:"content"`
			Work    string `json:"work_id"`
			Appl    string `json:"applicant_id"`
		}
		if err := json.Unmarshal(d.Body, &env); err != nil {
			t.Fatal(err)
		}
		piece, _ := base64.StdEncoding.DecodeString(env.Content)
		if env.Seq != i+1 || env.Work != workID || env.Appl != plat.userID || string(piece) != string(pieces[i]) {
			t.Fatalf("message %d: seq %d work %q applicant %q", i, env.Seq, env.Work, env.Appl)
		}
	}
}

// TestBroker6ConnectionLost: the broker connection closed mid-send loses
// nothing and keeps action_sequence order (duplicates possible).
func TestBroker6ConnectionLost(t *testing.T) {
	url := brokerURL(t)
	plat, connID, queue, ch := platformWithBroker(t, url)
	// The platform hands out a throttled link of the test's own, cut
	// while the send runs.
	proxy := newProxy(t, brokerTarget(t, url), 2<<20)
	plat.host, plat.port = proxy.hostPort()
	cfg, err := parseConfig(plat.configYAML(connID), "test", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg.Retry = RetryPolicy{MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	h, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	pub, ok := h.pub.(*AMQPPublisher)
	if !ok {
		t.Fatalf("publisher %T", h.pub)
	}
	const n = 6000
	done := make(chan struct{})
	cuts := 0
	go func() {
		defer close(done)
		for k := 0; k < 3; k++ {
			time.Sleep(150 * time.Millisecond)
			cuts += proxy.cut()
		}
	}()
	pieces, err := h.Send(ctx, bigBundle(n), SendOptions{})
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if c := pub.connects.Load(); c < 2 || cuts == 0 {
		t.Fatalf("%d connection(s) made, %d cut: no reconnection happened during the send", c, cuts)
	}
	t.Logf("%d connections made, %d cut", pub.connects.Load(), cuts)
	got := drain(t, ch, queue, len(pieces), 60*time.Second)
	seen := make([]bool, len(pieces)+1)
	last, dups := 0, 0
	for _, d := range got {
		var env struct {
			Seq int `json:"action_sequence"`
		}
		if err := json.Unmarshal(d.Body, &env); err != nil || env.Seq < 1 || env.Seq > len(pieces) {
			t.Fatalf("bad message %.80s", d.Body)
		}
		if seen[env.Seq] {
			dups++
			continue
		}
		if env.Seq < last {
			t.Fatalf("action_sequence %d first delivered after %d", env.Seq, last)
		}
		seen[env.Seq], last = true, env.Seq
	}
	for i := 1; i <= len(pieces); i++ {
		if !seen[i] {
			t.Fatalf("action_sequence %d lost", i)
		}
	}
	t.Logf("%d messages delivered, %d duplicates", len(pieces), dups)
}

func mustValue(t *testing.T, b []byte) pyjson.Value {
	t.Helper()
	v, err := parseBundle(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
