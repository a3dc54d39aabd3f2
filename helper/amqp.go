package helper

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// AMQPOptions configure NewAMQPPublisher. Only Broker is required.
type AMQPOptions struct {
	Broker RabbitMQConfig
	Logger *slog.Logger // nil discards
	Retry  RetryPolicy
	// Window is the largest number of unconfirmed messages in flight;
	// 0 means 1024.
	Window int
	// DialTimeout bounds the TCP connection plus the TLS and AMQP
	// handshakes, and separately the declarations and the opening of the
	// publishing channel; 0 means 30 s. The context's deadline, when
	// earlier, wins.
	DialTimeout time.Duration

	topology topologyFunc // set by New: run on every (re)connection; nil declares nothing
}

// AMQPPublisher publishes to RabbitMQ in confirm mode, as mandatory
// messages. Publish pipelines up to Window messages and counts the
// broker's confirms as they arrive. On a nack, a closed channel or a lost
// connection it reconnects with backoff, re-runs the topology and resends
// only the messages not yet confirmed, in their order (a message confirmed
// late may be delivered twice, none is lost). Errors that reconnecting
// cannot fix (refused credentials or vhost, unknown host, TLS
// verification, a missing exchange, an unroutable message) are returned at
// once with the broker's reason. It is safe for concurrent use; Publish
// calls are serialised.
type AMQPPublisher struct {
	opt AMQPOptions
	log *slog.Logger

	mu      sync.Mutex // serialises Publish and reconnection
	conn    atomic.Pointer[amqp.Connection]
	raw     atomic.Pointer[net.Conn] // the socket under conn, to abort blocked I/O
	ch      *amqp.Channel
	returns chan amqp.Return // returned (unroutable) messages of ch
	chClose chan *amqp.Error // ch's close reason
	cnClose chan *amqp.Error // conn's close reason
	backoff time.Duration    // next wait between attempts without progress

	closed   atomic.Bool
	closeCtx context.Context // cancelled by Close
	closeFn  context.CancelFunc
	// connects counts successful connections (first one included).
	connects atomic.Int64
}

// ErrPermanent is matched (errors.Is) by broker errors that retrying
// cannot fix: refused credentials or vhost, an unknown host, a failed TLS
// verification, a missing exchange, an unroutable message.
var ErrPermanent = errors.New("helper: permanent broker error")

// permanentError wraps a broker error that retrying cannot fix.
type permanentError struct {
	op  string // what failed
	err error
}

func (e *permanentError) Error() string {
	return "helper: " + e.op + ": " + e.err.Error() + " (not retried: reconnecting cannot fix it)"
}
func (e *permanentError) Unwrap() error        { return e.err }
func (e *permanentError) Is(target error) bool { return target == ErrPermanent }

// UnroutableError reports messages the broker returned because no queue is
// bound to their exchange and routing key (they were not delivered).
type UnroutableError struct {
	Exchange, RoutingKey string
	Code                 int    // AMQP reply code, 312 NO_ROUTE
	Reason               string // the broker's reply text
	Count                int    // messages returned before the send stopped
}

// Error implements error.
func (e *UnroutableError) Error() string {
	return fmt.Sprintf("helper: %d message(s) to exchange %q with routing key %q were returned by the broker: %d %s (no queue is bound; nothing was delivered for them)",
		e.Count, e.Exchange, e.RoutingKey, e.Code, e.Reason)
}

// Is matches ErrPermanent.
func (e *UnroutableError) Is(target error) bool { return target == ErrPermanent }

// NewAMQPPublisher connects to the broker (retrying transient failures per
// opt.Retry until ctx ends) and runs the topology.
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
	p.closeCtx, p.closeFn = context.WithCancel(context.Background())
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.reconnect(ctx); err != nil {
		p.closeFn()
		return nil, err
	}
	return p, nil
}

// brokerAddr is host:port for logs and errors (never credentials).
func (p *AMQPPublisher) brokerAddr() string {
	b := p.opt.Broker
	return net.JoinHostPort(b.Hostname, strconv.Itoa(p.port()))
}

func (p *AMQPPublisher) useTLS() bool { return p.opt.Broker.UseTLS || p.opt.Broker.TLS != nil }

