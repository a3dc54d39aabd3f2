package helper

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestRegister6 checks the registration request (query, variables, bearer
// token, custom headers) and what the helper keeps from the answer.
func TestRegister6(t *testing.T) {
	plat := newFakePlatform(t)
	st := `{"last_run": 12}`
	plat.state = &st
	yml := string(plat.configYAML("c0ffee00-0000-4000-8000-000000000001")) + "  auto: 'true'\n"
	yml = strings.Replace(yml, "opencti:\n", "opencti:\n  custom_headers: 'X-Tenant:acme; X-Trace:1'\n", 1)
	cfg, err := parseConfig([]byte(yml), "test", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Publisher = &recorder{}
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	regs := plat.callsOf("registerConnector")
	if len(regs) != 1 {
		t.Fatalf("calls %v", plat.ops())
	}
	c := regs[0]
	for _, want := range []string{"mutation RegisterConnector($input: RegisterConnectorInput)", "registerConnector(input: $input)", "connector_state", "connection { host vhost use_ssl port user pass }", "push push_routing push_exchange", "connector_user_id"} {
		if !strings.Contains(c.Query, want) {
			t.Errorf("query lacks %q:\n%s", want, c.Query)
		}
	}
	wantInput := map[string]any{"id": "c0ffee00-0000-4000-8000-000000000001", "name": "My Connector", "type": "EXTERNAL_IMPORT",
		"scope": []any{"identity", "indicator"}, "auto": true, "auto_update": false, "enrichment_resolution": "none",
		"only_contextual": false, "playbook_compatible": false, "listen_callback_uri": nil}
	if got := c.Variables["input"]; !reflect.DeepEqual(got, wantInput) {
		t.Errorf("input\n got %v\nwant %v", got, wantInput)
	}
	if c.Header.Get("X-Tenant") != "acme" || c.Header.Get("X-Trace") != "1" || c.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", c.Header)
	}
	if h.ConnectorID() != "c0ffee00-0000-4000-8000-000000000001" || h.API() == nil {
		t.Errorf("connector id %q", h.ConnectorID())
	}
	p := h.proto.(*protocol6)
	if p.exchange != pushExchange6 || p.routingKey != "push_routing_c0ffee00-0000-4000-8000-000000000001" || *p.applicant != plat.userID {
		t.Errorf("push %s/%s applicant %v", p.exchange, p.routingKey, p.applicant)
	}
	b, ok := p.Broker()
	if !ok || b.Hostname != "rabbitmq" || b.Port != 5672 || b.Username != "guest" || b.VHost != "/" || b.Heartbeat != 10*time.Second {
		t.Errorf("broker %+v", b)
	}
	var state struct {
		LastRun int `json:"last_run"`
	}
	if ok, err := h.State(&state); !ok || err != nil || state.LastRun != 12 {
		t.Errorf("state %v %v %+v", ok, err, state)
	}
	// SetState then a ping sends it.
	if err := h.SetState(map[string]int{"last_run": 13}); err != nil {
		t.Fatal(err)
	}
	if err := h.ForcePing(context.Background()); err != nil {
		t.Fatal(err)
	}
	pings := plat.callsOf("pingConnector")
	if len(pings) != 1 || pings[0].Variables["state"] != `{"last_run":13}` || pings[0].Variables["id"] != h.ConnectorID() {
		t.Errorf("pings %+v", pings)
	}
}

// TestMQOverrides6: MQ_* settings replace the registration's connection.
func TestMQOverrides6(t *testing.T) {
	plat := newFakePlatform(t)
	env := map[string]string{"MQ_HOST": "mq.local", "MQ_PORT": "5673", "MQ_USER": "u", "MQ_PASS": "p", "MQ_VHOST": "v", "MQ_USE_SSL": "true"}
	cfg, err := parseConfig(plat.configYAML("c0ffee00-0000-4000-8000-000000000002"), "test", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Publisher = &recorder{}
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	b, _ := h.proto.Broker()
	if b.Hostname != "mq.local" || b.Port != 5673 || b.Username != "u" || b.Password != "p" || b.VHost != "v" || !b.UseTLS || b.TLS == nil || !b.TLS.InsecureSkipVerify || b.TLS.ServerName != "mq.local" {
		t.Errorf("broker %+v", b)
	}
}

// TestAPIClientWork6 checks the work mutations and their variables.
func TestAPIClientWork6(t *testing.T) {
	plat := newFakePlatform(t)
	c, err := NewAPIClient(APIOptions{URL: plat.srv.URL + "/", Token: plat.token})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, err := c.InitiateWork(ctx, "conn-1", "run @ now")
	if err != nil || id != "work-1" {
		t.Fatalf("work %q %v", id, err)
	}
	if err := c.AddExpectations(ctx, id, 7); err != nil {
		t.Fatal(err)
	}
	if err := c.ToReceived(ctx, id, "got it"); err != nil {
		t.Fatal(err)
	}
	if err := c.ToProcessed(ctx, id, "done", true); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		op   string
		vars map[string]any
		q    string
	}{
		{"workAdd", map[string]any{"connectorId": "conn-1", "friendlyName": "run @ now"}, "mutation workAdd($connectorId: String!, $friendlyName: String)"},
		{"addExpectations", map[string]any{"id": "work-1", "expectations": float64(7)}, "addExpectations(expectations: $expectations)"},
		{"toReceived", map[string]any{"id": "work-1", "message": "got it"}, "toReceived(message: $message)"},
		{"toProcessed", map[string]any{"id": "work-1", "message": "done", "inError": true}, "toProcessed(message: $message, inError: $inError)"},
	}
	plat.mu.Lock()
	defer plat.mu.Unlock()
	if len(plat.calls) != len(want) {
		t.Fatalf("calls %d", len(plat.calls))
	}
	for i, w := range want {
		c := plat.calls[i]
		if c.Op != w.op || !reflect.DeepEqual(c.Variables, w.vars) || !strings.Contains(c.Query, w.q) {
			t.Errorf("call %d: %s %v\n%s", i, c.Op, c.Variables, c.Query)
		}
		if c.Header.Get("Authorization") != "Bearer "+plat.token {
			t.Errorf("call %d: no bearer token", i)
		}
	}
}

// TestAPIErrors6: HTTP and GraphQL failures are *APIError naming the
// operation, never containing the token.
func TestAPIErrors6(t *testing.T) {
	plat := newFakePlatform(t)
	plat.failOp = "workAdd"
	ctx := context.Background()
	check := func(name string, err error, wantSub string) {
		t.Helper()
		var ae *APIError
		if !errors.As(err, &ae) || !errors.Is(err, ErrAPI) {
			t.Fatalf("%s: %v is not an APIError", name, err)
		}
		if !strings.Contains(err.Error(), wantSub) {
			t.Errorf("%s: %q lacks %q", name, err, wantSub)
		}
		if strings.Contains(err.Error(), plat.token) {
			t.Errorf("%s: token in error %q", name, err)
		}
	}
	good, _ := NewAPIClient(APIOptions{URL: plat.srv.URL, Token: plat.token})
	_, err := good.InitiateWork(ctx, "c", "n")
	check("graphql error", err, "workAdd: Something bad (FUNCTIONAL_ERROR): test failure")

	wrong, _ := NewAPIClient(APIOptions{URL: plat.srv.URL, Token: "wrong-token"})
	_, err = wrong.InitiateWork(ctx, "c", "n")
	check("unauthorized", err, "HTTP 401")

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("<html>bad gateway</html>"))
	}))
	defer srv.Close()
	gw, _ := NewAPIClient(APIOptions{URL: srv.URL, Token: plat.token})
	check("502", gw.ToProcessed(ctx, "w", "m", false), "HTTP 502: <html>bad gateway</html>")

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(300 * time.Millisecond) }))
	defer slow.Close()
	to, _ := NewAPIClient(APIOptions{URL: slow.URL, Token: plat.token, Timeout: 50 * time.Millisecond})
	check("timeout", to.AddExpectations(ctx, "w", 1), "addExpectations")

	down, _ := NewAPIClient(APIOptions{URL: "http://127.0.0.1:1", Token: plat.token})
	check("refused", down.ToReceived(ctx, "w", "m"), "toReceived")

	if _, err := NewAPIClient(APIOptions{URL: "ftp://x"}); !errors.Is(err, ErrConfig) {
		t.Errorf("ftp URL: %v", err)
	}
	// Registration failure surfaces from New.
	plat.failOp = "registerConnector"
	cfg, _ := parseConfig(plat.configYAML("c0ffee00-0000-4000-8000-000000000003"), "test", noEnv)
	cfg.Publisher = &recorder{}
	if _, err := New(ctx, cfg); !errors.Is(err, ErrAPI) {
		t.Errorf("New with a failing registration: %v", err)
	}
}

