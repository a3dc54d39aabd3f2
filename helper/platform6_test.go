package helper

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakePlatform is an httptest GraphQL server answering the documented
// shapes of the OpenCTI 6.x API and recording every call.
type fakePlatform struct {
	t      testing.TB
	srv    *httptest.Server
	token  string
	userID string
	// push/connection returned by registerConnector
	host         string
	port         int
	mqUser       string
	mqPass       string
	pushExchange string
	pushRouting  string
	state        *string
	// onRegister, when set, runs on registration (declares the queues).
	onRegister func(connectorID string)
	failOp     string // operation answered with a GraphQL error
	// queueSize reports the connector's queue (messages, bytes) for the
	// connector query; nil reports an empty queue.
	queueSize func() (messages, bytes int64)

	mu    sync.Mutex
	calls []gqlCall
	works int
}

// gqlCall is one recorded GraphQL request.
type gqlCall struct {
	Op        string
	Query     string
	Variables map[string]any
	Header    http.Header
}

func newFakePlatform(t testing.TB) *fakePlatform {
	f := &fakePlatform{t: t, token: "secret-token-1234", userID: "88ec0c6a-13ce-5e39-b486-354fe4a7084f",
		host: "rabbitmq", port: 5672, mqUser: "guest", mqPass: "guest", pushExchange: pushExchange6}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// opOf returns the GraphQL field the query calls.
func opOf(q string) string {
	for _, op := range []string{"registerConnector", "pingConnector", "workAdd", "addExpectations", "toReceived", "toProcessed", "connector"} {
		if strings.Contains(q, op+"(") {
			return op
		}
	}
	return "unknown"
}

func (f *fakePlatform) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/graphql" || r.Method != http.MethodPost {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"errors": [{"message": "You must be logged in to do this.", "extensions": {"code": "AUTH_REQUIRED"}}]}`)
		return
	}
	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	op := opOf(req.Query)
	f.mu.Lock()
	f.calls = append(f.calls, gqlCall{Op: op, Query: req.Query, Variables: req.Variables, Header: r.Header.Clone()})
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if op == f.failOp {
		io.WriteString(w, `{"errors": [{"message": "Something bad", "extensions": {"code": "FUNCTIONAL_ERROR", "data": {"reason": "test failure"}}}], "data": null}`)
		return
	}
	var data any
	switch op {
	case "registerConnector":
		in, _ := req.Variables["input"].(map[string]any)
		id, _ := in["id"].(string)
		if f.onRegister != nil {
			f.onRegister(id)
		}
		routing := f.pushRouting
		if routing == "" {
			routing = pushRoutingPrefix6 + id
		}
		data = map[string]any{"registerConnector": map[string]any{
			"id": id, "connector_state": f.state,
			"config": map[string]any{
				"connection": map[string]any{"host": f.host, "vhost": "/", "use_ssl": false, "port": f.port, "user": f.mqUser, "pass": f.mqPass},
				"listen":     "listen_" + id, "listen_routing": "listen_routing_" + id, "listen_exchange": "amqp.connector.exchange",
				"push": "push_" + id, "push_routing": routing, "push_exchange": f.pushExchange,
			},
			"connector_user_id": f.userID,
		}}
	case "pingConnector":
		st, _ := req.Variables["state"].(string)
		data = map[string]any{"pingConnector": map[string]any{"id": req.Variables["id"], "connector_state": st}}
	case "workAdd":
		f.mu.Lock()
		f.works++
		n := f.works
		f.mu.Unlock()
		data = map[string]any{"workAdd": map[string]any{"id": "work-" + string(rune('0'+n))}}
	case "addExpectations":
		data = map[string]any{"workEdit": map[string]any{"addExpectations": "ok"}}
	case "toReceived":
		data = map[string]any{"workEdit": map[string]any{"toReceived": "ok"}}
	case "toProcessed":
		data = map[string]any{"workEdit": map[string]any{"toProcessed": "ok"}}
	case "connector":
		var n, b int64
		if f.queueSize != nil {
			n, b = f.queueSize()
		}
		data = map[string]any{"connector": map[string]any{"id": req.Variables["id"], "name": "My Connector", "active": true,
			"connector_queue_details": map[string]any{"messages_number": n, "messages_size": b}}}
	default:
		io.WriteString(w, `{"errors": [{"message": "unknown operation"}]}`)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"data": data})
}

// ops returns the recorded operation names.
func (f *fakePlatform) ops() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		out = append(out, c.Op)
	}
	return out
}

func (f *fakePlatform) callsOf(op string) []gqlCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []gqlCall
	for _, c := range f.calls {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

// config6YAML is a 6.x config.yml for the fake platform.
func (f *fakePlatform) configYAML(connectorID string) []byte {
	return []byte("opencti:\n  url: '" + f.srv.URL + "'\n  token: '" + f.token + "'\n" +
		"connector:\n  id: '" + connectorID + "'\n  type: 'EXTERNAL_IMPORT'\n  name: 'My Connector'\n  scope: 'identity,indicator'\n  log_level: 'info'\n  duration_period: 'PT1H'\n")
}

// noEnv is a lookup without environment variables.
func noEnv(string) (string, bool) { return "", false }