func (p *AMQPPublisher) port() int {
	if p.opt.Broker.Port != 0 {
		return p.opt.Broker.Port
	}
	if p.useTLS() {
		return 5671
	}
	return 5672
}

// abortOn makes blocked I/O on the socket fail as soon as ctx ends. The
// returned function stops that and reports whether it happened.
func abortOn(ctx context.Context, c net.Conn) func() bool {
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	return func() bool { return !stop() }
}

// timeoutError says which step got no answer in time.
type timeoutError struct {
	step, addr string
	after      time.Duration
	err        error
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("helper: %s with %s timed out after %s: the peer accepted the connection but did not answer as an AMQP broker (%v)", e.step, e.addr, e.after, e.err)
}
func (e *timeoutError) Unwrap() error { return e.err }

func (p *AMQPPublisher) dial(ctx context.Context) (*amqp.Connection, net.Conn, error) {
	b := p.opt.Broker
	scheme := "amqp"
	var tlsCfg *tls.Config
	if p.useTLS() {
		scheme = "amqps"
		if b.TLS != nil {
			tlsCfg = b.TLS.Clone()
		} else {
			tlsCfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		if tlsCfg.ServerName == "" {
			tlsCfg.ServerName = b.Hostname
		}
	}
	vhost := b.VHost
	if vhost == "" {
		vhost = "/"
	}
	timeout := p.opt.DialTimeout
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout = max(time.Until(dl), time.Millisecond)
	}
	var rawConn net.Conn
	var timedOut atomic.Bool
	var timer *time.Timer
	var stopAbort func() bool
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
			rawConn = c
			// Bounds the TLS and AMQP handshakes (amqp091 clears the
			// deadline once open); ctx aborts them at once.
			timer = time.AfterFunc(timeout, func() { timedOut.Store(true); c.SetDeadline(time.Now()) })
			stopAbort = abortOn(ctx, c)
			return c, nil
		},
	}
	// The URL carries no credentials, so no error can reveal them.
	url := scheme + "://" + p.brokerAddr() + "/"
	conn, err := amqp.DialConfig(url, cfg)
	fired := false
	if timer != nil && !timer.Stop() {
		fired = true
	}
	if stopAbort != nil && stopAbort() {
		fired = true
	}
	if err == nil && fired { // the deadline was set on an open connection
		conn.Close()
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		err = os.ErrDeadlineExceeded
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("%w (during the AMQP handshake: %v)", ctx.Err(), err)
		}
		if timedOut.Load() {
			return nil, nil, &timeoutError{step: "the TLS/AMQP handshake", addr: p.brokerAddr(), after: timeout, err: err}
		}
		return nil, nil, err
	}
	return conn, rawConn, nil
}

// connectOnce opens a connection, runs the topology and opens the
// confirm-mode publishing channel, each step bounded by DialTimeout.
func (p *AMQPPublisher) connectOnce(ctx context.Context) error {
	conn, raw, err := p.dial(ctx)
	if err != nil {
		return err
	}
	// Declarations and channel opening: a silent broker or ctx ending
	// aborts the socket, which fails the blocked call.
	var timedOut atomic.Bool
	timer := time.AfterFunc(p.opt.DialTimeout, func() { timedOut.Store(true); raw.SetDeadline(time.Now()) })
	stopAbort := abortOn(ctx, raw)
	step := "declaring the topology"
	err = func() error {
		if p.opt.topology != nil {
			d := &amqpDeclarer{conn: conn}
			err := p.opt.topology(d)
			d.close()
			if err != nil {
				return err
			}
		}
		step = "opening the publishing channel"
		ch, err := conn.Channel()
		if err == nil {
			err = ch.Confirm(false)
		}
		if err != nil {
			return err
		}
		p.ch = ch
		return nil
	}()
	expired := !timer.Stop()
	aborted := stopAbort()
	if err == nil && (expired || aborted) {
		err = os.ErrDeadlineExceeded
	}
	if err != nil {
		p.ch = nil
		conn.Close()
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("%w (while %s: %v)", ctx.Err(), step, err)
		case timedOut.Load():
			return &timeoutError{step: step, addr: p.brokerAddr(), after: p.opt.DialTimeout, err: err}
		}
		return fmt.Errorf("%s: %w", step, err)
	}
	p.returns = p.ch.NotifyReturn(make(chan amqp.Return, p.opt.Window+1))
	p.chClose = p.ch.NotifyClose(make(chan *amqp.Error, 1))
	p.cnClose = conn.NotifyClose(make(chan *amqp.Error, 1))
	p.conn.Store(conn)
	p.raw.Store(&raw)
	p.connects.Add(1)
	return nil
}

