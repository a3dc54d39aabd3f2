package helper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/stixkit/stixkit/helper/internal/wire11"
	"log/slog"
	"net"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// numberedMessages returns n messages to the default exchange with routing
// key queue whose bodies are their index, padded to size bytes.
func numberedMessages(queue string, n, size int) []Message {
	msgs := make([]Message, n)
	for i := range msgs {
		b := []byte(strconv.Itoa(i) + " ")
		if len(b) < size {
			b = append(b, bytes.Repeat([]byte("x"), size-len(b))...)
		}
		msgs[i] = Message{RoutingKey: queue, Properties: Properties{DeliveryMode: 2}, Body: b}
	}
	return msgs
}

// checkNumbered checks that deliveries hold every index 0..n-1, first
// deliveries in order, and returns the number of duplicates.
func checkNumbered(t *testing.T, got []amqp.Delivery, n int) int {
	t.Helper()
	seen := make([]bool, n)
	last, dups := -1, 0
	for _, d := range got {
		f, _, _ := bytes.Cut(d.Body, []byte(" "))
		i, err := strconv.Atoi(string(f))
		if err != nil || i < 0 || i >= n {
			t.Fatalf("unexpected body %.40q", d.Body)
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
	return dups
}

// declaredQueue declares a queue of the test's own (deleted at the end).
func declaredQueue(t *testing.T, url string) (*amqp.Channel, string) {
	queue := uniqueName(t)
	ch := testChannel(t, url, queue)
	if _, err := ch.QueueDeclare(queue, true, false, false, false, nil); err != nil {
		t.Fatal(err)
	}
	return ch, queue
}

func testLogger(t *testing.T, buf *bytes.Buffer) *slog.Logger {
	if buf != nil {
		return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// TestBrokerPermanentConnectErrors: wrong credentials, an unknown vhost
// and an unknown host fail at once with the reason, although the retry
// policy is unbounded; the password is never in the error or the logs.
func TestBrokerPermanentConnectErrors(t *testing.T) {
	url := brokerURL(t)
	cases := []struct {
		name   string
		change func(b *RabbitMQConfig)
		want   string
	}{
		{"wrong password", func(b *RabbitMQConfig) { b.Password = "wrong-Secret-123" }, "403"},
		{"unknown user", func(b *RabbitMQConfig) { b.Username = "nobody-" + uniqueName(t) }, "403"},
		{"unknown vhost", func(b *RabbitMQConfig) { b.VHost = "stixkit-no-such-vhost" }, "vhost"},
		{"unknown host", func(b *RabbitMQConfig) { b.Hostname = "no-such-host.invalid" }, "no-such-host.invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := brokerConfig(t, url)
			tc.change(&b)
			var logs bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			start := time.Now()
			_, err := NewAMQPPublisher(ctx, AMQPOptions{Broker: b, Logger: testLogger(t, &logs),
				Retry: RetryPolicy{MinBackoff: time.Second, MaxBackoff: 10 * time.Second}})
			took := time.Since(start)
			if err == nil {
				t.Fatal("connected")
			}
			if !errors.Is(err, ErrPermanent) {
				t.Fatalf("not permanent: %v", err)
			}
			if took > 15*time.Second {
				t.Fatalf("took %s: retried", took)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error lacks %q: %v", tc.want, err)
			}
			// A login refusal is believed on its second occurrence (a
			// cut link during the login looks the same); nothing more.
			if n := strings.Count(logs.String(), "Unable to connect") + strings.Count(logs.String(), "trying once more"); n < 1 || n > 2 {
				t.Errorf("%d connection attempts logged, want 1 or 2:\n%s", n, logs.String())
			}
			if strings.Contains(err.Error()+logs.String(), "wrong-Secret-123") {
				t.Fatal("password leaked")
			}
			t.Logf("%s after %s", err, took.Round(time.Millisecond))
		})
	}
}

// TestBrokerMissingExchange: a publish to an exchange that does not exist
// (404) is returned at once with the broker's reason, without a reconnect
// loop; what was confirmed before stays delivered exactly once.
func TestBrokerMissingExchange(t *testing.T) {
	url := brokerURL(t)
	ch, queue := declaredQueue(t, url)
	p, err := NewAMQPPublisher(context.Background(), AMQPOptions{Broker: brokerConfig(t, url), Logger: testLogger(t, nil),
		Retry: RetryPolicy{MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	msgs := numberedMessages(queue, 10, 10)
	if err := p.Publish(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
	bad := []Message{{Exchange: "stixkit-missing-" + uniqueName(t), RoutingKey: queue, Body: []byte("lost")}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	err = p.Publish(ctx, bad)
	if !errors.Is(err, ErrPermanent) || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), "NOT_FOUND") {
		t.Fatalf("got %v", err)
	}
	if c := p.connects.Load(); c > 2 {
		t.Fatalf("%d connections for one 404: reconnect loop", c)
	}
	t.Logf("%v after %s, %d connection(s)", err, time.Since(start).Round(time.Millisecond), p.connects.Load())
	// The publisher recovers for the next send.
	if err := p.Publish(context.Background(), numberedMessages(queue, 20, 10)[10:]); err != nil {
		t.Fatal(err)
	}
	got := drain(t, ch, queue, 20, 10*time.Second)
	if dups := checkNumbered(t, got, 20); dups != 0 {
		t.Fatalf("%d duplicates", dups)
	}
}

// TestBrokerUnroutable: an exchange with no queue bound makes the broker
// drop messages; as mandatory publishes they come back and are an error.
func TestBrokerUnroutable(t *testing.T) {
	url := brokerURL(t)
	ch, queue := declaredQueue(t, url)
	exchange := uniqueName(t) + "_unbound"
	if err := ch.ExchangeDeclare(exchange, "direct", false, true, false, false, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.ExchangeDelete(exchange, false, false) })
	p, err := NewAMQPPublisher(context.Background(), AMQPOptions{Broker: brokerConfig(t, url), Logger: testLogger(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	msgs := numberedMessages(queue, 5, 10)
	for i := range msgs {
		msgs[i].Exchange = exchange
	}
	err = p.Publish(context.Background(), msgs)
	var ue *UnroutableError
	if !errors.As(err, &ue) || !errors.Is(err, ErrPermanent) {
		t.Fatalf("got %v", err)
	}
	if ue.Exchange != exchange || ue.RoutingKey != queue || ue.Code != 312 {
		t.Fatalf("%+v", ue)
	}
	t.Log(err)
	if q, err := ch.QueueDeclarePassive(queue, true, false, false, false, nil); err != nil || q.Messages != 0 {
		t.Fatalf("queue: %+v, %v", q, err)
	}
	// Bound, the same messages are delivered.
	if err := ch.QueueBind(queue, queue, exchange, false, nil); err != nil {
		t.Fatal(err)
	}
	if err := p.Publish(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
	got := drain(t, ch, queue, 5, 10*time.Second)
	if dups := checkNumbered(t, got, 5); dups != 0 {
		t.Fatalf("%d duplicates", dups)
	}
}

// silentPeer accepts TCP connections and never says a word.
func silentPeer(t *testing.T) (string, int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	a := ln.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port
}

// TestSilentPeer: a peer that accepts TCP and never speaks AMQP makes the
// handshake time out with an error saying so; cancelling the context
// during the handshake returns at once.
func TestSilentPeer(t *testing.T) {
	host, port := silentPeer(t)
	b := RabbitMQConfig{Hostname: host, Port: port, Username: "guest", Password: "guest", Configured: true}
	start := time.Now()
	_, err := NewAMQPPublisher(context.Background(), AMQPOptions{Broker: b, DialTimeout: 300 * time.Millisecond,
		Retry: RetryPolicy{MaxAttempts: 2, MinBackoff: 10 * time.Millisecond}})
	took := time.Since(start)
	var te *timeoutError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "did not answer as an AMQP broker") {
		t.Fatalf("got %v", err)
	}
	if took > 3*time.Second {
		t.Fatalf("took %s", took)
	}
	t.Logf("%v (%s)", err, took.Round(time.Millisecond))

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	_, err = NewAMQPPublisher(ctx, AMQPOptions{Broker: b, DialTimeout: 30 * time.Second})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("cancel took %s", took)
	}
	// A deadline in the past of the dial timeout wins, and says why.
	ctx, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	start = time.Now()
	_, err = NewAMQPPublisher(ctx, AMQPOptions{Broker: b, DialTimeout: 30 * time.Second})
	if !errors.Is(err, context.DeadlineExceeded) && !errors.As(err, &te) {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("deadline took %s", took)
	}
}

// TestDeadlineCarriesCause: giving up on a deadline while the broker keeps
// refusing returns the last real cause along with the deadline.
func TestDeadlineCarriesCause(t *testing.T) {
	b := brokerConfig(t, brokerURL(t))
	b.Hostname, b.Port = "127.0.0.1", refusedPort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := NewAMQPPublisher(ctx, AMQPOptions{Broker: b, Retry: RetryPolicy{MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("got %v", err)
	}
	t.Log(err)
}

// TestBrokerThrottledCutLink sends 1,500 pieces of 2 KB over a 1 MB/s
// link (a proxy of the test's own) that is cut 600 ms into each
// connection, five times: the send completes, nothing is lost, the
// duplicates are counted, and it took several connections. (The old
// publisher counted confirms only when its window was full, so every cut
// restarted it from the same message.)
func TestBrokerThrottledCutLink(t *testing.T) {
	url := brokerURL(t)
	ch, queue := declaredQueue(t, url)
	proxy := newProxy(t, brokerTarget(t, url), 1<<20)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	p, err := NewAMQPPublisher(ctx, AMQPOptions{Broker: viaProxy(t, url, proxy), Logger: testLogger(t, nil),
		Retry: RetryPolicy{MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	const n = 1500
	stop := make(chan struct{})
	cuts := 0
	cutterDone := make(chan struct{})
	go func() {
		defer close(cutterDone)
		// Cut each connection 600 ms after it was made (so that a loaded
		// machine still makes progress between cuts), five times.
		seen := p.connects.Load()
		for cuts < 5 {
			select {
			case <-stop:
				return
			case <-time.After(600 * time.Millisecond):
			}
			if c := p.connects.Load(); c > seen || cuts == 0 {
				seen = c
				cuts += proxy.cut()
			}
		}
	}()
	start := time.Now()
	err = p.Publish(ctx, numberedMessages(queue, n, 2048))
	close(stop)
	<-cutterDone
	if err != nil {
		t.Fatalf("Publish after %s: %v", time.Since(start), err)
	}
	if c := p.connects.Load(); c < 2 {
		t.Fatalf("%d connection(s): the link was never cut during the send", c)
	}
	got := drain(t, ch, queue, n, 30*time.Second)
	dups := checkNumbered(t, got, n)
	t.Logf("%d messages in %s over %d connections (%d cuts): all delivered, %d duplicates", n, time.Since(start).Round(time.Millisecond), p.connects.Load(), cuts, dups)
}

// TestBrokerCloseDuringRetry: Close while a send waits to reconnect (the
// broker is unreachable) returns at once; the send says it was closed.
func TestBrokerCloseDuringRetry(t *testing.T) {
	url := brokerURL(t)
	ch, queue := declaredQueue(t, url)
	proxy := newProxy(t, brokerTarget(t, url), 64<<10)
	p, err := NewAMQPPublisher(context.Background(), AMQPOptions{Broker: viaProxy(t, url, proxy), Logger: testLogger(t, nil),
		Retry: RetryPolicy{MinBackoff: 2 * time.Second, MaxBackoff: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- p.Publish(context.Background(), numberedMessages(queue, 2000, 512)) }()
	time.Sleep(300 * time.Millisecond)
	proxy.stop() // the link goes down for good: the send retries
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	var sendErr error
	select {
	case sendErr = <-errc:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish still running 5 s after Close")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("Close + send return took %s", took)
	}
	if !errors.Is(sendErr, ErrClosed) || !strings.Contains(sendErr.Error(), "closed") {
		t.Fatalf("send returned %v", sendErr)
	}
	t.Log(sendErr)
	// Whatever reached the broker before the cut is there, in order.
	got := drain(t, ch, queue, 0, time.Second)
	seen := map[string]bool{}
	dups := 0
	for _, d := range got {
		if seen[string(d.Body)] {
			dups++
		}
		seen[string(d.Body)] = true
	}
	t.Logf("%d of 2000 messages reached the queue before the link went down, %d duplicates", len(got), dups)
}

// TestHelperCloseDuringSend: Helper.Close during a retrying Send returns
// promptly and the Send's error says the helper was closed.
func TestHelperCloseDuringSend(t *testing.T) {
	url := brokerURL(t)
	name := uniqueName(t)
	ch := testChannel(t, url, wire11.Queue(name))
	proxy := newProxy(t, brokerTarget(t, url), 64<<10)
	cfg := &Config{
		Connector: ConnectorConfig{Name: name, ConfidenceLevel: 2, LogLevel: "info"},
		RabbitMQ:  viaProxy(t, url, proxy),
		Logger:    testLogger(t, nil),
		Retry:     RetryPolicy{MinBackoff: 2 * time.Second, MaxBackoff: 10 * time.Second},
	}
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := h.SendStix2Bundle(context.Background(), bigBundle(3000), nil)
		errc <- err
	}()
	time.Sleep(300 * time.Millisecond)
	proxy.stop()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	h.Close()
	select {
	case err = <-errc:
	case <-time.After(5 * time.Second):
		t.Fatal("Send still running 5 s after Close")
	}
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("Send returned %v", err)
	}
	t.Logf("%v (%s after Close)", err, time.Since(start).Round(time.Millisecond))
	n := len(drain(t, ch, wire11.Queue(name), 0, time.Second))
	t.Logf("%d messages reached the queue before the link went down", n)
}

// goroutines returns the number of goroutines once short-lived ones ended.
func goroutines() int {
	n := runtime.NumGoroutine()
	for range 50 {
		time.Sleep(20 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
	return n
}

// TestNewNoLeakAfterRegistration: New registers with the platform (which
// starts the ping loop) and then fails on the broker (wrong password);
// every goroutine it started is gone.
func TestNewNoLeakAfterRegistration(t *testing.T) {
	url := brokerURL(t)
	plat, connID, _, _ := platformWithBroker(t, url)
	plat.mqPass = "wrong-Secret-123"
	cfg, err := parseConfig(plat.configYAML(connID), "test", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cfg.Logger = testLogger(t, &logs)
	// One failed New first: what the test's own clients keep (idle HTTP
	// connections of the fake platform) is counted in before.
	if h, err := New(context.Background(), cfg); err == nil {
		h.Close()
		t.Fatal("New succeeded with a wrong broker password")
	}
	before := goroutines()
	for range 2 {
		h, err := New(context.Background(), cfg)
		if err == nil {
			h.Close()
			t.Fatal("New succeeded with a wrong broker password")
		}
		if !errors.Is(err, ErrPermanent) || strings.Contains(err.Error(), "wrong-Secret-123") {
			t.Fatalf("New: %v", err)
		}
	}
	if after := goroutines(); after > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before New, %d after it failed:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
	if got := fmt.Sprint(plat.ops()); !strings.Contains(got, "registerConnector") || strings.Contains(got, "pingConnector") {
		t.Fatalf("platform calls %s", got)
	}
	if strings.Contains(logs.String(), "wrong-Secret-123") {
		t.Fatal("password in the logs")
	}
}

// rabbitmqctl runs rabbitmqctl, skipping the test when it is unavailable.
func rabbitmqctl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("rabbitmqctl", args...).CombinedOutput()
	if err != nil {
		t.Skipf("rabbitmqctl %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestBrokerVhostWithoutPermission: a vhost that exists but the user may
// not use (set up with rabbitmqctl) is permanent too.
func TestBrokerVhostWithoutPermission(t *testing.T) {
	url := brokerURL(t)
	vhost := uniqueName(t)
	rabbitmqctl(t, "add_vhost", vhost)
	t.Cleanup(func() { exec.Command("rabbitmqctl", "delete_vhost", vhost).Run() })
	b := brokerConfig(t, url)
	b.VHost = vhost
	start := time.Now()
	_, err := NewAMQPPublisher(context.Background(), AMQPOptions{Broker: b, Retry: RetryPolicy{MinBackoff: time.Second}})
	if !errors.Is(err, ErrPermanent) {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("took %s", took)
	}
	t.Log(err)
}

// TestOneShotRetryBound: a one-shot run (stixkit send, -once) against a
// broker that refuses connections gives up after DefaultOneShotAttempts
// attempts instead of retrying until the context ends; a configured bound
// wins.
func TestOneShotRetryBound(t *testing.T) {
	port := refusedPort(t)
	for _, tc := range []struct {
		configured, want int
	}{{0, DefaultOneShotAttempts}, {2, 2}} {
		var logs bytes.Buffer
		cfg := &Config{
			Connector: ConnectorConfig{Name: "oneshot", ConfidenceLevel: 1, LogLevel: "info"},
			RabbitMQ:  RabbitMQConfig{Hostname: "127.0.0.1", Port: port, Username: "u", Password: "p", Configured: true},
			Logger:    testLogger(t, &logs),
			Retry:     RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxAttempts: tc.configured},
			OneShot:   true,
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := New(ctx, cfg)
		cancel()
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("gave up after %d attempts", tc.want)) || !strings.Contains(err.Error(), "refused") {
			t.Fatalf("configured %d: %v", tc.configured, err)
		}
		if n := strings.Count(logs.String(), "Unable to connect"); n != tc.want {
			t.Fatalf("configured %d: %d attempts logged", tc.configured, n)
		}
	}
}

// TestBrokerSilentMidSend: the link goes silent (nothing forwarded,
// nothing closed) in the middle of a send; the AMQP heartbeat notices, the
// publisher reconnects and the send completes with nothing lost: no wait
// is without a deadline.
func TestBrokerSilentMidSend(t *testing.T) {
	url := brokerURL(t)
	ch, queue := declaredQueue(t, url)
	proxy := newProxy(t, brokerTarget(t, url), 512<<10)
	b := viaProxy(t, url, proxy)
	b.Heartbeat = time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := NewAMQPPublisher(ctx, AMQPOptions{Broker: b, Logger: testLogger(t, nil),
		Retry: RetryPolicy{MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	const n = 600
	time.AfterFunc(400*time.Millisecond, proxy.freeze)
	start := time.Now()
	if err := p.Publish(ctx, numberedMessages(queue, n, 2048)); err != nil {
		t.Fatalf("after %s: %v", time.Since(start), err)
	}
	if c := p.connects.Load(); c < 2 {
		t.Fatalf("%d connection(s): the silent link was not replaced", c)
	}
	got := drain(t, ch, queue, n, 30*time.Second)
	dups := checkNumbered(t, got, n)
	t.Logf("%d messages in %s over %d connections: all delivered, %d duplicates", n, time.Since(start).Round(time.Millisecond), p.connects.Load(), dups)
}

// TestBrokerCancelOnSlowLink: cancelling a send blocked on a slow link
// (64 KB/s, megabytes to go) returns at once with the context's error.
func TestBrokerCancelOnSlowLink(t *testing.T) {
	url := brokerURL(t)
	ch, queue := declaredQueue(t, url)
	proxy := newProxy(t, brokerTarget(t, url), 64<<10)
	p, err := NewAMQPPublisher(context.Background(), AMQPOptions{Broker: viaProxy(t, url, proxy), Logger: testLogger(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	start := time.Now()
	err = p.Publish(ctx, numberedMessages(queue, 2000, 4096))
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if took > 2*time.Second {
		t.Fatalf("cancel honoured after %s", took)
	}
	// The publisher is usable again (a fresh connection).
	if err := p.Publish(context.Background(), numberedMessages(queue, 3, 10)); err != nil {
		t.Fatal(err)
	}
	n := len(drain(t, ch, queue, 3, 10*time.Second))
	t.Logf("returned %s after the send began; %d messages in the queue (3 of the second send, the rest delivered before the cancel)", took.Round(time.Millisecond), n)
}
