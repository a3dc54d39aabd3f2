package helper

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// ErrAPI is matched (errors.Is) by every error of the OpenCTI GraphQL API
// client.
var ErrAPI = errors.New("helper: OpenCTI API error")

// APIError is a failed GraphQL call: a transport error, an HTTP status
// other than 200, a body that is not GraphQL JSON, or GraphQL errors.
// It never holds the token.
type APIError struct {
	Op         string   // the operation ("registerConnector", "workAdd"…)
	StatusCode int      // HTTP status, 0 when no response arrived
	Messages   []string // GraphQL error messages, or a short body excerpt
	Err        error    // the transport error, if any
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("helper: OpenCTI API ")
	b.WriteString(e.Op)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.StatusCode)
	}
	if len(e.Messages) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(e.Messages, "; "))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is matches ErrAPI.
func (e *APIError) Is(target error) bool { return target == ErrAPI }

// Unwrap returns the transport error.
func (e *APIError) Unwrap() error { return e.Err }

// APIOptions configure an APIClient. The zero value of every optional
// field works.
type APIOptions struct {
	URL   string // the platform's base URL; the client posts to URL + "/graphql"
	Token string // sent as "Authorization: Bearer <token>"; never logged
	// InsecureSkipVerify disables TLS certificate verification
	// (pycti's OPENCTI_SSL_VERIFY=false).
	InsecureSkipVerify bool
	// Headers are added to every request (OPENCTI_CUSTOM_HEADERS).
	Headers map[string]string
	// Timeout bounds each request; 0 means 300 s (pycti's default).
	Timeout time.Duration
	// HTTPClient replaces the client built from the options above.
	HTTPClient *http.Client
	// Logger receives debug logs of the calls (never the token); nil
	// discards them.
	Logger *slog.Logger
}

// APIClient calls the OpenCTI GraphQL API as pycti 6.8.10 does. It is safe
// for concurrent use; every method honours its context.
type APIClient struct {
	endpoint string
	token    string
	headers  map[string]string
	http     *http.Client
	log      *slog.Logger
}

// NewAPIClient returns a client for the platform at opt.URL.
func NewAPIClient(opt APIOptions) (*APIClient, error) {
	u := strings.TrimRight(opt.URL, "/")
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return nil, fmt.Errorf("%w: opencti.url %q is not an http(s) URL", ErrConfig, opt.URL)
	}
	hc := opt.HTTPClient
	if hc == nil {
		timeout := opt.Timeout
		if timeout <= 0 {
			timeout = 300 * time.Second
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if opt.InsecureSkipVerify {
			tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // pycti's ssl_verify=false
		}
		hc = &http.Client{Timeout: timeout, Transport: tr}
	}
	logger := opt.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &APIClient{endpoint: u + "/graphql", token: opt.Token, headers: opt.Headers, http: hc, log: logger}, nil
}

// closeIdle releases the client's idle connections.
func (c *APIClient) closeIdle() { c.http.CloseIdleConnections() }

// maxAPIResponse bounds a GraphQL response body.
const maxAPIResponse = 64 << 20

