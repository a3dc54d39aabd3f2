package helper

import (
	"context"
	"os"
	"testing"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/stixkit/stixkit/internal/testutil"
)

// benchEndToEnd measures what a connector pays per send of the ATT&CK ICS
// 18.1 bundle: parse, split, encode and confirmed publish to the local
// broker (default exchange, a queue of the benchmark's own, purged between
// iterations). messages is the path under test.
func benchEndToEnd(b *testing.B, messages func(data []byte) ([]Message, error)) {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/ics-attack-18.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	url := brokerURL(b)
	queue := uniqueName(b)
	conn, err := amqp.Dial(url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ch.QueueDeclare(queue, false, false, false, false, nil); err != nil {
		b.Fatal(err)
	}
	defer ch.QueueDelete(queue, false, false, false)
	p, err := NewAMQPPublisher(context.Background(), AMQPOptions{Broker: brokerConfig(b, url)})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		msgs, err := messages(data)
		if err != nil {
			b.Fatal(err)
		}
		for i := range msgs {
			msgs[i].Exchange, msgs[i].RoutingKey = "", queue
		}
		if err := p.Publish(context.Background(), msgs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := ch.QueuePurge(queue, false); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkEndToEnd11 is the 1.1 protocol from the bundle text (its only
// path: the text fast path it had gave no end-to-end gain and was removed).
func BenchmarkEndToEnd11(b *testing.B) {
	p, err := newProtocol11(context.Background(), testConfig(nil))
	if err != nil {
		b.Fatal(err)
	}
	benchEndToEnd(b, func(data []byte) ([]Message, error) {
		msgs, _, err := protocolMessages(context.Background(), p, data, SendOptions{})
		return msgs, err
	})
}

// BenchmarkEndToEnd6 is the 6.x protocol from the bundle text.
func BenchmarkEndToEnd6(b *testing.B) {
	p := benchProtocol6()
	benchEndToEnd(b, func(data []byte) ([]Message, error) {
		msgs, _, err := protocolMessages(context.Background(), p, data, SendOptions{WorkID: "work_abc"})
		return msgs, err
	})
}
