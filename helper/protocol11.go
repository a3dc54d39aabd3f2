package helper

import (
	"context"
	"errors"

	"github.com/stixkit/stixkit/helper/internal/wire11"
	"github.com/stixkit/stixkit/internal/pyjson"
)

// protocol11 is the OpenCTI 1.1 wire protocol (ProtocolOpenCTI11); its wire
// format is in internal/wire11.
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
		configArg:  wire11.ConfigArg(cfg.Connector.Name, cfg.Connector.ConfidenceLevel, cfg.Connector.LogLevel),
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

func (p *protocol11) Name() Protocol { return ProtocolOpenCTI11 }

func (p *protocol11) Broker() (RabbitMQConfig, bool) { return p.broker, p.broker.Configured }

// topology declares what pycti 1.2.15 declares (wire11.Topology).
func (p *protocol11) topology() topologyFunc {
	return func(d Declarer) error { return wire11.Topology(d, p.identifier, p.configArg) }
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
	et, err := appendEntitiesTypes(nil, &opt)
	if err != nil {
		return nil, nil, err
	}
	pieces, bodies, err := wire11.Split(ctx, bundle, p.newUUID, wire11.Envelope(et))
	if err != nil {
		return nil, nil, publicError(err)
	}
	msgs := make([]Message, len(pieces))
	for i := range msgs {
		msgs[i] = Message{Exchange: wire11.Exchange(), RoutingKey: wire11.RoutingKey(p.identifier), Properties: props, Body: bodies[i]}
	}
	return msgs, pieces, nil
}

// errNoBroker is returned by the AMQP publisher when no broker is configured.
var errNoBroker = errors.New("helper: no broker configured")
