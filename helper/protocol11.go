package helper

import (
	"context"

	"encoding/base64"
	"errors"
	"github.com/stixkit/stixkit/helper/internal/wire11"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// Names of the OpenCTI 1.1 protocol (pycti 1.2.15).
const (
	Protocol11Name   = "1.1"                // Config.Protocol value
	exchange11       = "amqp.opencti"       // direct, durable exchange
	queuePrefix11    = "import-connectors-" // + identifier: the connector's durable queue
	routingPrefix11  = "import.connectors." // + identifier: the binding / routing key
	messageType11    = "stix2-bundle"       // "type" of every message
	exchangeKind11   = "direct"             // exchange type
	queueConfigArg11 = "config"             // queue argument: base64(json.dumps(connector config))
)

// protocol11 is the OpenCTI 1.1 wire protocol.
type protocol11 struct {
	identifier string
	configArg  string // base64 of json.dumps(connector config)
	broker     RabbitMQConfig
	newUUID    func() string
}

func newProtocol11(_ context.Context, cfg *Config) (*protocol11, error) {
	id := cfg.Identifier()
	if id == "" {
		return nil, &ConfigError{Source: cfg.sourceName(), Problems: []string{"connector.name (CONNECTOR_NAME): gives an empty identifier; set connector.identifier"}}
	}
	p := &protocol11{
		identifier: id,
		configArg:  connectorConfigArg11(cfg.Connector),
		broker:     cfg.RabbitMQ,
		newUUID:    cfg.NewUUID,
	}
	return p, nil
}

func (c *Config) sourceName() string {
	if c.Source == "" {
		return "environment"
	}
	return c.Source
}

// connectorConfigArg11 returns the "config" queue argument pycti 1.2.15
// declares: base64 of json.dumps({"name", "confidence_level", "log_level"}).
func connectorConfigArg11(c ConnectorConfig) string {
	v := pyjson.ObjectValue(
		pyjson.Member{Key: "name", Value: pyjson.StringValue(c.Name)},
		pyjson.Member{Key: "confidence_level", Value: pyjson.IntValue(int64(c.ConfidenceLevel))},
		pyjson.Member{Key: "log_level", Value: pyjson.StringValue(c.LogLevel)},
	)
	return base64.StdEncoding.EncodeToString(pyjson.Dumps(v, pyjson.DumpOptions{}))
}

func (p *protocol11) Name() string { return Protocol11Name }

func (p *protocol11) Broker() (RabbitMQConfig, bool) { return p.broker, p.broker.Configured }

func (p *protocol11) queue() string      { return queuePrefix11 + p.identifier }
func (p *protocol11) routingKey() string { return routingPrefix11 + p.identifier }

// Topology declares what pycti 1.2.15 declares: the exchange; the queue
// passively, and when that fails (no such queue) delete + declare with the
// config argument; then the binding.
func (p *protocol11) Topology() Topology {
	return func(d Declarer) error {
		if err := d.ExchangeDeclare(exchange11, exchangeKind11, true); err != nil {
			return err
		}
		args := map[string]any{queueConfigArg11: p.configArg}
		if err := d.QueueDeclare(p.queue(), true, true, args); err != nil {
			// The broker closed the channel; the Declarer opens a fresh one.
			if err := d.ExchangeDeclare(exchange11, exchangeKind11, true); err != nil {
				return err
			}
			if err := d.QueueDelete(p.queue()); err != nil {
				return err
			}
			if err := d.QueueDeclare(p.queue(), true, false, args); err != nil {
				return err
			}
		}
		return d.QueueBind(p.queue(), exchange11, p.routingKey())
	}
}

func (p *protocol11) close() {}

func (p *protocol11) beforeSend(context.Context, int, SendOptions) error { return nil }

func (p *protocol11) platform() *protocol6 { return nil }

// messages splits the bundle as pycti 1.2.15 does and wraps each piece in
// {"type": "stix2-bundle", "entities_types": [...], "content": "<base64>"}.
func (p *protocol11) messages(ctx context.Context, raw []byte, opt SendOptions) ([]Message, [][]byte, error) {
	v, err := parseBundle(raw)
	if err != nil {
		return nil, nil, err
	}
	return p.messagesValue(ctx, v, opt)
}

// messagesValue is messages from a parsed bundle (not modified).
func (p *protocol11) messagesValue(ctx context.Context, bundle pyjson.Value, opt SendOptions) ([]Message, [][]byte, error) {
	return p.messagesFrom(ctx, bundle, opt)
}

// messagesFrom splits the bundle and wraps every piece in its message.
func (p *protocol11) messagesFrom(ctx context.Context, bundle pyjson.Value, opt SendOptions) ([]Message, [][]byte, error) {
	var props Properties
	if p.broker.Persistent {
		props.DeliveryMode = 2
	}
	prefix := append([]byte(nil), `{"type": "`+messageType11+`", "entities_types": `...)
	prefix, err := appendEntitiesTypes(prefix, &opt)
	if err != nil {
		return nil, nil, err
	}
	prefix = append(prefix, `, "content": "`...)
	pieces, bodies, err := wire11.Split(ctx, bundle, p.newUUID, &wire11.Wrapper{Prefix: prefix, Suffix: []byte(`"}`)})
	if err != nil {
		return nil, nil, publicError(err)
	}
	msgs := make([]Message, len(pieces))
	for i := range msgs {
		msgs[i] = Message{Exchange: exchange11, RoutingKey: p.routingKey(), Properties: props, Body: bodies[i]}
	}
	return msgs, pieces, nil
}

// errNoBroker is returned by the AMQP publisher when no broker is configured.
var errNoBroker = errors.New("helper: no broker configured")

// Split11 is pycti 1.2.15's split_stix2_bundle: it returns the JSON text
// of each piece, in publishing order (see the package documentation of
// the 1.1 protocol in DESIGN-NOTES.md for the three passes). bundle is the
// JSON text; text that is not JSON is a *BundleError. newUUID supplies the
// random part of each piece's bundle id (nil: random v4 UUIDs).
func Split11(bundle []byte, newUUID func() string) ([][]byte, error) {
	v, err := parseBundle(bundle)
	if err != nil {
		return nil, err
	}
	pieces, _, err := wire11.Split(context.Background(), v, newUUID, nil)
	return pieces, publicError(err)
}
