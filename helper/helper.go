package helper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// Helper sends STIX bundles to OpenCTI with one protocol through one
// Publisher. It is safe for concurrent use: concurrent sends are serialised
// by the publisher, each send's messages stay in order.
type Helper struct {
	cfg   *Config
	proto wireProtocol
	pub   Publisher
	log   *slog.Logger

	mu      sync.RWMutex // held for reading by sends, for writing by Close
	closed  bool
	closing atomic.Bool
	stop    context.Context // cancelled by Close: aborts running sends
	stopFn  context.CancelFunc
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
	h, err := newHelper(ctx, cfg, proto, logger)
	if err != nil {
		proto.close() // release what the protocol started (the 6.x ping loop)
		return nil, err
	}
	return h, nil
}

func newHelper(ctx context.Context, cfg *Config, proto wireProtocol, logger *slog.Logger) (*Helper, error) {
	logger = logger.With("connector", cfg.Connector.Name, "protocol", proto.Name())
	if cfg.values != nil || cfg.lookup != nil {
		logger.Info("configuration loaded", "source", cfg.SourceDescription())
	}
	h := &Helper{cfg: cfg, proto: proto, log: logger}
	h.stop, h.stopFn = context.WithCancel(context.Background())
	broker, hasBroker := proto.Broker()
	switch {
	case cfg.Publisher != nil:
		h.pub = cfg.Publisher
		if topo := proto.topology(); topo != nil {
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
		if topo := proto.topology(); topo != nil {
			if err := topo(dryRunDeclarer{log: logger}); err != nil {
				return nil, err
			}
		}
		h.pub = NewDryRunPublisher(out, logger)
	default:
		retry := cfg.Retry
		if retry.MaxAttempts == 0 && cfg.OneShot {
			retry.MaxAttempts = DefaultOneShotAttempts
		}
		p, err := NewAMQPPublisher(ctx, AMQPOptions{Broker: broker, topology: proto.topology(), Logger: logger, Retry: retry})
		if err != nil {
			return nil, err
		}
		h.pub = p
	}
	if !proto.platform().remoteState() {
		logger.Info("connector state file", "path", h.stateFile().Path)
	}
	return h, nil
}

// Protocol returns the protocol in use.
func (h *Helper) Protocol() Protocol { return h.proto.Name() }

// Config returns the configuration the Helper was built from.
func (h *Helper) Config() *Config { return h.cfg }

// Logger returns the Helper's logger, for connectors to log alike.
func (h *Helper) Logger() *slog.Logger { return h.log }

// SendStix2Bundle is pycti's send_stix2_bundle(bundle, entities_types): it
// splits the bundle as the protocol does and publishes every piece,
// returning the JSON text of each piece once the broker confirmed them all.
//
// bundle is JSON text ([]byte, string, json.RawMessage) or any
// json.Marshaler (such as *stix.Bundle). Its key order is kept on the wire. entitiesTypes nil or empty means all types.
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
	if h.closed || h.closing.Load() {
		return nil, ErrClosed
	}
	ctx, stop := mergeCancel(ctx, h.stop)
	defer stop()
	// Errors are returned, not logged: the caller reports them once.
	msgs, pieces, err := protocolMessages(ctx, h.proto, bundle, opt)
	if err == nil {
		err = h.proto.beforeSend(ctx, len(msgs), opt)
	}
	if err == nil {
		err = h.pub.Publish(ctx, msgs)
	}
	if err != nil {
		if h.closing.Load() && !errors.Is(err, ErrClosed) {
			err = fmt.Errorf("%w while sending: %w", ErrClosed, err)
		}
		return nil, err
	}
	if _, dry := h.pub.(*DryRunPublisher); dry {
		h.log.Info("Bundle written (dry run)", "pieces", len(msgs))
	} else {
		h.log.Info("Bundle has been sent", "pieces", len(msgs))
	}
	return pieces, nil
}

// Close cancels running sends (they return an error matching ErrClosed),
// closes the publisher and stops the protocol's background work. It does
// not wait on an unresponsive broker or platform. It is safe to call more
// than once.
func (h *Helper) Close() error {
	if !h.closing.CompareAndSwap(false, true) {
		return nil
	}
	h.stopFn()
	err := h.pub.Close() // aborts a running publish
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	h.proto.close()
	return err
}

// protocolMessages runs the protocol on the bundle's JSON text.
func protocolMessages(ctx context.Context, proto wireProtocol, bundle any, opt SendOptions) ([]Message, [][]byte, error) {
	raw, err := bundleText(bundle)
	if err != nil {
		return nil, nil, err
	}
	if len(raw) > MaxBundleBytes {
		return nil, nil, fmt.Errorf("helper: the bundle is larger than %d bytes", MaxBundleBytes)
	}
	return proto.messages(ctx, raw, opt)
}

// MaxBundleBytes bounds the JSON text SendStix2Bundle accepts (1 GiB).
const MaxBundleBytes = 1 << 30

// bundleText returns the JSON text of a bundle given as text or as a
// json.Marshaler.
func bundleText(bundle any) ([]byte, error) {
	switch b := bundle.(type) {
	case []byte:
		return b, nil
	case json.RawMessage:
		return b, nil
	case string:
		return []byte(b), nil
	case nil:
		return nil, errors.New("helper: nil bundle")
	case json.Marshaler: // e.g. *stix.Bundle
		if v := reflect.ValueOf(b); v.Kind() == reflect.Pointer && v.IsNil() {
			return nil, errors.New("helper: nil bundle")
		}
		data, err := b.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("helper: encoding the bundle: %w", err)
		}
		return data, nil
	default:
		return nil, fmt.Errorf("helper: unsupported bundle type %T (want JSON text: []byte, string, json.RawMessage, or a json.Marshaler such as *stix.Bundle)", bundle)
	}
}

// parseBundle parses the bundle text keeping key order and duplicates.
func parseBundle(data []byte) (pyjson.Value, error) {
	v, err := pyjson.Parse(data, pyjson.ParseOptions{MaxBytes: MaxBundleBytes})
	if err != nil {
		return pyjson.Value{}, &BundleError{Index: -1, Msg: "not JSON: " + jsonErrText(err)}
	}
	return v, nil
}

// jsonErrText is a JSON syntax error's text without the parser's package
// prefix ("expecting value at byte offset 0").
func jsonErrText(err error) string {
	return strings.TrimPrefix(err.Error(), "pyjson: ")
}

// CheckBundle splits and encodes bundle as Send would with the protocol
// cfg selects, without registering with the platform or connecting to the
// broker, and returns the error Send would return for it (not JSON, not a
// bundle, ErrNothingToImport…). pycti raises those errors before it
// connects; a one-shot program calls CheckBundle before New to do the same.
func CheckBundle(ctx context.Context, cfg *Config, bundle any, opt SendOptions) error {
	fixed := func() string { return "00000000-0000-4000-8000-000000000000" }
	var p wireProtocol
	switch name := cfg.SelectedProtocol(); name {
	case ProtocolOpenCTI6:
		p = &protocol6{cfg: &PlatformConfig{}, newUUID: fixed, exchange: pushExchange6, routingKey: pushRoutingPrefix6}
	case ProtocolOpenCTI11:
		p = &protocol11{identifier: "check", newUUID: fixed}
	default:
		return unknownProtocol(name)
	}
	_, _, err := protocolMessages(ctx, p, bundle, opt)
	return err
}
