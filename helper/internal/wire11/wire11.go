// Package wire11 is the wire format of the OpenCTI 1.1 protocol (pycti
// 1.2.15): the names and declarations (this file), split_stix2_bundle
// (split.go) and the parallel encoder of the pieces and their message
// bodies (encode.go).
package wire11

import (
	"encoding/base64"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// Names of the OpenCTI 1.1 protocol.
const (
	exchange       = "amqp.opencti"       // direct, durable exchange
	queuePrefix    = "import-connectors-" // + identifier: the connector's durable queue
	routingPrefix  = "import.connectors." // + identifier: the binding / routing key
	messageType    = "stix2-bundle"       // "type" of every message
	exchangeKind   = "direct"             // exchange type
	queueConfigArg = "config"             // queue argument: base64(json.dumps(connector config))
)

// Exchange is the exchange every message goes to.
func Exchange() string { return exchange }

// Queue is the connector's queue.
func Queue(identifier string) string { return queuePrefix + identifier }

// RoutingKey is the connector's binding and routing key.
func RoutingKey(identifier string) string { return routingPrefix + identifier }

// ConfigArg is the "config" queue argument pycti 1.2.15 declares: base64
// of json.dumps({"name", "confidence_level", "log_level"}).
func ConfigArg(name string, confidenceLevel int, logLevel string) string {
	v := pyjson.ObjectValue(
		pyjson.Member{Key: "name", Value: pyjson.StringValue(name)},
		pyjson.Member{Key: "confidence_level", Value: pyjson.IntValue(int64(confidenceLevel))},
		pyjson.Member{Key: "log_level", Value: pyjson.StringValue(logLevel)},
	)
	return base64.StdEncoding.EncodeToString(pyjson.Dumps(v, pyjson.DumpOptions{}))
}

// Declarer is the broker declarations Topology makes.
type Declarer interface {
	ExchangeDeclare(name, kind string, durable bool) error
	QueueDeclare(name string, durable, passive bool, args map[string]any) error
	QueueDelete(name string) error
	QueueBind(queue, exchange, routingKey string) error
}

// Topology declares what pycti 1.2.15 declares: the exchange; the queue
// passively, and when that fails (no such queue) delete + declare with the
// config argument; then the binding.
func Topology(d Declarer, identifier, configArg string) error {
	if err := d.ExchangeDeclare(exchange, exchangeKind, true); err != nil {
		return err
	}
	queue := Queue(identifier)
	args := map[string]any{queueConfigArg: configArg}
	if err := d.QueueDeclare(queue, true, true, args); err != nil {
		// The broker closed the channel; the Declarer opens a fresh one.
		if err := d.ExchangeDeclare(exchange, exchangeKind, true); err != nil {
			return err
		}
		if err := d.QueueDelete(queue); err != nil {
			return err
		}
		if err := d.QueueDeclare(queue, true, false, args); err != nil {
			return err
		}
	}
	return d.QueueBind(queue, exchange, RoutingKey(identifier))
}

// Envelope is the message around each piece:
// {"type": "stix2-bundle", "entities_types": <entitiesTypes>, "content": "<base64>"}.
// entitiesTypes is JSON text in json.dumps form; nil writes [].
func Envelope(entitiesTypes []byte) *Wrapper {
	prefix := append([]byte(nil), `{"type": "`+messageType+`", "entities_types": `...)
	if entitiesTypes == nil {
		prefix = append(prefix, "[]"...)
	} else {
		prefix = append(prefix, entitiesTypes...)
	}
	prefix = append(prefix, `, "content": "`...)
	return &Wrapper{Prefix: prefix, Suffix: []byte(`"}`)}
}
