package helper

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

type pyctiRecording struct {
	Bundle string `json:"bundle_string_sent_to_helper"`
	V1     struct {
		Kwargs struct {
			EntitiesTypes []string `json:"entities_types"`
		} `json:"kwargs"`
		Calls     []map[string]any `json:"calls"`
		Exception *string          `json:"exception"`
	} `json:"1.2.15"`
}

// TestConformance11 reproduces every pycti 1.2.15 recording: the same
// declarations with the same arguments, the same number of publishes to the
// same exchange and routing key without properties, and byte-identical bodies
// (with pycti's uuid4 replaced by the recording's counter).
func TestConformance11(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "conformance", "pycti", "outputs")
	files, err := filepath.Glob(filepath.Join(dir, "*.out.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recordings in %s (%v)", dir, err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".out.json"), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var rec pyctiRecording
			if err := json.Unmarshal(raw, &rec); err != nil {
				t.Fatal(err)
			}
			r := &recorder{}
			h, err := New(context.Background(), testConfig(r))
			if err != nil {
				t.Fatal(err)
			}
			pieces, err := h.SendStix2Bundle(context.Background(), []byte(rec.Bundle), rec.V1.Kwargs.EntitiesTypes)
			if rec.V1.Exception != nil {
				if err == nil {
					t.Fatalf("pycti raised %s, we sent %d pieces", *rec.V1.Exception, len(pieces))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []map[string]any
			for _, c := range rec.V1.Calls {
				switch c["method"] {
				case "BlockingConnection", "channel":
					continue // connection parameters come from the configuration
				}
				want = append(want, c)
			}
			if len(want) != len(r.calls) {
				t.Fatalf("%d calls, pycti made %d", len(r.calls), len(want))
			}
			pub := 0
			for i, w := range want {
				got := r.calls[i]
				if got.Method != w["method"] {
					t.Fatalf("call %d: %s, pycti %s", i, got.Method, w["method"])
				}
				kw, _ := w["kwargs"].(map[string]any)
				switch got.Method {
				case "exchange_declare", "queue_bind":
					if !reflect.DeepEqual(map[string]any(got.Args), kw) {
						t.Errorf("call %d %s: %v, pycti %v", i, got.Method, got.Args, kw)
					}
				case "queue_declare":
					args := w["args"].([]any)
					if got.Args["queue"] != args[0] || got.Args["durable"] != kw["durable"] || got.Args["passive"] != kw["passive"] {
						t.Errorf("call %d queue_declare: %v, pycti %v %v", i, got.Args, args, kw)
					}
					wantArgs := kw["arguments"].(map[string]any)
					if !reflect.DeepEqual(map[string]any(got.Args["arguments"].(map[string]any)), wantArgs) {
						t.Errorf("queue arguments %v, pycti %v", got.Args["arguments"], wantArgs)
					}
				case "basic_publish":
					m := r.msgs[pub]
					if m.Exchange != w["exchange"] || m.RoutingKey != w["routing_key"] {
						t.Errorf("publish %d: %s/%s, pycti %s/%s", pub, m.Exchange, m.RoutingKey, w["exchange"], w["routing_key"])
					}
					if w["properties"] != nil || !reflect.DeepEqual(m.Properties, Properties{}) {
						t.Errorf("publish %d: properties %+v, pycti %v", pub, m.Properties, w["properties"])
					}
					if string(m.Body) != w["body"] {
						t.Errorf("publish %d body:\n got %s\nwant %s", pub, m.Body, w["body"])
					}
					if string(pieces[pub]) != w["decoded_content"] {
						t.Errorf("publish %d piece:\n got %s\nwant %s", pub, pieces[pub], w["decoded_content"])
					}
					wb, _ := base64.StdEncoding.DecodeString(w["body_bytes_b64"].(string))
					if string(wb) != string(m.Body) {
						t.Errorf("publish %d: body bytes differ", pub)
					}
					pub++
				}
			}
		})
	}
}

// TestTopology11QueueMissing checks the path pycti 1.2.15 takes when the
// passive declaration fails: exchange again, delete, declare, bind.
func TestTopology11QueueMissing(t *testing.T) {
	r := &recorder{failPassive: true}
	if _, err := New(context.Background(), testConfig(r)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range r.calls {
		s := c.Method
		if p, ok := c.Args["passive"]; ok && p == true {
			s += "(passive)"
		}
		got = append(got, s)
	}
	want := []string{"exchange_declare", "queue_declare(passive)", "exchange_declare", "queue_delete", "queue_declare", "queue_bind"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("calls %v, want %v", got, want)
	}
	want64 := base64.StdEncoding.EncodeToString([]byte(`{"name": "My Connector", "confidence_level": 3, "log_level": "info"}`))
	if a := r.calls[4].Args["arguments"].(map[string]any)["config"]; a != want64 {
		t.Errorf("config argument %v", a)
	}
}
