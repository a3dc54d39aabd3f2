package helper

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// AMQPOptions configure NewAMQPPublisher. Only Broker is required.
type AMQPOptions struct {
	Broker   RabbitMQConfig
	Topology Topology     // run on every (re)connection; nil declares nothing
	Logger   *slog.Logger // nil discards
	Retry    RetryPolicy
	// Window is the largest number of unconfirmed messages in flight;
	// 0 means 1024.
	Window int
	// DialTimeout bounds the TCP + TLS + AMQP handshake; 0 means 30 s.
	DialTimeout time.Duration
}

// AMQPPublisher publishes to RabbitMQ in confirm mode. Publish pipelines up
// to Window messages, then waits for the broker's confirms in order. On a
// nack, a closed channel or a lost connection it reconnects with backoff,
// re-runs the topology and resends from the first unconfirmed message, so
// order is kept and nothing is lost (messages confirmed late may be sent
// twice). It is safe for concurrent use; Publish calls are serialised.
type AMQPPublisher struct {
	opt AMQPOptions
	log *slog.Logger

	mu     sync.Mutex // serialises Publish, reconnection and Close
	conn   atomic.Pointer[amqp.Connection]
	ch     *amqp.Channel
	closed bool
	// connects counts successful connections (first one included).
	connects atomic.Int64
}

