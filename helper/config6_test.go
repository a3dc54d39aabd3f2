package helper

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestPlatformConfig reads settings as pycti's get_config_variable does.
func TestPlatformConfig(t *testing.T) {
	yml := `opencti:
  url: 'http://localhost:8080/'
  token: 'tok'
connector:
  id: 'c1'
  type: 'external_import'
  name: 'Feed'
  scope: 'indicator,identity'
  duration_period: 'PT1H30M'
  queue_threshold: 250
  run_and_terminate: 'yes'
`
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c *PlatformConfig)
	}{
		{"file values", nil, func(t *testing.T, c *PlatformConfig) {
			if c.URL != "http://localhost:8080" || c.Token != "tok" || c.ConnectorID != "c1" || c.Type != "EXTERNAL_IMPORT" ||
				c.Name != "Feed" || strings.Join(c.Scope, "|") != "indicator|identity" || c.DurationPeriod != 90*time.Minute ||
				c.QueueThresholdMB != 250 || !c.RunAndTerminate || c.LogLevel != "ERROR" || c.SSLVerify || !c.JSONLogging || !c.SendToQueue || c.QueueProtocol != "amqp" {
				t.Errorf("%+v", c)
			}
		}},
		{"env wins, pycti booleans and numbers", map[string]string{
			"OPENCTI_URL": "https://octi", "CONNECTOR_ID": "c2", "CONNECTOR_RUN_AND_TERMINATE": "False",
			"CONNECTOR_DURATION_PERIOD": "P1D", "CONNECTOR_QUEUE_THRESHOLD": " 1_000 ", "OPENCTI_SSL_VERIFY": "true",
			"CONNECTOR_LOG_LEVEL": "debug", "CONNECTOR_SCOPE": "", "MQ_PORT": "5671",
		}, func(t *testing.T, c *PlatformConfig) {
			if c.URL != "https://octi" || c.ConnectorID != "c2" || c.RunAndTerminate || c.DurationPeriod != 24*time.Hour ||
				c.QueueThresholdMB != 1000 || !c.SSLVerify || c.LogLevel != "DEBUG" || c.MQ.Port != 5671 {
				t.Errorf("%+v", c)
			}
			// An empty env value means the default, as in pycti.
			if strings.Join(c.Scope, ",") != "not-applicable" {
				t.Errorf("scope %v", c.Scope)
			}
		}},
		{"seconds as a number", map[string]string{"CONNECTOR_DURATION_PERIOD": "3600"}, func(t *testing.T, c *PlatformConfig) {
			if c.DurationPeriod != time.Hour {
				t.Errorf("%v", c.DurationPeriod)
			}
		}},
		{"custom headers", map[string]string{"OPENCTI_CUSTOM_HEADERS": "A:1;B: two"}, func(t *testing.T, c *PlatformConfig) {
			if c.CustomHeaders["A"] != "1" || c.CustomHeaders["B"] != "two" {
				t.Errorf("%v", c.CustomHeaders)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig([]byte(yml), "config.yml", func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if err != nil {
				t.Fatal(err)
			}
			if cfg.SelectedProtocol() != ProtocolOpenCTI6 {
				t.Errorf("protocol %s", cfg.SelectedProtocol())
			}
			if cfg.platformErr != nil {
				t.Fatal(cfg.platformErr)
			}
			tc.check(t, &cfg.Platform) // filled by the loader
		})
	}
}

// TestPlatformConfigErrors: every bad value is named in one *ConfigError; the
// token and passwords never appear.
func TestPlatformConfigErrors(t *testing.T) {
	env := map[string]string{"CONNECTOR_QUEUE_THRESHOLD": "lots", "CONNECTOR_DURATION_PERIOD": "hourly", "MQ_PORT": "99999", "CONNECTOR_AUTO": "maybe"}
	cfg, err := parseConfig([]byte("opencti:\n  url: 'http://x'\n  token: 'sekret-token'\nconnector:\n  id: 'c'\n  log_level: 'info'\n"), "config.yml", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	// The loader keeps the problems for New, which reports them before
	// anything connects.
	_, err = New(context.Background(), cfg)
	var ce *ConfigError
	if !errors.As(err, &ce) || !errors.Is(err, ErrConfig) {
		t.Fatalf("%v", err)
	}
	for _, k := range []string{"CONNECTOR_QUEUE_THRESHOLD", "CONNECTOR_DURATION_PERIOD", "MQ_PORT", "CONNECTOR_AUTO"} {
		if !strings.Contains(err.Error(), k) {
			t.Errorf("%s not named in %v", k, err)
		}
	}
	if strings.Contains(err.Error(), "sekret") {
		t.Error("token in error")
	}
	// Registration needs url, token, name and a known type.
	c6 := &PlatformConfig{ConnectorID: "c", Type: "NOPE"}
	err = c6.validate("env", true)
	for _, k := range []string{"OPENCTI_URL", "OPENCTI_TOKEN", "CONNECTOR_NAME", "CONNECTOR_TYPE"} {
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s not named in %v", k, err)
		}
	}
	if err := (&PlatformConfig{}).validate("env", false); err == nil || !strings.Contains(err.Error(), "CONNECTOR_ID") {
		t.Errorf("dry run without connector id: %v", err)
	}
}

// TestPlatformConfigNo11Keys: a 6.x configuration needs no confidence_level and
// no log_level (the 1.1 mandatory keys).
func TestPlatformConfigNo11Keys(t *testing.T) {
	cfg, err := parseConfig([]byte("opencti:\n  url: 'http://x'\n  token: 't'\nconnector:\n  id: 'c'\n  type: 'EXTERNAL_IMPORT'\n  name: 'n'\n"), "config.yml", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Connector.LogLevel != "error" || cfg.Connector.Name != "n" {
		t.Errorf("%+v", cfg.Connector)
	}
	// Without opencti.url the 1.1 rules apply.
	if _, err := parseConfig([]byte("connector:\n  id: 'c'\n"), "config.yml", noEnv); err == nil {
		t.Error("1.1 config without its mandatory keys accepted")
	}
}

// TestSelectedProtocol: Config.Protocol wins; else opencti.url and
// opencti.token select the current protocol; else 1.1.
func TestSelectedProtocol(t *testing.T) {
	v11 := []byte("connector:\n  name: 'n'\n  confidence_level: 3\n  log_level: 'info'\n")
	v6 := []byte("opencti:\n  url: 'http://x'\n  token: 't'\nconnector:\n  id: 'c'\n")
	for _, tc := range []struct {
		yml  []byte
		set  Protocol
		want Protocol
	}{
		{v11, "", ProtocolOpenCTI11},
		{v6, "", ProtocolOpenCTI6},
		{v11, ProtocolOpenCTI6, ProtocolOpenCTI6},
		{v6, ProtocolOpenCTI11, ProtocolOpenCTI11},
	} {
		cfg, err := parseConfig(tc.yml, "config.yml", noEnv)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Protocol = tc.set
		if got := cfg.SelectedProtocol(); got != tc.want {
			t.Errorf("%q with Protocol %q: got %q, want %q", tc.yml, tc.set, got, tc.want)
		}
	}
	cfg := &Config{Protocol: "2"}
	if _, err := New(context.Background(), cfg); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), `"2" is not available (have 1.1, 6)`) {
		t.Errorf("unknown protocol: %v", err)
	}
}