// suspectAuth reports amqp091's own login/vhost refusals, which it also
// returns when the socket closes during those steps.
func suspectAuth(err error) bool {
	var ae *amqp.Error
	return errors.As(err, &ae) && !ae.Server && (ae == amqp.ErrCredentials || ae == amqp.ErrVhost)
}

// isPermanent reports whether reconnecting cannot fix err.
func isPermanent(err error) bool {
	if errors.Is(err, ErrPermanent) {
		return true
	}
	var ae *amqp.Error
	if errors.As(err, &ae) {
		if !ae.Server && ae != amqp.ErrCredentials && ae != amqp.ErrVhost && ae != amqp.ErrSASL {
			// amqp091 reports socket errors (reset, timeout) as local
			// *Error values: transient.
			return false
		}
		switch ae.Code {
		case amqp.AccessRefused, amqp.NotFound, amqp.NotAllowed, amqp.PreconditionFailed,
			amqp.InvalidPath, amqp.SyntaxError, amqp.CommandInvalid, amqp.NotImplemented, amqp.FrameError:
			return true
		}
		return false
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return true
	}
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verify    *tls.CertificateVerificationError
		record    tls.RecordHeaderError
	)
	return errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verify) || errors.As(err, &record)
}

// gaveUp is the error returned when ctx ended or Close was called while
// retrying: it matches ctx's error (or ErrClosed) and carries the last
// real cause.
func (p *AMQPPublisher) gaveUp(ctx context.Context, last error) error {
	var base error = ctx.Err()
	if p.closed.Load() {
		base = fmt.Errorf("%w while sending", ErrClosed)
	}
	if base == nil {
		base = context.Canceled
	}
	if last == nil || errors.Is(last, context.Canceled) || errors.Is(last, context.DeadlineExceeded) {
		return base
	}
	return fmt.Errorf("%w (last error from %s: %w)", base, p.brokerAddr(), last)
}

// wait sleeps the current backoff (full jitter between half and all of
// it) and doubles it, up to MaxBackoff; false when ctx ended first.
func (p *AMQPPublisher) wait(ctx context.Context) bool {
	minB, maxB := p.opt.Retry.MinBackoff, p.opt.Retry.MaxBackoff
	if minB <= 0 {
		minB = 100 * time.Millisecond
	}
	if maxB <= 0 {
		maxB = 30 * time.Second
	}
	if p.backoff < minB {
		p.backoff = minB
	}
	d := p.backoff/2 + rand.N(p.backoff/2+1)
	if p.backoff *= 2; p.backoff > maxB {
		p.backoff = maxB
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// reconnect drops any current connection and connects again, retrying
// transient failures with backoff. It is called with p.mu held.
func (p *AMQPPublisher) reconnect(ctx context.Context) error {
	p.drop()
	var last error
	suspected := false
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			return p.gaveUp(ctx, last)
		}
		err := p.connectOnce(ctx)
		if err == nil {
			p.log.Info("Successfully connected to RabbitMQ", "broker", p.brokerAddr(), "tls", p.useTLS(), "connection", p.connects.Load())
			return nil
		}
		if ctx.Err() != nil {
			if last == nil {
				last = err
			}
			return p.gaveUp(ctx, last)
		}
		if suspectAuth(err) && !suspected {
			// amqp091 reports a socket closed during the login as bad
			// credentials (and during the vhost step as no access): a cut
			// link looks the same. Believe it when it happens twice.
			suspected = true
			last = err
			p.log.Warn("RabbitMQ closed the connection during the login; trying once more before giving up", "broker", p.brokerAddr(), "error", err)
			continue
		}
		if isPermanent(err) {
			p.log.Error("Unable to connect to RabbitMQ with the given parameters", "broker", p.brokerAddr(), "error", err)
			return &permanentError{op: "connecting to RabbitMQ at " + p.brokerAddr(), err: err}
		}
		last = err
		p.log.Error("Unable to connect to RabbitMQ with the given parameters", "broker", p.brokerAddr(), "attempt", attempt, "error", err)
		if r := p.opt.Retry.MaxAttempts; r > 0 && attempt >= r {
			return fmt.Errorf("helper: connecting to RabbitMQ at %s: gave up after %d attempts: %w", p.brokerAddr(), attempt, err)
		}
		if !p.wait(ctx) {
			return p.gaveUp(ctx, last)
		}
	}
}