// Query posts {"query", "variables"} and decodes "data" into out (which may
// be nil). GraphQL errors, non-200 statuses and undecodable bodies are
// *APIError.
func (c *APIClient) Query(ctx context.Context, op, query string, variables any, out any) error {
	body, err := json.Marshal(struct {
		Query     string `json:"query"`
		Variables any    `json:"variables"`
	}{query, variables})
	if err != nil {
		return &APIError{Op: op, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return &APIError{Op: op, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "stixkit-helper (pycti 6.8.10 protocol)")
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return &APIError{Op: op, Err: ctx.Err()}
		}
		// url.Error carries the URL, never the token (a header).
		return &APIError{Op: op, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIResponse))
	if err != nil {
		return &APIError{Op: op, StatusCode: resp.StatusCode, Err: err}
	}
	c.log.Debug("OpenCTI API call", "op", op, "status", resp.StatusCode, "duration", time.Since(start).Round(time.Millisecond))
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
				Data struct {
					Reason string `json:"reason"`
				} `json:"data"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	decodeErr := json.Unmarshal(data, &r)
	if decodeErr == nil && len(r.Errors) > 0 {
		e := &APIError{Op: op, StatusCode: resp.StatusCode}
		if resp.StatusCode == http.StatusOK {
			e.StatusCode = 0
		}
		for _, ge := range r.Errors {
			m := ge.Message
			if ge.Extensions.Code != "" {
				m += " (" + ge.Extensions.Code + ")"
			}
			if ge.Extensions.Data.Reason != "" {
				m += ": " + ge.Extensions.Data.Reason
			}
			e.Messages = append(e.Messages, m)
		}
		return e
	}
	if resp.StatusCode != http.StatusOK {
		return &APIError{Op: op, StatusCode: resp.StatusCode, Messages: []string{excerpt(data)}}
	}
	if decodeErr != nil {
		return &APIError{Op: op, StatusCode: resp.StatusCode, Messages: []string{"response is not GraphQL JSON: " + excerpt(data)}}
	}
	if out != nil {
		if len(r.Data) == 0 || string(r.Data) == "null" {
			return &APIError{Op: op, Messages: []string{"response has no data"}}
		}
		if err := json.Unmarshal(r.Data, out); err != nil {
			return &APIError{Op: op, Messages: []string{"unexpected data: " + err.Error()}}
		}
	}
	return nil
}

func excerpt(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// connectorInput6 is the input of registerConnector (pycti's
// OpenCTIConnector.to_input()).
type connectorInput6 struct {
	ID                   string   `json:"id"`
	Name                 string   `json:"name"`
	Type                 string   `json:"type"`
	Scope                []string `json:"scope"`
	Auto                 bool     `json:"auto"`
	AutoUpdate           bool     `json:"auto_update"`
	EnrichmentResolution string   `json:"enrichment_resolution"`
	OnlyContextual       bool     `json:"only_contextual"`
	PlaybookCompatible   bool     `json:"playbook_compatible"`
	ListenCallbackURI    *string  `json:"listen_callback_uri"`
}

// registration6 is what registerConnector returns.
type registration6 struct {
	ID             string  `json:"id"`
	ConnectorState *string `json:"connector_state"` // JSON text of the saved state, or null
	Config         struct {
		Connection struct {
			Host   string `json:"host"`
			VHost  string `json:"vhost"`
			UseSSL bool   `json:"use_ssl"`
			Port   int    `json:"port"`
			User   string `json:"user"`
			Pass   string `json:"pass"` // never logged
		} `json:"connection"`
		Listen         string `json:"listen"`
		ListenRouting  string `json:"listen_routing"`
		ListenExchange string `json:"listen_exchange"`
		Push           string `json:"push"`
		PushRouting    string `json:"push_routing"`
		PushExchange   string `json:"push_exchange"`
	} `json:"config"`
	ConnectorUserID *string `json:"connector_user_id"`
}

// Query texts of pycti 6.8.10.
const (
	queryRegister6 = `mutation RegisterConnector($input: RegisterConnectorInput) {
  registerConnector(input: $input) {
    id
    connector_state
    config {
      connection { host vhost use_ssl port user pass }
      listen listen_routing listen_exchange push push_routing push_exchange
    }
    connector_user_id
  }
}`
	queryPing6 = `mutation PingConnector($id: ID!, $state: String) {
  pingConnector(id: $id, state: $state) { id connector_state }
}`
	queryWorkAdd6 = `mutation workAdd($connectorId: String!, $friendlyName: String) {
  workAdd(connectorId: $connectorId, friendlyName: $friendlyName) { id }
}`
	queryAddExpectations6 = `mutation addExpectations($id: ID!, $expectations: Int) {
  workEdit(id: $id) { addExpectations(expectations: $expectations) }
}`
	queryToReceived6 = `mutation workToReceived($id: ID!, $message: String) {
  workEdit(id: $id) { toReceived(message: $message) }
}`
	queryToProcessed6 = `mutation workToProcessed($id: ID!, $message: String, $inError: Boolean) {
  workEdit(id: $id) { toProcessed(message: $message, inError: $inError) }
}`
)

// registerConnector registers the connector and returns the platform's
// answer: its id, saved state, broker connection and push/listen queues.
func (c *APIClient) registerConnector(ctx context.Context, in connectorInput6) (*registration6, error) {
	if in.Scope == nil {
		in.Scope = []string{}
	}
	var out struct {
		R *registration6 `json:"registerConnector"`
	}
	if err := c.Query(ctx, "registerConnector", queryRegister6, map[string]any{"input": in}, &out); err != nil {
		return nil, err
	}
	if out.R == nil {
		return nil, &APIError{Op: "registerConnector", Messages: []string{"no registration returned"}}
	}
	return out.R, nil
}

// pingConnector tells the platform the connector is alive and sends its
// state (JSON text, "" for none). It returns the platform's state (JSON
// text or "" for null), which may have been reset from the UI.
func (c *APIClient) pingConnector(ctx context.Context, id, state string) (string, error) {
	if state == "" {
		state = "null" // json.dumps(None)
	}
	vars := map[string]any{"id": id, "state": state}
	var out struct {
		P *struct {
			ID             string  `json:"id"`
			ConnectorState *string `json:"connector_state"`
		} `json:"pingConnector"`
	}
	if err := c.Query(ctx, "pingConnector", queryPing6, vars, &out); err != nil {
		return "", err
	}
	if out.P == nil || out.P.ConnectorState == nil {
		return "", nil
	}
	return *out.P.ConnectorState, nil
}

// InitiateWork creates a work for the connector (pycti's
// api.work.initiate_work) and returns its id.
func (c *APIClient) InitiateWork(ctx context.Context, connectorID, friendlyName string) (string, error) {
	var out struct {
		W *struct {
			ID string `json:"id"`
		} `json:"workAdd"`
	}
	if err := c.Query(ctx, "workAdd", queryWorkAdd6, map[string]any{"connectorId": connectorID, "friendlyName": friendlyName}, &out); err != nil {
		return "", err
	}
	if out.W == nil || out.W.ID == "" {
		return "", &APIError{Op: "workAdd", Messages: []string{"no work id returned"}}
	}
	return out.W.ID, nil
}

// AddExpectations tells the platform how many bundles a work will receive.
func (c *APIClient) AddExpectations(ctx context.Context, workID string, n int) error {
	return c.Query(ctx, "addExpectations", queryAddExpectations6, map[string]any{"id": workID, "expectations": n}, nil)
}

// ToReceived marks a work received, with a message.
func (c *APIClient) ToReceived(ctx context.Context, workID, message string) error {
	return c.Query(ctx, "toReceived", queryToReceived6, map[string]any{"id": workID, "message": message}, nil)
}

// ToProcessed marks a work processed, with a message; inError marks it
// failed.
func (c *APIClient) ToProcessed(ctx context.Context, workID, message string, inError bool) error {
	return c.Query(ctx, "toProcessed", queryToProcessed6, map[string]any{"id": workID, "message": message, "inError": inError}, nil)
}

// queryConnector6 is the query of pycti 6.8.10's api.connector.read, which
// check_connector_buffering uses for the queue size.
const queryConnector6 = `query GetConnector($id: String!) {
  connector(id: $id) {
    id
    name
    active
    auto
    only_contextual
    connector_type
    connector_scope
    connector_state
    connector_queue_details { messages_number messages_size }
    updated_at
    created_at
    config { listen listen_exchange push push_exchange push_routing }
    built_in
  }
}`

// QueueDetails is the connector's push queue as the platform reports it.
type QueueDetails struct {
	Messages  int64 // messages_number
	SizeBytes int64 // messages_size, in bytes
}

// ConnectorQueue returns the connector's queue details (pycti's
// api.connector.read(...)["connector_queue_details"]).
func (c *APIClient) ConnectorQueue(ctx context.Context, connectorID string) (QueueDetails, error) {
	var out struct {
		C *struct {
			ID      string `json:"id"`
			Details *struct {
				Number json.Number `json:"messages_number"`
				Size   json.Number `json:"messages_size"`
			} `json:"connector_queue_details"`
		} `json:"connector"`
	}
	if err := c.Query(ctx, "connector", queryConnector6, map[string]any{"id": connectorID}, &out); err != nil {
		return QueueDetails{}, err
	}
	if out.C == nil || out.C.ID == "" || out.C.Details == nil {
		return QueueDetails{}, &APIError{Op: "connector", Messages: []string{"no connector details returned"}}
	}
	n, err1 := numberInt(out.C.Details.Number)
	s, err2 := numberInt(out.C.Details.Size)
	if err1 != nil || err2 != nil || n < 0 || s < 0 {
		return QueueDetails{}, &APIError{Op: "connector", Messages: []string{"queue details are not non-negative numbers"}}
	}
	return QueueDetails{Messages: n, SizeBytes: s}, nil
}

// numberInt reads an integral JSON number (possibly written as a float).
func numberInt(n json.Number) (int64, error) {
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil || f != float64(int64(f)) {
		return 0, fmt.Errorf("not an integer: %q", n)
	}
	return int64(f), nil
}