// NewAMQPPublisher connects to the broker (retrying per opt.Retry until ctx
// ends) and runs the topology.
func NewAMQPPublisher(ctx context.Context, opt AMQPOptions) (*AMQPPublisher, error) {
	if opt.Broker.Hostname == "" {
		return nil, errNoBroker
	}
	if opt.Window <= 0 {
		opt.Window = 1024
	}
	if opt.DialTimeout <= 0 {
		opt.DialTimeout = 30 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	p := &AMQPPublisher{opt: opt, log: opt.Logger}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.reconnect(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// brokerAddr is host:port for logs and errors (never credentials).
func (p *AMQPPublisher) brokerAddr() string {
	b := p.opt.Broker
	return net.JoinHostPort(b.Hostname, strconv.Itoa(b.Port))
}

func (p *AMQPPublisher) dial(ctx context.Context) (*amqp.Connection, error) {
	b := p.opt.Broker
	scheme := "amqp"
	var tlsCfg *tls.Config
	if b.UseTLS || b.TLS != nil {
		scheme = "amqps"
		if b.TLS != nil {
			tlsCfg = b.TLS.Clone()
		} else {
			tlsCfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
	}
	port := b.Port
	if port == 0 {
		port = 5672
		if scheme == "amqps" {
			port = 5671
		}
	}
	vhost := b.VHost
	if vhost == "" {
		vhost = "/"
	}
	timeout := p.opt.DialTimeout
	cfg := amqp.Config{
		SASL:            []amqp.Authentication{&amqp.PlainAuth{Username: b.Username, Password: b.Password}},
		Vhost:           vhost,
		Heartbeat:       b.Heartbeat,
		TLSClientConfig: tlsCfg,
		Locale:          "en_US",
		Dial: func(network, addr string) (net.Conn, error) {
			d := net.Dialer{Timeout: timeout}
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			// Bounds the TLS and AMQP handshakes; amqp091 clears it once open.
			if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
				c.Close()
				return nil, err
			}
			return c, nil
		},
	}
	// The URL carries no credentials, so no error can reveal them.
	url := scheme + "://" + net.JoinHostPort(b.Hostname, strconv.Itoa(port)) + "/"
	return amqp.DialConfig(url, cfg)
}

// connectOnce opens a connection, runs the topology and opens the
// confirm-mode publishing channel.
func (p *AMQPPublisher) connectOnce(ctx context.Context) error {
	conn, err := p.dial(ctx)
	if err != nil {
		return err
	}
	if p.opt.Topology != nil {
		d := &amqpDeclarer{conn: conn}
		err := p.opt.Topology(d)
		d.close()
		if err != nil {
			conn.Close()
			return fmt.Errorf("declaring: %w", err)
		}
	}
	ch, err := conn.Channel()
	if err == nil {
		err = ch.Confirm(false)
	}
	if err != nil {
		conn.Close()
		return fmt.Errorf("opening the publishing channel: %w", err)
	}
	p.conn.Store(conn)
	p.ch = ch
	p.connects.Add(1)
	return nil
}

// reconnect drops any current connection and connects again with backoff.
// It is called with p.mu held.
func (p *AMQPPublisher) reconnect(ctx context.Context) error {
	p.drop()
	r := p.opt.Retry
	minB, maxB := r.MinBackoff, r.MaxBackoff
	if minB <= 0 {
		minB = 100 * time.Millisecond
	}
	if maxB <= 0 {
		maxB = 30 * time.Second
	}
	wait := minB
	for attempt := 1; ; attempt++ {
		err := p.connectOnce(ctx)
		if err == nil {
			p.log.Info("Successfully connected to RabbitMQ", "broker", p.brokerAddr(), "tls", p.opt.Broker.UseTLS || p.opt.Broker.TLS != nil)
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.log.Error("Unable to connect to RabbitMQ with the given parameters", "broker", p.brokerAddr(), "attempt", attempt, "error", err)
		if r.MaxAttempts > 0 && attempt >= r.MaxAttempts {
			return fmt.Errorf("helper: connecting to RabbitMQ at %s: %d attempts: %w", p.brokerAddr(), attempt, err)
		}
		// Full jitter between wait/2 and wait.
		d := wait/2 + rand.N(wait/2+1)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		if wait *= 2; wait > maxB {
			wait = maxB
		}
	}
}

// drop closes the current channel and connection, if any.
func (p *AMQPPublisher) drop() {
	if p.ch != nil {
		p.ch.Close()
		p.ch = nil
	}
	if c := p.conn.Swap(nil); c != nil {
		c.Close()
	}
}

// errNack is a negative publisher confirm.
var errNack = errors.New("helper: the broker refused (nacked) a message")

// Publish sends msgs in order and returns when the broker confirmed every
// one. See AMQPPublisher for the retry rules. When ctx ends it returns
// ctx's error; messages not confirmed by then may or may not be delivered.
func (p *AMQPPublisher) Publish(ctx context.Context, msgs []Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	next := 0
	failures := 0
	for next < len(msgs) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p.ch == nil || p.ch.IsClosed() {
			if err := p.reconnect(ctx); err != nil {
				return err
			}
		}
		n, err := p.publishWindowed(ctx, msgs[next:])
		next += n
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		failures++
		p.log.Error("Unable to send bundle, reconnecting and resending...", "error", err, "confirmed", next, "total", len(msgs))
		if p.opt.Retry.MaxAttempts > 0 && failures > p.opt.Retry.MaxAttempts {
			return fmt.Errorf("helper: publishing to %s: %d failures: %w", p.brokerAddr(), failures, err)
		}
		if n > 0 {
			failures = 0 // progress was made
		}
		p.drop() // reconnect (with backoff) on the next round
	}
	return nil
}

// publishWindowed publishes msgs keeping at most Window unconfirmed, and
// returns how many leading messages were confirmed before the first
// failure.
func (p *AMQPPublisher) publishWindowed(ctx context.Context, msgs []Message) (int, error) {
	ch := p.ch
	pending := make([]*amqp.DeferredConfirmation, 0, min(len(msgs), p.opt.Window))
	confirmed := 0
	waitOne := func() error {
		ok, err := pending[0].WaitContext(ctx)
		if err != nil {
			return err
		}
		if !ok {
			if ch.IsClosed() {
				return amqp.ErrClosed
			}
			return errNack
		}
		pending = pending[1:]
		confirmed++
		return nil
	}
	for i := range msgs {
		if len(pending) >= p.opt.Window {
			if err := waitOne(); err != nil {
				return confirmed, err
			}
		}
		m := &msgs[i]
		dc, err := ch.PublishWithDeferredConfirmWithContext(ctx, m.Exchange, m.RoutingKey, false, false, amqp.Publishing{
			ContentType:     m.Properties.ContentType,
			ContentEncoding: m.Properties.ContentEncoding,
			DeliveryMode:    m.Properties.DeliveryMode,
			Priority:        m.Properties.Priority,
			Headers:         amqp.Table(m.Properties.Headers),
			Body:            m.Body,
		})
		if err != nil {
			return confirmed, err
		}
		if dc == nil {
			return confirmed, errors.New("helper: channel not in confirm mode")
		}
		pending = append(pending, dc)
	}
	for len(pending) > 0 {
		if err := waitOne(); err != nil {
			return confirmed, err
		}
	}
	return confirmed, nil
}

// Close waits for a running Publish to finish, then closes the channel and
// the connection. Later Publish calls return ErrClosed.
func (p *AMQPPublisher) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	p.drop()
	return nil
}

// closeConnectionForTest closes the live connection without the publisher
// knowing, as a broker restart would.
func (p *AMQPPublisher) closeConnectionForTest() {
	if c := p.conn.Load(); c != nil {
		c.Close()
	}
}

// amqpDeclarer implements Declarer on a connection, opening a fresh channel
// whenever the previous one was closed (a failed passive declaration makes
// the broker close it).
type amqpDeclarer struct {
	conn *amqp.Connection
	ch   *amqp.Channel
}

func (d *amqpDeclarer) channel() (*amqp.Channel, error) {
	if d.ch == nil || d.ch.IsClosed() {
		ch, err := d.conn.Channel()
		if err != nil {
			return nil, err
		}
		d.ch = ch
	}
	return d.ch, nil
}

func (d *amqpDeclarer) close() {
	if d.ch != nil && !d.ch.IsClosed() {
		d.ch.Close()
	}
}

func (d *amqpDeclarer) ExchangeDeclare(name, kind string, durable bool) error {
	ch, err := d.channel()
	if err != nil {
		return err
	}
	return ch.ExchangeDeclare(name, kind, durable, false, false, false, nil)
}

func (d *amqpDeclarer) QueueDeclare(name string, durable, passive bool, args map[string]any) error {
	ch, err := d.channel()
	if err != nil {
		return err
	}
	if passive {
		_, err = ch.QueueDeclarePassive(name, durable, false, false, false, amqp.Table(args))
	} else {
		_, err = ch.QueueDeclare(name, durable, false, false, false, amqp.Table(args))
	}
	return err
}

func (d *amqpDeclarer) QueueDelete(name string) error {
	ch, err := d.channel()
	if err != nil {
		return err
	}
	_, err = ch.QueueDelete(name, false, false, false)
	return err
}

func (d *amqpDeclarer) QueueBind(queue, exchange, routingKey string) error {
	ch, err := d.channel()
	if err != nil {
		return err
	}
	return ch.QueueBind(queue, routingKey, exchange, false, nil)
}