// drop closes the current channel and connection, if any, without
// waiting on a broker that does not answer.
func (p *AMQPPublisher) drop() {
	p.ch = nil
	if c := p.conn.Swap(nil); c != nil {
		c.CloseDeadline(time.Now().Add(2 * time.Second))
	}
	if r := p.raw.Swap(nil); r != nil {
		(*r).Close()
	}
}

// errNack is a negative publisher confirm.
var errNack = errors.New("helper: the broker refused (nacked) a message")

// Publish sends msgs in order and returns when the broker confirmed every
// one. See AMQPPublisher for the retry rules. When ctx ends it returns an
// error matching ctx's error that carries the last broker error; after
// Close it returns an error matching ErrClosed. Messages not confirmed by
// then may or may not be delivered.
func (p *AMQPPublisher) Publish(ctx context.Context, msgs []Message) error {
	if p.closed.Load() {
		return ErrClosed
	}
	ctx, stop := mergeCancel(ctx, p.closeCtx)
	defer stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed.Load() {
		return ErrClosed
	}
	todo := make([]int, len(msgs))
	for i := range todo {
		todo[i] = i
	}
	failures := 0
	var last error
	for len(todo) > 0 {
		if ctx.Err() != nil {
			return p.gaveUp(ctx, last)
		}
		if p.ch == nil || p.ch.IsClosed() {
			if err := p.reconnect(ctx); err != nil {
				return err
			}
		}
		before := len(todo)
		var err error
		todo, err = p.publishWindowed(ctx, msgs, todo)
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			p.drop() // the socket may have been aborted mid-frame
			return p.gaveUp(ctx, err)
		}
		if isPermanent(err) {
			p.drop()
			var ue *UnroutableError
			if errors.As(err, &ue) {
				return err
			}
			return &permanentError{op: "publishing to " + p.brokerAddr(), err: err}
		}
		last = err
		if len(todo) < before { // progress: the next failure starts a new count
			failures = 0
			p.backoff = 0
		}
		failures++
		p.log.Error("Unable to send bundle, reconnecting and resending...", "error", err, "confirmed", len(msgs)-len(todo), "total", len(msgs), "attempt", failures)
		if r := p.opt.Retry.MaxAttempts; r > 0 && failures >= r {
			p.drop()
			return fmt.Errorf("helper: publishing to %s: gave up after %d attempts without progress (%d of %d messages confirmed): %w", p.brokerAddr(), failures, len(msgs)-len(todo), len(msgs), err)
		}
		p.drop()
		if !p.wait(ctx) {
			return p.gaveUp(ctx, last)
		}
	}
	return nil
}

// mergeCancel returns ctx, also cancelled when other is.
func mergeCancel(ctx, other context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(other, cancel)
	return ctx, func() { stop(); cancel() }
}

// pendingMsg is a published message waiting for its confirm.
type pendingMsg struct {
	idx int
	dc  *amqp.DeferredConfirmation
}