// TestPlatformConfigDeferred: a 1.1 configuration with ill-typed
// current-protocol keys loads and runs with 1.1 (those keys are not
// its own); selecting ProtocolOpenCTI6 reports them from New. A change
// to Config.Platform made in code before New is used.
func TestPlatformConfigDeferred(t *testing.T) {
	yml := []byte("connector:\n  name: 'n'\n  confidence_level: 3\n  log_level: 'info'\n  id: 'c0ffee00-0000-4000-8000-00000000000a'\n")
	cfg, err := parseConfig(yml, "config.yml", envMap(map[string]string{"MQ_PORT": "abc"}))
	if err != nil {
		t.Fatalf("1.1 configuration refused for a 6.x key: %v", err)
	}
	if env := cfg.EnvOverrides(); len(env) != 0 {
		t.Errorf("a key 1.1 does not use reported as an override: %v", env)
	}
	cfg.DryRun, cfg.DryRunOutput, cfg.StateFile = true, &strings.Builder{}, t.TempDir()+"/state.json"
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("1.1: %v", err)
	}
	h.Close()
	cfg.Protocol = ProtocolOpenCTI6
	if _, err := New(context.Background(), cfg); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "MQ_PORT") {
		t.Fatalf("6 with MQ_PORT=abc: %v", err)
	}

	cfg, err = parseConfig(yml, "config.yml", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	out := &strings.Builder{}
	cfg.Protocol, cfg.DryRun, cfg.DryRunOutput, cfg.StateFile = ProtocolOpenCTI6, true, out, t.TempDir()+"/state.json"
	cfg.Platform.ConnectorID = "c0ffee00-0000-4000-8000-00000000000b"
	h, err = New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Send(context.Background(), `{"type": "bundle", "id": "bundle--1", "objects": [{"type": "identity", "id": "identity--1", "name": "A"}]}`, SendOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"push_routing_c0ffee00-0000-4000-8000-00000000000b"`) {
		t.Errorf("Config.Platform.ConnectorID set in code not used: %s", out.String())
	}
}
