package helper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// Helper sends STIX bundles to OpenCTI with one protocol through one
// Publisher. It is safe for concurrent use: concurrent sends are serialised
// by the publisher, each send's messages stay in order.
type Helper struct {
	cfg   *Config
	proto Protocol
	pub   Publisher
	log   *slog.Logger

	mu     sync.RWMutex // held for reading by sends, for writing by Close
	closed bool
}

// sendHooks is an optional interface of a Protocol that needs to act around
// a send (e.g. declare work expectations before publishing).
type sendHooks interface {
	BeforeSend(ctx context.Context, msgs []Message, opt SendOptions) error
	AfterSend(ctx context.Context, opt SendOptions, err error)
}

// New builds a Helper from a loaded configuration: it selects the protocol
// (Config.Protocol, else by configuration), then the publisher:
// cfg.Publisher when set; the dry-run sink when cfg.DryRun or when no broker
// is configured; otherwise an AMQP connection that it opens now, retrying
// per cfg.Retry until ctx ends, and on which it declares the protocol's
// exchange, queue and binding.
func New(ctx context.Context, cfg *Config) (*Helper, error) {
	if cfg == nil {
		return nil, fmt.Errorf("%w: nil configuration", ErrConfig)
	}
	logger := cfg.Logger
	if logger == nil {
		level, ok := parseLevel(cfg.Connector.LogLevel)
		if !ok {
			level = slog.LevelInfo
		}
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	}
	proto, err := newProtocol(ctx, cfg)
	if err != nil {
		return nil, err
	}
	logger = logger.With("connector", cfg.Connector.Name, "protocol", proto.Name())
	h := &Helper{cfg: cfg, proto: proto, log: logger}
	broker, hasBroker := proto.Broker()
	switch {
	case cfg.Publisher != nil:
		h.pub = cfg.Publisher
		if topo := proto.Topology(); topo != nil {
			if d, ok := cfg.Publisher.(Declarer); ok {
				if err := topo(d); err != nil {
					return nil, err
				}
			}
		}
	case cfg.DryRun || !hasBroker:
		if !cfg.DryRun {
			logger.Warn("no broker configured (no rabbitmq section): using the dry-run sink")
		}
		out := cfg.DryRunOutput
		if out == nil {
			out = os.Stdout
		}
		if topo := proto.Topology(); topo != nil {
			if err := topo(dryRunDeclarer{log: logger}); err != nil {
				return nil, err
			}
		}
		h.pub = NewDryRunPublisher(out, logger)
	default:
		p, err := NewAMQPPublisher(ctx, AMQPOptions{Broker: broker, Topology: proto.Topology(), Logger: logger, Retry: cfg.Retry})
		if err != nil {
			return nil, err
		}
		h.pub = p
	}
	return h, nil
}

// Protocol returns the name of the protocol in use ("1.1").
func (h *Helper) Protocol() string { return h.proto.Name() }

// Config returns the configuration the Helper was built from.
func (h *Helper) Config() *Config { return h.cfg }

// Logger returns the Helper's logger, for connectors to log alike.
func (h *Helper) Logger() *slog.Logger { return h.log }

// SendStix2Bundle is pycti's send_stix2_bundle(bundle, entities_types): it
// splits the bundle as the protocol does and publishes every piece,
// returning the JSON text of each piece once the broker confirmed them all.
//
// bundle is JSON text ([]byte, string, json.RawMessage), any json.Marshaler
// (such as *stix.Bundle), or a pyjson.Value / *pyjson.Value. Its key order is
// kept on the wire. entitiesTypes nil or empty means all types.
//
// On error nothing more is published; pieces published before the error
// stay published. Cancelling ctx abandons the send and returns ctx's error.
func (h *Helper) SendStix2Bundle(ctx context.Context, bundle any, entitiesTypes []string) ([][]byte, error) {
	return h.Send(ctx, bundle, SendOptions{EntitiesTypes: entitiesTypes})
}

