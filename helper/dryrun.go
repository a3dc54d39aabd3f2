package helper

import (
	"context"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"sync"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// DryRunPublisher is the dry-run sink: it writes each publish as one JSON
// line {"exchange", "routing_key", "properties", "body"} (properties holds
// only the fields that are set; body is the exact message text) and logs
// declarations instead of making them. It is safe for concurrent use; each
// Publish call's lines are written together and in order.
type DryRunPublisher struct {
	mu     sync.Mutex
	w      io.Writer
	log    *slog.Logger
	closed bool
	buf    []byte
}

// NewDryRunPublisher returns a sink writing to w; a nil logger discards logs.
func NewDryRunPublisher(w io.Writer, logger *slog.Logger) *DryRunPublisher {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &DryRunPublisher{w: w, log: logger}
}

// Publish writes one line per message. It returns ctx's error when ctx
// has ended before, and the writer's error if a write fails.
func (d *DryRunPublisher) Publish(ctx context.Context, msgs []Message) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d.buf = d.buf[:0]
	for i := range msgs {
		d.buf = appendDryRunLine(d.buf, &msgs[i])
	}
	_, err := d.w.Write(d.buf)
	return err
}

// appendDryRunLine appends the dry-run JSON line of m, newline included.
func appendDryRunLine(dst []byte, m *Message) []byte {
	dst = append(dst, `{"exchange": `...)
	dst = pyjson.AppendString(dst, m.Exchange, true)
	dst = append(dst, `, "routing_key": `...)
	dst = pyjson.AppendString(dst, m.RoutingKey, true)
	dst = append(dst, `, "properties": `...)
	dst = appendProperties(dst, &m.Properties)
	dst = append(dst, `, "body": `...)
	dst = pyjson.AppendString(dst, string(m.Body), true)
	return append(dst, "}\n"...)
}

func appendProperties(dst []byte, p *Properties) []byte {
	dst = append(dst, '{')
	n := 0
	field := func(k string) {
		if n > 0 {
			dst = append(dst, ", "...)
		}
		n++
		dst = pyjson.AppendString(dst, k, true)
		dst = append(dst, ": "...)
	}
	if p.ContentType != "" {
		field("content_type")
		dst = pyjson.AppendString(dst, p.ContentType, true)
	}
	if p.ContentEncoding != "" {
		field("content_encoding")
		dst = pyjson.AppendString(dst, p.ContentEncoding, true)
	}
	if p.DeliveryMode != 0 {
		field("delivery_mode")
		dst = strconv.AppendUint(dst, uint64(p.DeliveryMode), 10)
	}
	if p.Priority != 0 {
		field("priority")
		dst = strconv.AppendUint(dst, uint64(p.Priority), 10)
	}
	if len(p.Headers) > 0 {
		field("headers")
		keys := make([]string, 0, len(p.Headers))
		for k := range p.Headers {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = pyjson.AppendString(dst, k, true)
			dst = append(dst, ": "...)
			dst = appendHeaderValue(dst, p.Headers[k])
		}
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

func appendHeaderValue(dst []byte, v any) []byte {
	switch t := v.(type) {
	case string:
		return pyjson.AppendString(dst, t, true)
	case bool:
		return strconv.AppendBool(dst, t)
	case int:
		return strconv.AppendInt(dst, int64(t), 10)
	case int32:
		return strconv.AppendInt(dst, int64(t), 10)
	case int64:
		return strconv.AppendInt(dst, t, 10)
	case float64:
		return pyjson.AppendFloat(dst, t)
	case nil:
		return append(dst, "null"...)
	}
	return pyjson.AppendString(dst, "unsupported header value", true)
}

// Close marks the sink closed; later Publish calls return ErrClosed.
func (d *DryRunPublisher) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	return nil
}

// dryRunDeclarer logs declarations instead of making them.
type dryRunDeclarer struct{ log *slog.Logger }

func (d dryRunDeclarer) ExchangeDeclare(name, kind string, durable bool) error {
	d.log.Debug("dry run: exchange_declare", "exchange", name, "exchange_type", kind, "durable", durable)
	return nil
}

func (d dryRunDeclarer) QueueDeclare(name string, durable, passive bool, args map[string]any) error {
	d.log.Debug("dry run: queue_declare", "queue", name, "durable", durable, "passive", passive, "arguments", args)
	return nil
}

func (d dryRunDeclarer) QueueDelete(name string) error {
	d.log.Debug("dry run: queue_delete", "queue", name)
	return nil
}

func (d dryRunDeclarer) QueueBind(queue, exchange, routingKey string) error {
	d.log.Debug("dry run: queue_bind", "queue", queue, "exchange", exchange, "routing_key", routingKey)
	return nil
}
