package helper

import (
	"context"
	"errors"
)

// Properties are the AMQP basic properties of a message. The zero value
// sets none, which is what pycti 1.2.15 publishes.
type Properties struct {
	ContentType     string         // content_type
	ContentEncoding string         // content_encoding
	DeliveryMode    uint8          // delivery_mode: 0 unset (transient), 1 transient, 2 persistent
	Priority        uint8          // priority
	Headers         map[string]any // headers
}

// Message is one AMQP publish.
type Message struct {
	Exchange   string
	RoutingKey string
	Properties Properties
	Body       []byte
}

// Publisher delivers messages to a broker (or stands in for one).
//
// Publish sends msgs in order and returns nil only when every message was
// accepted: by the broker's publisher confirm (AMQP), or written (dry run).
// Implementations retry lost or refused messages and may deliver a message
// more than once, never zero times when they return nil. Publish honours
// ctx: when it ends, Publish returns ctx's error and some messages may not
// have been delivered. Implementations are safe for concurrent use;
// concurrent calls are serialised, so each call's messages stay in order.
type Publisher interface {
	Publish(ctx context.Context, msgs []Message) error
	// Close waits for running Publish calls to finish and releases the
	// connection. Publish after Close returns ErrClosed.
	Close() error
}

// Declarer is the set of broker declarations a protocol makes (with
// ProtocolOpenCTI11: pycti 1.2.15's exchange, queue and binding). The
// AMQP publisher makes them on each fresh connection (a failed passive
// declaration, which makes the broker close the channel, is followed by a
// fresh channel on the next call); the dry-run sink only logs them; a
// Config.Publisher that also implements Declarer receives them once, from
// New.
type Declarer interface {
	// ExchangeDeclare declares an exchange (not auto-deleted, not internal).
	ExchangeDeclare(name, kind string, durable bool) error
	// QueueDeclare declares a queue (not exclusive, not auto-deleted); with
	// passive it only checks that the queue exists.
	QueueDeclare(name string, durable, passive bool, args map[string]any) error
	// QueueDelete deletes a queue (unconditionally).
	QueueDelete(name string) error
	// QueueBind binds a queue to an exchange with a routing key.
	QueueBind(queue, exchange, routingKey string) error
}

// topologyFunc declares what a protocol needs on a connection; the AMQP
// publisher runs it after every (re)connection.
type topologyFunc func(d Declarer) error

// ErrClosed is returned by Publish and SendStix2Bundle after Close.
var ErrClosed = errors.New("helper: closed")
