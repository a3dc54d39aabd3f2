package helper

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzLoadPlatformConfig reads fuzzed values of the pycti 6.x keys (from the
// environment, as containers set them) and checks properties, not only
// the absence of a panic: a result or a *ConfigError naming the bad keys
// with their variables, never both; secrets never echoed; headers split
// into trimmed, non-empty names; durations non-negative for valid input;
// PEM values trimmed, and mqTLSConfig's errors never quoting them.
func FuzzLoadPlatformConfig(f *testing.F) {
	certPEM, keyPEM := testKeyPair(&testing.T{})
	f.Add("X-A: 1; X-B:2", "PT1H", "500", "5672", "\n"+keyPEM, certPEM, "yes")
	f.Add(";;", "P1DT2H3M4.5S", "1.5", "-1", "  -----BEGIN PRIVATE KEY-----\nAAAA\n", "", "no")
	f.Add("a:b:c;:x", "90s", "abc", "99999", "/no/such/file/secret", "/also/none", "maybe")
	f.Add("", "", "", "", "", "", "")
	f.Add("k:v", "PT", "1e3", "5_672", "xyzzy", "-----BEGIN CERTIFICATE-----", "True")
	f.Fuzz(func(t *testing.T, headers, period, threshold, port, key, cert, verify string) {
		env := map[string]string{
			"OPENCTI_URL": "http://127.0.0.1:1", "OPENCTI_TOKEN": "tok-Secret-42", "CONNECTOR_ID": "c0ffee00-0000-4000-8000-000000000001",
			"OPENCTI_CUSTOM_HEADERS": headers, "CONNECTOR_DURATION_PERIOD": period, "CONNECTOR_QUEUE_THRESHOLD": threshold,
			"MQ_PORT": port, "MQ_USE_SSL_KEY": key, "MQ_USE_SSL_CERT": cert, "OPENCTI_SSL_VERIFY": verify,
			"MQ_PASS": "mq-Secret-43",
		}
		cfg, err := parseConfig(nil, "", envMap(env))
		if err != nil {
			t.Skip() // the 1.1 keys are not what this fuzzes
		}
		c6, err := cfg.platform()
		if c6 == nil || !reflect.DeepEqual(*c6, cfg.Platform) {
			t.Fatalf("settings %v, Config.Platform %v (error %v)", c6, cfg.Platform, err)
		}
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || len(ce.Problems) == 0 {
				t.Fatalf("not a *ConfigError: %v", err)
			}
			for _, p := range ce.Problems {
				if !strings.Contains(p, "(") || !strings.Contains(p, ")") {
					t.Fatalf("problem without its variable: %q", p)
				}
			}
			for _, s := range []string{"tok-Secret-42", "mq-Secret-43"} {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("secret in error: %v", err)
				}
			}
			if k := strings.TrimSpace(key); len(k) > 8 && strings.Contains(err.Error(), k) {
				t.Fatalf("key value in error: %v", err)
			}
			return
		}
		for name, v := range c6.CustomHeaders {
			if name == "" || name != strings.TrimSpace(name) || v != strings.TrimSpace(v) {
				t.Fatalf("header %q: %q", name, v)
			}
		}
		if c6.DurationPeriod < 0 && !strings.Contains(period, "-") {
			t.Fatalf("negative period %v from %q", c6.DurationPeriod, period)
		}
		if c6.MQ.Port < 0 || c6.MQ.Port > 65535 {
			t.Fatalf("port %d", c6.MQ.Port)
		}
		if c6.MQ.SSLKey != strings.TrimSpace(c6.MQ.SSLKey) {
			t.Fatalf("key not trimmed")
		}
		tc, err := mqTLSConfig(c6.MQ, "mq.local")
		if err != nil {
			k := strings.TrimSpace(key)
			if len(k) > 8 && strings.Contains(err.Error(), k) {
				t.Fatalf("key value in error: %v", err)
			}
			return
		}
		if c6.MQ.SSLCert != "" && len(tc.Certificates) != 1 {
			t.Fatalf("certificate given, %d loaded", len(tc.Certificates))
		}
	})
}

// FuzzGraphQLResponse answers the client's queries with fuzzed bodies and
// statuses: every call returns a value or an *APIError (errors.Is
// ErrAPI), never both; a successful registration has its push names; the
// token never appears in an error; a successful queue read is
// non-negative.
func FuzzGraphQLResponse(f *testing.F) {
	f.Add(200, `{"data": {"registerConnector": {"id": "x", "config": {"push_exchange": "e", "push_routing": "r", "connection": {"host": "h", "port": 5672}}}}}`)
	f.Add(200, `{"data": {"connector": {"id": "x", "connector_queue_details": {"messages_number": 3, "messages_size": 1.5e6}}}}`)
	f.Add(200, `{"errors": [{"message": "boom", "extensions": {"code": "X", "data": {"reason": "r"}}}]}`)
	f.Add(500, `<html>oops</html>`)
	f.Add(200, `{"data": null}`)
	f.Add(200, `{"data": {"workAdd": {"id": ""}}}`)
	f.Add(401, `{"errors": [{"message": "tok-Secret-42"}]}`)
	f.Add(200, `{"data": {"connector": {"id": "x", "connector_queue_details": {"messages_number": -1, "messages_size": "7"}}}}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			status = 200
		}
		// The platform's answer, without a socket (fuzzing opens none).
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			rec := httptest.NewRecorder()
			rec.WriteHeader(status)
			rec.WriteString(body)
			return rec.Result(), nil
		})
		c, err := NewAPIClient(APIOptions{URL: "http://platform.test", Token: "tok-Secret-42", HTTPClient: &http.Client{Transport: rt, Timeout: 2 * time.Second}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		check := func(op string, ok bool, err error) {
			if ok == (err != nil) {
				t.Fatalf("%s: result %v and error %v", op, ok, err)
			}
			if err != nil {
				if !errors.Is(err, ErrAPI) {
					t.Fatalf("%s: not an API error: %v", op, err)
				}
				if strings.Contains(err.Error(), "tok-Secret-42") && !strings.Contains(body, "tok-Secret-42") {
					t.Fatalf("%s: token in error: %v", op, err)
				}
				if len(err.Error()) > 2000+len(body) {
					t.Fatalf("%s: error of %d bytes", op, len(err.Error()))
				}
			}
		}
		reg, err := c.registerConnector(ctx, connectorInput6{ID: "x", Name: "n", Type: "EXTERNAL_IMPORT"})
		check("registerConnector", reg != nil, err)
		if reg != nil {
			p := &protocol6{cfg: &PlatformConfig{}}
			if aerr := p.applyRegistration(reg); aerr == nil && (p.exchange == "" || p.routingKey == "") {
				t.Fatal("registration applied without push names")
			}
		}
		q, err := c.ConnectorQueue(ctx, "x")
		check("connector", err == nil, err)
		if err == nil && (q.Messages < 0 || q.SizeBytes < 0) {
			t.Fatalf("queue %+v", q)
		}
		id, err := c.InitiateWork(ctx, "x", "w")
		check("workAdd", id != "", err)
		st, err := c.pingConnector(ctx, "x", "")
		check("pingConnector", err == nil, err)
		if err == nil && st != "" && !json.Valid([]byte(st)) && !strings.Contains(body, st) {
			t.Fatalf("state %q not from the body", st)
		}
	})
}

// roundTripFunc is an http.RoundTripper from a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