// TestExpectationFailureNotFatal6: as in pycti, a failing addExpectations
// is logged and the bundle is still sent.
func TestExpectationFailureNotFatal6(t *testing.T) {
	plat := newFakePlatform(t)
	plat.failOp = "addExpectations"
	cfg, _ := parseConfig(plat.configYAML(recordedConnectorID), "test", noEnv)
	r := &recorder{}
	cfg.Publisher = r
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Send(context.Background(), `{"objects": [{"type": "tool", "id": "tool--1"}]}`, SendOptions{WorkID: "w"}); err != nil {
		t.Fatal(err)
	}
	if len(r.msgs) != 1 || !strings.HasSuffix(string(r.msgs[0].Body), `"work_id": "w"}`) {
		t.Errorf("messages %d", len(r.msgs))
	}
}

// TestScheduleWork6 runs one scheduled run (run_and_terminate) and checks
// the work lifecycle: workAdd, addExpectations, toProcessed, ping.
func TestScheduleWork6(t *testing.T) {
	for _, fail := range []bool{false, true} {
		plat := newFakePlatform(t)
		yml := string(plat.configYAML(recordedConnectorID)) + "  run_and_terminate: 'true'\n"
		cfg, err := parseConfig([]byte(yml), "test", noEnv)
		if err != nil {
			t.Fatal(err)
		}
		r := &recorder{}
		cfg.Publisher = r
		h, err := New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		err = h.ScheduleWork(context.Background(), "IOC import", func(ctx context.Context, w *Work) error {
			if _, err := w.Send(ctx, `{"objects": [{"type": "tool", "id": "tool--1"}, {"type": "malware", "id": "malware--1"}]}`, SendOptions{}); err != nil {
				return err
			}
			if fail {
				return errors.New("source down")
			}
			return h.SetState(map[string]string{"cursor": "x"})
		})
		h.Close()
		if (err != nil) != fail {
			t.Fatalf("fail=%v: %v", fail, err)
		}
		want := []string{"registerConnector", "connector", "workAdd", "addExpectations", "toProcessed", "pingConnector"}
		if got := plat.ops(); !reflect.DeepEqual(got, want) {
			t.Fatalf("ops %v, want %v", got, want)
		}
		tp := plat.callsOf("toProcessed")[0].Variables
		if tp["inError"] != fail || tp["id"] != "work-1" {
			t.Errorf("toProcessed %v", tp)
		}
		if e := plat.callsOf("addExpectations")[0].Variables; e["expectations"] != float64(2) || e["id"] != "work-1" {
			t.Errorf("expectations %v", e)
		}
		if !strings.Contains(string(r.msgs[0].Body), `"work_id": "work-1"`) {
			t.Errorf("body %s", r.msgs[0].Body)
		}
	}
}

// TestPingLoop6: the ping loop runs at its interval and stops on Close.
func TestPingLoop6(t *testing.T) {
	plat := newFakePlatform(t)
	cfg, _ := parseConfig(plat.configYAML(recordedConnectorID), "test", noEnv)
	cfg.Publisher = &recorder{}
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := h.proto.(*protocol6)
	p.close() // restart with a short interval
	p.pingInterval = 10 * time.Millisecond
	p.startPing()
	time.Sleep(80 * time.Millisecond)
	h.Close()
	// A ping in flight when Close cancels it may still reach the server's
	// handler; let it land before counting.
	time.Sleep(30 * time.Millisecond)
	n := len(plat.callsOf("pingConnector"))
	if n < 2 {
		t.Fatalf("%d pings", n)
	}
	time.Sleep(40 * time.Millisecond)
	if m := len(plat.callsOf("pingConnector")); m != n {
		t.Errorf("pings after Close: %d → %d", n, m)
	}
}