// publishWindowed publishes msgs[todo[...]] keeping at most Window
// unconfirmed, counting confirms as they arrive. It returns the indices
// still unconfirmed (in order) and the first failure.
func (p *AMQPPublisher) publishWindowed(ctx context.Context, msgs []Message, todo []int) ([]int, error) {
	ch := p.ch
	var raw net.Conn
	if r := p.raw.Load(); r != nil {
		raw = *r
	}
	if raw != nil {
		stopAbort := abortOn(ctx, raw)
		defer stopAbort()
	}
	pending := make([]pendingMsg, 0, min(len(todo), p.opt.Window))
	var failed []int // nacked or unconfirmed after a failure, to resend
	// settle records the confirms that arrived (all when block, else only
	// those done), in order, and stops at the first nack.
	var nacked bool
	settle := func(block bool) error {
		for len(pending) > 0 {
			pm := pending[0]
			if block {
				if _, err := pm.dc.WaitContext(ctx); err != nil {
					return err
				}
			} else {
				select {
				case <-pm.dc.Done():
				default:
					return nil
				}
			}
			if err := p.checkReturns(); err != nil {
				return err
			}
			if !pm.dc.Acked() {
				if ch.IsClosed() {
					return p.closeReason(amqp.ErrClosed)
				}
				nacked = true
				failed = append(failed, pm.idx)
			}
			pending = pending[1:]
		}
		return nil
	}
	rest := func(from int) []int {
		// Unconfirmed: nacked ones, then pending ones not acked, then
		// those never published; all in their original order.
		var out []int
		for _, pm := range pending {
			select {
			case <-pm.dc.Done():
				if pm.dc.Acked() {
					continue
				}
			default:
			}
			failed = append(failed, pm.idx)
		}
		out = append(out, failed...)
		out = append(out, todo[from:]...)
		sortInts(out)
		return out
	}
	for k, i := range todo {
		if len(pending) >= p.opt.Window {
			// Wait for the oldest, then take whatever else arrived.
			pm := pending[0]
			if _, err := pm.dc.WaitContext(ctx); err != nil {
				return rest(k), err
			}
		}
		if err := settle(false); err != nil {
			return rest(k), err
		}
		m := &msgs[i]
		dc, err := ch.PublishWithDeferredConfirmWithContext(ctx, m.Exchange, m.RoutingKey, true, false, amqp.Publishing{
			ContentType:     m.Properties.ContentType,
			ContentEncoding: m.Properties.ContentEncoding,
			DeliveryMode:    m.Properties.DeliveryMode,
			Priority:        m.Properties.Priority,
			Headers:         amqp.Table(m.Properties.Headers),
			Body:            m.Body,
		})
		if err != nil {
			return rest(k), p.closeReason(err)
		}
		if dc == nil {
			return rest(k), errors.New("helper: channel not in confirm mode")
		}
		pending = append(pending, pendingMsg{idx: i, dc: dc})
	}
	if err := settle(true); err != nil {
		return rest(len(todo)), err
	}
	if nacked {
		return rest(len(todo)), errNack
	}
	return nil, nil
}

// checkReturns turns a message returned by the broker into an
// UnroutableError. A return arrives before the confirm of its message.
func (p *AMQPPublisher) checkReturns() error {
	var first *amqp.Return
	n := 0
	for {
		select {
		case r, ok := <-p.returns:
			if ok {
				if first == nil {
					first = &r
				}
				n++
				continue
			}
		default:
		}
		break
	}
	if first == nil {
		return nil
	}
	return &UnroutableError{Exchange: first.Exchange, RoutingKey: first.RoutingKey, Code: int(first.ReplyCode), Reason: first.ReplyText, Count: n}
}

// closeReason returns the broker's reason for closing the channel or the
// connection when there is one, else err.
func (p *AMQPPublisher) closeReason(err error) error {
	for _, c := range []chan *amqp.Error{p.chClose, p.cnClose} {
		select {
		case e, ok := <-c:
			if ok && e != nil {
				return e
			}
		case <-time.After(20 * time.Millisecond):
		}
	}
	return err
}

func sortInts(a []int) {
	// insertion sort: a is nearly sorted (a few resent indices).
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// Close cancels a running Publish (which returns an error matching
// ErrClosed), then closes the channel and the connection. Later Publish
// calls return ErrClosed. It does not wait on an unresponsive broker.
func (p *AMQPPublisher) Close() error {
	if !p.closed.CompareAndSwap(false, true) {
		return nil
	}
	p.closeFn()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drop()
	return nil
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
