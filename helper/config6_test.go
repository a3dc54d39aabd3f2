package helper

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestConfig6 reads settings as pycti's get_config_variable does.
func TestConfig6(t *testing.T) {
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

// TestConfig6Errors: every bad value is named in one *ConfigError; the
// token and passwords never appear.
func TestConfig6Errors(t *testing.T) {
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

// TestConfig6No11Keys: a 6.x configuration needs no confidence_level and
// no log_level (the 1.1 mandatory keys).
func TestConfig6No11Keys(t *testing.T) {
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
