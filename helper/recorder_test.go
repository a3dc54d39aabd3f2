package helper

import (
	"context"
	"fmt"
	"sync"
)

// recorder is a Publisher and Declarer that records every call, in order,
// as pycti's recorded outputs name them.
type recorder struct {
	mu          sync.Mutex
	calls       []recordedCall
	msgs        []Message
	failPassive bool // make passive queue declarations fail (queue missing)
}

type recordedCall struct {
	Method string
	Args   map[string]any
}

func (r *recorder) add(method string, args map[string]any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, recordedCall{method, args})
}

func (r *recorder) ExchangeDeclare(name, kind string, durable bool) error {
	r.add("exchange_declare", map[string]any{"exchange": name, "exchange_type": kind, "durable": durable})
	return nil
}

func (r *recorder) QueueDeclare(name string, durable, passive bool, args map[string]any) error {
	r.add("queue_declare", map[string]any{"queue": name, "durable": durable, "passive": passive, "arguments": args})
	if passive && r.failPassive {
		return fmt.Errorf("NOT_FOUND - no queue '%s'", name)
	}
	return nil
}

func (r *recorder) QueueDelete(name string) error {
	r.add("queue_delete", map[string]any{"queue": name})
	return nil
}

func (r *recorder) QueueBind(queue, exchange, routingKey string) error {
	r.add("queue_bind", map[string]any{"queue": queue, "exchange": exchange, "routing_key": routingKey})
	return nil
}

func (r *recorder) Publish(ctx context.Context, msgs []Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		r.calls = append(r.calls, recordedCall{"basic_publish", map[string]any{"exchange": m.Exchange, "routing_key": m.RoutingKey}})
	}
	r.msgs = append(r.msgs, msgs...)
	return nil
}

func (r *recorder) Close() error { return nil }

// counterUUID returns the UUID source pycti's recordings used:
// 00000000-0000-4000-8000-00000000000N, N = 1, 2, ...
func counterUUID() func() string {
	n := 0
	return func() string {
		n++
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	}
}

// testConfig is the connector configuration of the recordings.
func testConfig(pub Publisher) *Config {
	return &Config{
		Connector: ConnectorConfig{Name: "My Connector", ConfidenceLevel: 3, LogLevel: "info"},
		Publisher: pub,
		NewUUID:   counterUUID(),
		Protocol:  ProtocolOpenCTI11,
	}
}

func ptr[T any](v T) *T { return &v }
