package helper

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/pyjson"
)

type marshaler struct{ s string }

func (m marshaler) MarshalJSON() ([]byte, error) { return []byte(m.s), nil }

// TestSendInputs checks every accepted bundle form gives the same bytes.
func TestSendInputs(t *testing.T) {
	text := `{"type":"bundle","id":"bundle--1","objects":[{"type":"tool","id":"tool--1","name":"T\u00e9"}]}`
	inputs := []any{[]byte(text), text, json.RawMessage(text), marshaler{text}}
	var want string
	for i, in := range inputs {
		r := &recorder{}
		h, err := New(context.Background(), testConfig(r))
		if err != nil {
			t.Fatal(err)
		}
		pieces, err := h.SendStix2Bundle(context.Background(), in, nil)
		if err != nil {
			t.Fatalf("input %d (%T): %v", i, in, err)
		}
		if len(pieces) != 1 || len(r.msgs) != 1 {
			t.Fatalf("input %d: %d pieces, %d messages", i, len(pieces), len(r.msgs))
		}
		if i == 0 {
			want = string(r.msgs[0].Body)
		} else if string(r.msgs[0].Body) != want {
			t.Errorf("input %d (%T): body differs", i, in)
		}
	}
	for _, bad := range []any{nil, 42, "not json", []byte(`{"objects": 1}`), (*marshaler)(nil), mustParse(t, text)} {
		h, _ := New(context.Background(), testConfig(&recorder{}))
		if _, err := h.SendStix2Bundle(context.Background(), bad, nil); err == nil {
			t.Errorf("accepted %v", bad)
		}
	}
}

func TestDryRunSink(t *testing.T) {
	var out, logs bytes.Buffer
	cfg := &Config{
		Connector:    ConnectorConfig{Name: "Dry Run", ConfidenceLevel: 1, LogLevel: "debug"},
		DryRunOutput: &out,
		NewUUID:      counterUUID(),
		Logger:       slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	h, err := New(context.Background(), cfg) // no rabbitmq section: dry run
	if err != nil {
		t.Fatal(err)
	}
	pieces, err := h.SendStix2Bundle(context.Background(), `{"objects":[{"type":"tool","id":"a"},{"type":"tool","id":"b"}]}`, []string{"tool"})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 || len(pieces) != 2 {
		t.Fatalf("%d lines, %d pieces:\n%s", len(lines), len(pieces), out.String())
	}
	for i, l := range lines {
		var m struct {
			Exchange   string         `json:"exchange"`
			RoutingKey string         `json:"routing_key"`
			Properties map[string]any `json:"properties"`
			Body       string         `json:"body"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if m.Exchange != "amqp.opencti" || m.RoutingKey != "import.connectors.dryrun" || len(m.Properties) != 0 {
			t.Errorf("line %d: %+v", i, m)
		}
		body := mustParse(t, m.Body)
		if et, _ := body.Get("entities_types"); len(et.Arr) != 1 || et.Arr[0].Str != "tool" {
			t.Errorf("line %d entities_types %s", i, pyjson.Dumps(et, pyjson.DumpOptions{}))
		}
	}
	for _, want := range []string{"no broker configured", "queue_declare", "import-connectors-dryrun", "Bundle written (dry run)"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SendStix2Bundle(context.Background(), `{"objects":[]}`, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("send after Close: %v", err)
	}
}

func TestDryRunProperties(t *testing.T) {
	m := Message{Exchange: "e", RoutingKey: "k", Body: []byte(`{"a": "\u00e9"}`),
		Properties: Properties{ContentEncoding: "utf-8", DeliveryMode: 2, Headers: map[string]any{"b": 1, "a": "x"}}}
	got := string(appendDryRunLine(nil, &m))
	want := `{"exchange": "e", "routing_key": "k", "properties": {"content_encoding": "utf-8", "delivery_mode": 2, "headers": {"a": "x", "b": 1}}, "body": "{\"a\": \"\\u00e9\"}"}` + "\n"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestUnknownProtocol(t *testing.T) {
	cfg := testConfig(&recorder{})
	cfg.Protocol = "0.9"
	if _, err := New(context.Background(), cfg); !errors.Is(err, ErrConfig) {
		t.Fatalf("got %v", err)
	}
	cfg.Protocol = ""
	cfg.Connector.Name = "&&&"
	if _, err := New(context.Background(), cfg); !errors.Is(err, ErrConfig) {
		t.Fatalf("empty identifier: %v", err)
	}
}

func ExampleHelper_SendStix2Bundle() {
	n := 0
	cfg := &Config{
		Connector:    ConnectorConfig{Name: "My Connector", ConfidenceLevel: 3, LogLevel: "error"},
		DryRun:       true,
		DryRunOutput: os.Stdout,
		NewUUID:      func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) },
		Logger:       slog.New(slog.DiscardHandler),
	}
	h, err := New(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	pieces, err := h.SendStix2Bundle(context.Background(),
		[]byte(`{"type": "bundle", "objects": [{"type": "tool", "id": "tool--1", "name": "Outil é"}]}`), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(pieces[0]))
	// Output:
	// {"exchange": "amqp.opencti", "routing_key": "import.connectors.myconnector", "properties": {}, "body": "{\"type\": \"stix2-bundle\", \"entities_types\": [], \"content\": \"eyJ0eXBlIjogImJ1bmRsZSIsICJpZCI6ICJidW5kbGUtLTAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMSIsICJzcGVjX3ZlcnNpb24iOiAiMi4wIiwgIm9iamVjdHMiOiBbeyJ0eXBlIjogInRvb2wiLCAiaWQiOiAidG9vbC0tMSIsICJuYW1lIjogIk91dGlsIFx1MDBlOSJ9XX0=\"}"}
	// {"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000001", "spec_version": "2.0", "objects": [{"type": "tool", "id": "tool--1", "name": "Outil \u00e9"}]}
}

// TestConcurrentSends sends from several goroutines through one Helper:
// every send's messages must stay together and in order.
func TestConcurrentSends(t *testing.T) {
	r := &recorder{}
	cfg := testConfig(r)
	cfg.NewUUID = nil
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			b := fmt.Sprintf(`{"objects":[{"type":"tool","id":"a%d"},{"type":"tool","id":"b%d"},{"type":"tool","id":"c%d"}]}`, g, g, g)
			_, err := h.SendStix2Bundle(context.Background(), b, nil)
			done <- err
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if len(r.msgs) != 24 {
		t.Fatalf("%d messages", len(r.msgs))
	}
	for i := 0; i < 24; i += 3 {
		var ids []string
		for j := i; j < i+3; j++ {
			c, _ := mustParse(t, string(r.msgs[j].Body)).GetString("content")
			raw, _ := base64.StdEncoding.DecodeString(c)
			objs, _ := mustParse(t, string(raw)).Get("objects")
			id, _ := objs.Arr[0].GetString("id")
			ids = append(ids, id)
		}
		if ids[0][0] != 'a' || ids[1][0] != 'b' || ids[2][0] != 'c' || ids[0][1:] != ids[1][1:] || ids[1][1:] != ids[2][1:] {
			t.Fatalf("interleaved sends: %v", ids)
		}
	}
}
