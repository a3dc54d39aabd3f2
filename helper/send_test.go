package helper

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// envelopeEntitiesTypes returns the "entities_types" text of a message body.
func envelopeEntitiesTypes(t *testing.T, body []byte) string {
	t.Helper()
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	s := string(body)
	i := strings.Index(s, `"entities_types": `)
	j := strings.Index(s, `, "content"`)
	if i < 0 || j < i {
		t.Fatalf("no entities_types in %.120s", body)
	}
	return s[i+len(`"entities_types": `) : j]
}

// TestEntitiesTypesRaw: what a ported connector passes as entities_types
// is sent as pycti sends it (a string stays a string, None becomes []),
// with both protocols.
func TestEntitiesTypesRaw(t *testing.T) {
	bundle := `{"type": "bundle", "id": "bundle--1", "objects": [{"type": "tool", "id": "tool--00000000-0000-4000-8000-000000000001", "name": "T"}]}`
	cases := []struct {
		opt  SendOptions
		want string
	}{
		{SendOptions{}, `[]`},
		{SendOptions{EntitiesTypes: []string{"Report", "Indicator"}}, `["Report", "Indicator"]`},
		{SendOptions{EntitiesTypesRaw: json.RawMessage(`"Report,Indicator"`)}, `"Report,Indicator"`},
		{SendOptions{EntitiesTypesRaw: json.RawMessage(`"R\u00e9port"`)}, `"R\u00e9port"`},
		{SendOptions{EntitiesTypesRaw: json.RawMessage(`null`), EntitiesTypes: []string{"a"}}, `["a"]`},
		{SendOptions{EntitiesTypesRaw: json.RawMessage(`["a","b"]`)}, `["a", "b"]`},
	}
	for _, proto := range []Protocol{ProtocolOpenCTI11, ProtocolOpenCTI6} {
		for _, tc := range cases {
			r := &recorder{}
			var h *Helper
			if proto == ProtocolOpenCTI6 {
				h = offlineHelper6(t, r)
			} else {
				var err error
				if h, err = New(context.Background(), testConfig(r)); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := h.Send(context.Background(), bundle, tc.opt); err != nil {
				t.Fatal(err)
			}
			if got := envelopeEntitiesTypes(t, r.msgs[0].Body); got != tc.want {
				t.Errorf("protocol %s, %+v: entities_types %s, want %s", proto, tc.opt, got, tc.want)
			}
		}
	}
	h := offlineHelper6(t, &recorder{})
	if _, err := h.Send(context.Background(), bundle, SendOptions{EntitiesTypesRaw: json.RawMessage(`Report`)}); err == nil {
		t.Fatal("accepted non-JSON EntitiesTypesRaw")
	}
}

// TestEventVersionEmpty: event_version "" is written, nil leaves it out.
func TestEventVersionEmpty(t *testing.T) {
	bundle := `{"type": "bundle", "id": "bundle--1", "objects": [{"type": "tool", "id": "tool--00000000-0000-4000-8000-000000000001", "name": "T"}]}`
	for _, tc := range []struct {
		ev   *string
		want string
	}{{nil, `]}`}, {ptr(""), `], "x_opencti_event_version": ""}`}, {ptr("4"), `], "x_opencti_event_version": "4"}`}} {
		pieces, err := offlineHelper6(t, &recorder{}).Send(context.Background(), bundle, SendOptions{EventVersion: tc.ev})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(string(pieces[0]), tc.want) {
			t.Errorf("event version %v: piece ends %q", tc.ev, pieces[0][len(pieces[0])-40:])
		}
	}
}

// TestCheckBundleBeforeConnecting: CheckBundle returns pycti's errors
// without touching the platform or the broker (the configuration names a
// platform and a broker that do not exist).
func TestCheckBundleBeforeConnecting(t *testing.T) {
	cfg, err := parseConfig([]byte("opencti:\n  url: 'http://127.0.0.1:1'\n  token: 't'\nconnector:\n  id: '"+recordedConnectorID+"'\n  name: 'c'\n  type: 'EXTERNAL_IMPORT'\n"), "test", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := CheckBundle(ctx, cfg, `{"type": "bundle", "objects": []}`, SendOptions{}); !errors.Is(err, ErrNothingToImport) {
		t.Fatalf("got %v", err)
	}
	if err := CheckBundle(ctx, cfg, `{"type": "bundle", "objects": [`, SendOptions{}); !errors.Is(err, ErrBundle) {
		t.Fatalf("got %v", err)
	}
	if err := CheckBundle(ctx, cfg, `{"type": "bundle", "objects": [{"type": "tool", "id": "tool--1"}]}`, SendOptions{}); err != nil {
		t.Fatal(err)
	}
	cfg.Protocol = ProtocolOpenCTI11
	if err := CheckBundle(ctx, cfg, `{"type": "bundle"}`, SendOptions{}); !errors.Is(err, ErrBundle) {
		t.Fatalf("1.1 without objects: %v", err)
	}
}

// TestSplitCancelled: a cancelled context stops the split of a large
// bundle (both protocols, both 6.x paths) with the context's error.
func TestSplitCancelled(t *testing.T) {
	bundle := bigBundle(20000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p11, err := newProtocol11(ctx, testConfig(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := p11.messages(ctx, bundle, SendOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("1.1: %v", err)
	}
	p6 := benchProtocol6()
	if _, _, err := p6.messages(ctx, bundle, SendOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("6.x: %v", err)
	}
	if _, _, err := p6.messagesValue(ctx, mustParse(t, string(bundle)), SendOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("6.x from a parsed value: %v", err)
	}
}
