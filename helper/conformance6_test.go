package helper

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// pyctiRecording6 is the 6.8.10 part of a recording.
type pyctiRecording6 struct {
	Bundle string `json:"bundle_string_sent_to_helper"`
	V6     struct {
		Kwargs struct {
			EntitiesTypes             []string `json:"entities_types"`
			Update                    bool     `json:"update"`
			WorkID                    string   `json:"work_id"`
			EventVersion              *string  `json:"event_version"`
			CleanupInconsistentBundle bool     `json:"cleanup_inconsistent_bundle"`
		} `json:"kwargs"`
		Calls     []map[string]any `json:"calls"`
		Exception *string          `json:"exception"`
	} `json:"6.8.10"`
}

const recordedConnectorID = "a5dcd1e0-2d44-4a2d-9b5d-2a0b1f3c0001"

// TestConformance6 reproduces every pycti 6.8.10 recording through a
// registration with a fake platform: the expectations declared, the same
// number of publishes to the same exchange and routing key with the same
// properties, byte-identical bodies and decoded contents (pycti's uuid4
// replaced by the recording's counter), and an error where pycti raised.
func TestConformance6(t *testing.T) {
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
			var rec pyctiRecording6
			if err := json.Unmarshal(raw, &rec); err != nil {
				t.Fatal(err)
			}
			plat := newFakePlatform(t)
			cfg, err := parseConfig(plat.configYAML(recordedConnectorID), "test", noEnv)
			if err != nil {
				t.Fatal(err)
			}
			r := &recorder{}
			cfg.Publisher = r
			cfg.NewUUID = counterUUID()
			h, err := New(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			if h.Protocol() != ProtocolOpenCTI6 {
				t.Fatalf("protocol %s chosen for a 6.x configuration", h.Protocol())
			}
			kw := rec.V6.Kwargs
			opt := SendOptions{EntitiesTypes: kw.EntitiesTypes, Update: kw.Update, WorkID: kw.WorkID, CleanupInconsistentBundle: kw.CleanupInconsistentBundle}
			if kw.EventVersion != nil {
				opt.EventVersion = kw.EventVersion
			}
			pieces, err := h.Send(context.Background(), []byte(rec.Bundle), opt)
			if rec.V6.Exception != nil {
				if err == nil {
					t.Fatalf("pycti raised %s, we sent %d pieces", *rec.V6.Exception, len(pieces))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []map[string]any
			wantExpect := -1
			for _, c := range rec.V6.Calls {
				switch c["method"] {
				case "basic_publish":
					want = append(want, c)
				case "api.work.add_expectations":
					wantExpect = int(c["n"].(float64))
				}
			}
			// Expectations.
			exp := plat.callsOf("addExpectations")
			if wantExpect < 0 {
				if len(exp) != 0 {
					t.Errorf("addExpectations called %d times, pycti never", len(exp))
				}
			} else if len(exp) != 1 || exp[0].Variables["id"] != kw.WorkID || exp[0].Variables["expectations"] != float64(wantExpect) {
				t.Errorf("addExpectations %+v, pycti (%s, %d)", exp, kw.WorkID, wantExpect)
			}
			if len(r.msgs) != len(want) {
				t.Fatalf("%d publishes, pycti %d", len(r.msgs), len(want))
			}
			for i, w := range want {
				m := r.msgs[i]
				if m.Exchange != w["exchange"] || m.RoutingKey != w["routing_key"] {
					t.Errorf("publish %d: %s/%s, pycti %s/%s", i, m.Exchange, m.RoutingKey, w["exchange"], w["routing_key"])
				}
				wp := w["properties"].(map[string]any)
				if m.Properties.DeliveryMode != uint8(wp["delivery_mode"].(float64)) || m.Properties.ContentEncoding != wp["content_encoding"] ||
					m.Properties.ContentType != "" || m.Properties.Priority != 0 || len(m.Properties.Headers) != 0 || len(wp) != 2 {
					t.Errorf("publish %d: properties %+v, pycti %v", i, m.Properties, wp)
				}
				if string(m.Body) != w["body"] {
					t.Errorf("publish %d body:\n got %s\nwant %s", i, m.Body, w["body"])
				}
				wb, _ := base64.StdEncoding.DecodeString(w["body_bytes_b64"].(string))
				if string(wb) != string(m.Body) {
					t.Errorf("publish %d: body bytes differ", i)
				}
				if string(pieces[i]) != w["decoded_content"] {
					t.Errorf("publish %d piece:\n got %s\nwant %s", i, pieces[i], w["decoded_content"])
				}
			}
		})
	}
}

// TestNothingToImport6: a bundle whose objects are all unsupported gives
// pycti's "Nothing to import" and publishes nothing.
func TestNothingToImport6(t *testing.T) {
	r := &recorder{}
	h := offlineHelper6(t, r)
	for _, b := range []string{
		`{"type": "bundle", "id": "bundle--1", "objects": []}`,
		`{"type": "bundle", "objects": [{"type": "x-mitre-tactic", "id": "x-mitre-tactic--1"}]}`,
		`{"type": "bundle", "objects": [{"type": "relationship", "id": "relationship--1", "source_ref": "x-foo--1", "target_ref": "malware--2"}]}`,
	} {
		_, err := h.Send(context.Background(), b, SendOptions{})
		if !errors.Is(err, ErrNothingToImport) {
			t.Errorf("%s: %v, want ErrNothingToImport", b, err)
		}
	}
	if len(r.msgs) != 0 {
		t.Errorf("%d messages published", len(r.msgs))
	}
}

// offlineHelper6 is a 6.x helper without a platform (as in a dry run),
// publishing to pub.
func offlineHelper6(t testing.TB, pub Publisher) *Helper {
	cfg, err := parseConfig([]byte("connector:\n  id: '"+recordedConnectorID+"'\n  name: 'My Connector'\n  confidence_level: 3\n  log_level: 'info'\n"), "test", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Protocol = ProtocolOpenCTI6
	cfg.Publisher = pub
	cfg.NewUUID = counterUUID()
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// TestValueNotModified6: splitting a parsed value (the path of tests and
// benchmarks) leaves the
// caller's value as it was.
func TestValueNotModified6(t *testing.T) {
	text := `{"type": "bundle", "id": "bundle--1", "objects": [{"type": "malware", "id": "malware--1", "created_by_ref": "identity--404", "object_refs": ["x-foo--1"], "kill_chain_phases": [{"kill_chain_name": "a", "phase_name": "b"}, {"kill_chain_name": "a", "phase_name": "b"}]}]}`
	v, err := parseBundle([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	before := string(dumpsValue(v))
	h := offlineHelper6(t, &recorder{})
	if _, _, err := h.proto.(*protocol6).messagesValue(context.Background(), v, SendOptions{CleanupInconsistentBundle: true}); err != nil {
		t.Fatal(err)
	}
	if after := string(dumpsValue(v)); after != before {
		t.Fatalf("value modified:\n%s\n%s", before, after)
	}
}