// Send is SendStix2Bundle with every option of the current protocols.
func (h *Helper) Send(ctx context.Context, bundle any, opt SendOptions) ([][]byte, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.closed {
		return nil, ErrClosed
	}
	msgs, pieces, err := protocolMessages(h.proto, bundle, opt)
	if err != nil {
		h.log.Error("Unable to split the bundle", "error", err)
		return nil, err
	}
	hooks, _ := h.proto.(sendHooks)
	if hooks != nil {
		if err := hooks.BeforeSend(ctx, msgs, opt); err != nil {
			return nil, err
		}
	}
	err = h.pub.Publish(ctx, msgs)
	if hooks != nil {
		hooks.AfterSend(ctx, opt, err)
	}
	if err != nil {
		h.log.Error("Unable to send bundle", "error", err, "pieces", len(msgs))
		return nil, err
	}
	for range msgs {
		h.log.Debug("Bundle has been sent")
	}
	h.log.Info("Bundle has been sent", "pieces", len(msgs))
	return pieces, nil
}

// Close waits for running sends and closes the publisher. It is safe to
// call more than once.
func (h *Helper) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	h.closed = true
	err := h.pub.Close()
	if c, ok := h.proto.(io.Closer); ok { // protocols with background work (6.x ping)
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// protocolMessages runs the protocol on the bundle, from its text when the
// protocol has a fast path for it.
func protocolMessages(proto Protocol, bundle any, opt SendOptions) ([]Message, [][]byte, error) {
	if rm, ok := proto.(rawMessager); ok {
		var raw []byte
		switch b := bundle.(type) {
		case []byte:
			raw = b
		case json.RawMessage:
			raw = b
		case string:
			raw = []byte(b)
		case pyjson.Value, *pyjson.Value:
		case json.Marshaler: // e.g. *stix.Bundle: its JSON text takes the fast path
			text, err := b.MarshalJSON()
			if err != nil {
				return nil, nil, fmt.Errorf("helper: encoding the bundle: %w", err)
			}
			raw, bundle = text, text
		}
		if raw != nil {
			if len(raw) > MaxBundleBytes {
				return nil, nil, fmt.Errorf("helper: the bundle is larger than %d bytes", MaxBundleBytes)
			}
			msgs, pieces, handled, err := rm.MessagesRaw(raw, opt)
			if handled {
				return msgs, pieces, err
			}
		}
	}
	v, err := bundleValue(bundle)
	if err != nil {
		return nil, nil, err
	}
	return proto.Messages(v, opt)
}

// MaxBundleBytes bounds the JSON text SendStix2Bundle accepts (1 GiB).
const MaxBundleBytes = 1 << 30

func bundleValue(bundle any) (pyjson.Value, error) {
	var data []byte
	switch b := bundle.(type) {
	case pyjson.Value:
		return b, nil
	case *pyjson.Value:
		if b == nil {
			return pyjson.Value{}, errors.New("helper: nil bundle")
		}
		return *b, nil
	case []byte:
		data = b
	case json.RawMessage:
		data = b
	case string:
		data = []byte(b)
	case json.Marshaler:
		var err error
		if data, err = b.MarshalJSON(); err != nil {
			return pyjson.Value{}, fmt.Errorf("helper: encoding the bundle: %w", err)
		}
	case nil:
		return pyjson.Value{}, errors.New("helper: nil bundle")
	default:
		return pyjson.Value{}, fmt.Errorf("helper: unsupported bundle type %T (want JSON bytes, string, json.Marshaler or pyjson.Value)", bundle)
	}
	v, err := pyjson.Parse(data, pyjson.ParseOptions{MaxBytes: MaxBundleBytes})
	if err != nil {
		return pyjson.Value{}, fmt.Errorf("helper: the bundle is not JSON: %w", err)
	}
	return v, nil
}
