package helper

import (
	"context"

	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/stixkit/stixkit/helper/internal/wire6"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// Names of the current OpenCTI protocol (pycti 6.8.10).
const (
	// pushExchange6 and pushRoutingPrefix6 are the platform's defaults
	// (empty queue prefix), used in a dry run where nothing registers.
	pushExchange6      = "amqp.worker.exchange"
	pushRoutingPrefix6 = "push_routing_"
	bundleType6        = "QUEUE_BUNDLE" // "bundle_type" of every message
	// pingInterval6 is how often the connector pings the platform.
	pingInterval6 = 40 * time.Second
)

// protocol6 is the current OpenCTI wire protocol: registration over
// GraphQL, one object per message in dependency order, work expectations.
type protocol6 struct {
	cfg         *PlatformConfig
	connectorID string
	exchange    string
	routingKey  string
	applicant   *string // connector_user_id from registration; nil in a dry run
	broker      RabbitMQConfig
	hasBroker   bool
	api         *APIClient // nil when not registered (dry run)
	newUUID     func() string
	log         *slog.Logger

	mu    sync.Mutex
	state string // JSON text of the connector state, "" for none

	pingInterval time.Duration
	stopPing     context.CancelFunc
	pingDone     chan struct{}
}

// newProtocol6 reads the 6.x configuration and, unless in a dry run,
// registers the connector with the platform.
func newProtocol6(ctx context.Context, cfg *Config) (*protocol6, error) {
	c6, err := cfg.platform()
	if err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	p := &protocol6{cfg: c6, newUUID: cfg.NewUUID, log: logger, pingInterval: pingInterval6}
	register := !cfg.DryRun && c6.URL != "" && c6.Token != ""
	if !register {
		if !cfg.DryRun && cfg.Publisher == nil {
			// Nothing to send to: say which keys are missing.
			if err := c6.validate(cfg.sourceName(), true); err != nil {
				return nil, err
			}
		}
		if err := c6.validate(cfg.sourceName(), false); err != nil {
			return nil, err
		}
		p.connectorID = c6.ConnectorID
		p.exchange = pushExchange6
		p.routingKey = pushRoutingPrefix6 + c6.ConnectorID
		return p, nil
	}
	if err := c6.validate(cfg.sourceName(), true); err != nil {
		return nil, err
	}
	api, err := NewAPIClient(APIOptions{URL: c6.URL, Token: c6.Token, InsecureSkipVerify: !c6.SSLVerify, Headers: c6.CustomHeaders, Logger: logger})
	if err != nil {
		return nil, err
	}
	p.api = api
	in := connectorInput6{
		ID: c6.ConnectorID, Name: c6.Name, Type: c6.Type, Scope: c6.Scope,
		Auto: c6.Auto, AutoUpdate: c6.AutoUpdate, EnrichmentResolution: c6.EnrichmentResolution,
		OnlyContextual: c6.OnlyContextual,
	}
	if c6.ListenCallbackURI != "" {
		in.ListenCallbackURI = &c6.ListenCallbackURI
	}
	reg, err := api.registerConnector(ctx, in)
	if err == nil {
		err = p.applyRegistration(reg)
	}
	if err != nil {
		api.closeIdle()
		return nil, err
	}
	logger.Info("connector registered", "connector_id", p.connectorID, "push_exchange", p.exchange, "push_routing", p.routingKey, "broker", fmt.Sprintf("%s:%d", p.broker.Hostname, p.broker.Port))
	if !c6.RunAndTerminate {
		p.startPing()
	}
	return p, nil
}

// applyRegistration keeps what registerConnector returned and applies the
// MQ_* overrides to the broker connection.
func (p *protocol6) applyRegistration(reg *registration6) error {
	p.connectorID = reg.ID
	if p.connectorID == "" {
		p.connectorID = p.cfg.ConnectorID
	}
	p.applicant = reg.ConnectorUserID
	if reg.ConnectorState != nil && *reg.ConnectorState != "null" {
		p.state = *reg.ConnectorState
	}
	c := reg.Config
	p.exchange = c.PushExchange
	p.routingKey = c.PushRouting
	if p.exchange == "" || p.routingKey == "" {
		return &APIError{Op: "registerConnector", Messages: []string{"the registration has no push_exchange/push_routing"}}
	}
	conn := c.Connection
	mq := p.cfg.MQ
	b := RabbitMQConfig{Hostname: conn.Host, Port: conn.Port, Username: conn.User, Password: conn.Pass,
		VHost: conn.VHost, UseTLS: conn.UseSSL, Heartbeat: 10 * time.Second, Persistent: true, Configured: true}
	if mq.Host != "" {
		b.Hostname = mq.Host
	}
	if mq.Port != 0 {
		b.Port = mq.Port
	}
	if mq.VHost != "" {
		b.VHost = mq.VHost
	}
	if mq.UseSSL != nil {
		b.UseTLS = *mq.UseSSL
	}
	if mq.User != "" {
		b.Username = mq.User
	}
	if mq.Pass != "" {
		b.Password = mq.Pass
	}
	if b.VHost == "" {
		b.VHost = "/"
	}
	if b.UseTLS {
		tc, err := mqTLSConfig(mq, b.Hostname)
		if err != nil {
			return err
		}
		b.TLS = tc
	}
	p.broker, p.hasBroker = b, true
	return nil
}

// mqTLSConfig is create_mq_ssl_context: no verification unless
// use_ssl_reject_unauthorized; optional CA, client certificate and key,
// each a file path or PEM text.
func mqTLSConfig(mq MQOverrides, host string) (*tls.Config, error) {
	tc := &tls.Config{ServerName: host, InsecureSkipVerify: !mq.SSLRejectUnauthorized} //nolint:gosec // pycti's default
	pem := func(key, v string) ([]byte, error) {
		// PEM text (possibly with surrounding spaces or newlines, as an
		// environment variable often has) or a file path. Neither the
		// value nor the path is echoed: a mistaken value may be the key.
		v = strings.TrimSpace(v)
		if strings.Contains(v, "-----BEGIN ") {
			return []byte(v), nil
		}
		b, err := os.ReadFile(v)
		if err != nil {
			reason := err
			var pe *fs.PathError
			if errors.As(err, &pe) {
				reason = pe.Err
			}
			return nil, &ConfigError{Source: "configuration", Problems: []string{fmt.Sprintf("%s (%s): neither PEM text nor a readable file (%v)", key, envName(key), reason)}}
		}
		return b, nil
	}
	if mq.SSLCA != "" {
		b, err := pem("mq.use_ssl_ca", mq.SSLCA)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(b) {
			return nil, &ConfigError{Source: "configuration", Problems: []string{"mq.use_ssl_ca (MQ_USE_SSL_CA): no PEM certificate found"}}
		}
		tc.RootCAs = pool
	}
	if mq.SSLCert != "" {
		cb, err := pem("mq.use_ssl_cert", mq.SSLCert)
		if err != nil {
			return nil, err
		}
		kb := cb
		if mq.SSLKey != "" {
			if kb, err = pem("mq.use_ssl_key", mq.SSLKey); err != nil {
				return nil, err
			}
		}
		cert, err := tls.X509KeyPair(cb, kb)
		if err != nil {
			// crypto/tls errors do not quote key material.
			return nil, &ConfigError{Source: "configuration", Problems: []string{"mq.use_ssl_cert (MQ_USE_SSL_CERT) / mq.use_ssl_key (MQ_USE_SSL_KEY): " + err.Error()}}
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

func (p *protocol6) Name() Protocol { return ProtocolOpenCTI6 }

func (p *protocol6) Broker() (RabbitMQConfig, bool) { return p.broker, p.hasBroker }

// topology is nil: the platform declared the exchange and queues.
func (p *protocol6) topology() topologyFunc { return nil }

// wireOptions and envelope are the 6.x wire format's arguments for a send.
func (p *protocol6) wireOptions(opt SendOptions) wire6.Options {
	return wire6.Options{EventVersion: opt.EventVersion, CleanupInconsistentBundle: opt.CleanupInconsistentBundle, NewUUID: p.newUUID}
}

func (p *protocol6) envelope(opt SendOptions) (*wire6.Envelope, error) {
	applicant := p.applicant
	if applicant == nil && opt.ApplicantID != "" {
		applicant = &opt.ApplicantID
	}
	et, err := appendEntitiesTypes(nil, &opt)
	if err != nil {
		return nil, err
	}
	return &wire6.Envelope{Applicant: applicant, EntitiesTypes: et, Update: opt.Update, DraftID: opt.DraftID, WorkID: opt.WorkID}, nil
}

// messages splits the bundle text as pycti 6.8.10 does (wire6.Split: one
// transcoding pass when it can, else parsing) and wraps each piece in its
// QUEUE_BUNDLE message.
func (p *protocol6) messages(ctx context.Context, raw []byte, opt SendOptions) ([]Message, [][]byte, error) {
	env, err := p.envelope(opt)
	if err != nil {
		return nil, nil, err
	}
	res, err := wire6.Split(ctx, raw, p.wireOptions(opt), env)
	return p.wrap(res, err)
}

// messagesValue is messages from a parsed bundle (not modified), for tests.
func (p *protocol6) messagesValue(ctx context.Context, bundle pyjson.Value, opt SendOptions) ([]Message, [][]byte, error) {
	env, err := p.envelope(opt)
	if err != nil {
		return nil, nil, err
	}
	res, err := wire6.SplitValue(ctx, bundle, p.wireOptions(opt), env, false)
	return p.wrap(res, err)
}

// wrap turns a split into messages to the push exchange.
func (p *protocol6) wrap(res *wire6.Result, err error) ([]Message, [][]byte, error) {
	if err != nil {
		return nil, nil, publicError(err)
	}
	if len(res.Pieces) == 0 {
		return nil, nil, ErrNothingToImport
	}
	props := Properties{DeliveryMode: 2, ContentEncoding: "utf-8"}
	msgs := make([]Message, len(res.Pieces))
	for i := range msgs {
		msgs[i] = Message{Exchange: p.exchange, RoutingKey: p.routingKey, Properties: props, Body: res.Bodies[i]}
	}
	return msgs, res.Pieces, nil
}

// ErrNothingToImport is returned when the 6.x splitter leaves no object to
// send (pycti 6.8.10 raises ValueError("Nothing to import")).
var ErrNothingToImport = errors.New("helper: Nothing to import")

// beforeSend declares the work's expectations (one per message). As in
// pycti, a failure is logged and the send goes on.
func (p *protocol6) beforeSend(ctx context.Context, n int, opt SendOptions) error {
	if opt.WorkID == "" {
		return nil
	}
	if p.api == nil {
		p.log.Debug("dry run: addExpectations", "work_id", opt.WorkID, "expectations", n)
		return nil
	}
	if err := p.api.AddExpectations(ctx, opt.WorkID, n); err != nil {
		p.log.Error("Cannot report expectation", "work_id", opt.WorkID, "error", err)
	}
	return nil
}

// startPing pings the platform every pingInterval with the state.
func (p *protocol6) startPing() {
	ctx, cancel := context.WithCancel(context.Background())
	p.stopPing = cancel
	p.pingDone = make(chan struct{})
	go func() {
		defer close(p.pingDone)
		t := time.NewTicker(p.pingInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := p.ping(ctx); err != nil && ctx.Err() == nil {
					p.log.Error("Error pinging the API", "error", err)
				}
			}
		}
	}()
}

// ping sends the state; a different state from the platform (reset from
// the UI) replaces the local one, as pycti does.
func (p *protocol6) ping(ctx context.Context) error {
	if p.api == nil {
		return nil
	}
	p.mu.Lock()
	sent := p.state
	p.mu.Unlock()
	remote, err := p.api.pingConnector(ctx, p.connectorID, sent)
	if err != nil {
		return err
	}
	if remote == "null" {
		remote = ""
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if remote != sent && p.state == sent && !sameJSON(remote, sent) {
		p.log.Info("Connector state has been remotely reset", "state", remote)
		p.state = remote
	}
	return nil
}

func sameJSON(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return false
	}
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	return string(ja) == string(jb)
}

// close stops the ping loop and releases the API client's connections.
func (p *protocol6) close() {
	if p.stopPing != nil {
		p.stopPing()
		<-p.pingDone
		p.stopPing = nil
	}
	if p.api != nil {
		p.api.closeIdle()
	}
}

// loadState decodes the state (from the registration or the last
// SetState) into v.
func (p *protocol6) loadState(v any) (bool, error) {
	p.mu.Lock()
	s := p.state
	p.mu.Unlock()
	if s == "" {
		return false, nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return false, fmt.Errorf("helper: connector state: %w", err)
	}
	return true, nil
}

// saveState keeps v as the state; the next ping sends it.
func (p *protocol6) saveState(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("helper: encoding state: %w", err)
	}
	p.mu.Lock()
	p.state = string(data)
	if string(data) == "null" {
		p.state = ""
	}
	p.mu.Unlock()
	return nil
}

func (p *protocol6) platform() *protocol6 { return p }
