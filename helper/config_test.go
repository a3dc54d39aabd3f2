package helper

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func envMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

const goodYAML = `
rabbitmq:
  hostname: rabbit.example
  port: 5672
  username: opencti
  password: s3cret-pw
connector:
  name: "MITRE ATT&CK"
  confidence_level: 3
  log_level: info
mitre:
  interval: 7
  feed:
    url: https://example.org/feed.json
`

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string // "" = no file
		env     map[string]string
		check   func(t *testing.T, c *Config)
		problem []string // substrings of the expected error, one per bad key
	}{
		{
			name: "file",
			yaml: goodYAML,
			check: func(t *testing.T, c *Config) {
				if c.RabbitMQ.Hostname != "rabbit.example" || c.RabbitMQ.Port != 5672 || c.RabbitMQ.Username != "opencti" || c.RabbitMQ.Password != "s3cret-pw" || !c.RabbitMQ.Configured || c.RabbitMQ.VHost != "/" {
					t.Errorf("rabbitmq %+v", c.RabbitMQ)
				}
				if c.Connector.Name != "MITRE ATT&CK" || c.Connector.ConfidenceLevel != 3 || c.Connector.LogLevel != "info" {
					t.Errorf("connector %+v", c.Connector)
				}
				if c.Identifier() != "mitreattck" {
					t.Errorf("identifier %q", c.Identifier())
				}
				if s := c.String("mitre.feed.url", ""); s != "https://example.org/feed.json" {
					t.Errorf("nested key %q", s)
				}
				if n, err := c.Int("mitre.interval", 0); err != nil || n != 7 {
					t.Errorf("mitre.interval %d %v", n, err)
				}
			},
		},
		{
			name: "env overrides file, nested keys",
			yaml: goodYAML,
			env:  map[string]string{"RABBITMQ_PORT": "5673", "MITRE_FEED_URL": "file:///tmp/x", "CONNECTOR_IDENTIFIER": "custom"},
			check: func(t *testing.T, c *Config) {
				if c.RabbitMQ.Port != 5673 || c.String("mitre.feed.url", "") != "file:///tmp/x" || c.Identifier() != "custom" {
					t.Errorf("env override: %+v %q %q", c.RabbitMQ, c.String("mitre.feed.url", ""), c.Identifier())
				}
			},
		},
		{
			name: "environment only, no broker",
			env:  map[string]string{"CONNECTOR_NAME": "My Connector", "CONNECTOR_CONFIDENCE_LEVEL": "15", "CONNECTOR_LOG_LEVEL": "warning", "CONNECTOR_INTERVAL": "PT1H"},
			check: func(t *testing.T, c *Config) {
				if c.Connector.ConfidenceLevel != 15 || c.RabbitMQ.Configured || c.Source != "" {
					t.Errorf("%+v", c)
				}
				if d, err := c.Duration("connector.interval", 0); err != nil || d != time.Hour {
					t.Errorf("duration %v %v", d, err)
				}
			},
		},
		{
			name: "environment with broker",
			env: map[string]string{"CONNECTOR_NAME": "x", "CONNECTOR_CONFIDENCE_LEVEL": "1", "CONNECTOR_LOG_LEVEL": "debug",
				"RABBITMQ_HOSTNAME": "h", "RABBITMQ_PORT": "1", "RABBITMQ_USERNAME": "u", "RABBITMQ_PASSWORD": "p", "RABBITMQ_USE_SSL": "true"},
			check: func(t *testing.T, c *Config) {
				if !c.RabbitMQ.Configured || !c.RabbitMQ.UseTLS || c.RabbitMQ.Password != "p" {
					t.Errorf("%+v", c.RabbitMQ)
				}
			},
		},
		{
			name:    "missing keys, all reported",
			yaml:    "rabbitmq:\n  hostname: h\nconnector:\n  name: x\n",
			problem: []string{"connector.confidence_level (CONNECTOR_CONFIDENCE_LEVEL): missing", "connector.log_level", "rabbitmq.port", "rabbitmq.username", "rabbitmq.password"},
		},
		{
			name: "wrong types",
			yaml: "rabbitmq:\n  hostname: [a]\n  port: abc\n  username: u\n  password: {x: 1}\n  use_ssl: maybe\nconnector:\n  name: x\n  confidence_level: high\n  log_level: verbose\n",
			problem: []string{"rabbitmq.hostname (RABBITMQ_HOSTNAME): want a non-empty string, got a list", `rabbitmq.port (RABBITMQ_PORT): want an integer, got a string "abc"`,
				"rabbitmq.password (RABBITMQ_PASSWORD): want a string, got a mapping", "rabbitmq.use_ssl", `connector.confidence_level (CONNECTOR_CONFIDENCE_LEVEL): want an integer, got a string "high"`, `unknown level "verbose"`},
		},
		{
			name:    "env value of the wrong type",
			yaml:    goodYAML,
			env:     map[string]string{"CONNECTOR_CONFIDENCE_LEVEL": "3.5"},
			problem: []string{`connector.confidence_level (CONNECTOR_CONFIDENCE_LEVEL): want an integer, got a string "3.5"`},
		},
		{
			name:    "a broker key from the environment alone is checked",
			env:     map[string]string{"CONNECTOR_NAME": "x", "CONNECTOR_CONFIDENCE_LEVEL": "1", "CONNECTOR_LOG_LEVEL": "info", "RABBITMQ_PORT": "abc"},
			problem: []string{`rabbitmq.port (RABBITMQ_PORT): want an integer, got a string "abc"`, "rabbitmq.hostname (RABBITMQ_HOSTNAME): missing"},
		},
		{
			name:    "env port overriding a file",
			yaml:    goodYAML,
			env:     map[string]string{"RABBITMQ_PORT": "abc"},
			problem: []string{`rabbitmq.port (RABBITMQ_PORT): want an integer, got a string "abc"`},
		},
		{
			name: "retry bound from file and environment",
			yaml: strings.Replace(goodYAML, "  log_level: info\n", "  log_level: info\n  retry_max_backoff: PT2S\n", 1),
			env:  map[string]string{"CONNECTOR_RETRY_MAX_ATTEMPTS": "7"},
			check: func(t *testing.T, c *Config) {
				if c.Retry.MaxAttempts != 7 || c.Retry.MaxBackoff != 2*time.Second {
					t.Errorf("retry %+v", c.Retry)
				}
				if got := c.SourceDescription(); !strings.Contains(got, "overridden by CONNECTOR_RETRY_MAX_ATTEMPTS") {
					t.Errorf("source %q", got)
				}
			},
		},
		{
			name:    "bad retry bound",
			yaml:    goodYAML,
			env:     map[string]string{"CONNECTOR_RETRY_MAX_ATTEMPTS": "-1", "CONNECTOR_RETRY_MAX_BACKOFF": "soon"},
			problem: []string{"connector.retry_max_attempts (CONNECTOR_RETRY_MAX_ATTEMPTS)", "connector.retry_max_backoff (CONNECTOR_RETRY_MAX_BACKOFF)"},
		},
		{
			name: "secret-looking values are not echoed",
			yaml: goodYAML,
			env:  map[string]string{"MY_API_TOKEN": "s3cret-token"},
			check: func(t *testing.T, c *Config) {
				_, err := c.Int("my.api.token", 0)
				if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "MY_API_TOKEN") {
					t.Errorf("got %v", err)
				}
			},
		},
		{
			name:    "not YAML",
			yaml:    "rabbitmq: [unclosed\n  : :\n",
			problem: []string{"not valid YAML"},
		},
		{
			name:    "YAML but not a mapping",
			yaml:    "- a\n- b\n",
			problem: []string{"top level is a list, want a mapping"},
		},
		{
			name:    "empty file",
			yaml:    "",
			problem: []string{"connector.name (CONNECTOR_NAME): missing"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.yaml != "" || tt.name == "empty file" {
				path = writeFile(t, tt.yaml)
			}
			c, err := loadConfig(path, envMap(tt.env))
			if tt.problem != nil {
				var ce *ConfigError
				if !errors.As(err, &ce) || !errors.Is(err, ErrConfig) {
					t.Fatalf("got %v, want a *ConfigError", err)
				}
				msg := err.Error()
				for _, p := range tt.problem {
					if !strings.Contains(msg, p) {
						t.Errorf("error %q lacks %q", msg, p)
					}
				}
				if len(ce.Problems) < len(tt.problem)-1 && len(tt.problem) > 1 {
					t.Errorf("only %d problems reported: %v", len(ce.Problems), ce.Problems)
				}
				if strings.Contains(msg, "s3cret") {
					t.Errorf("error reveals the password: %s", msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if path != "" && c.Source != path {
				t.Errorf("source %q", c.Source)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	if _, err := loadConfig(filepath.Join(t.TempDir(), "nope.yml"), envMap(nil)); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v", err)
	}
}

func TestLoadConfigDefaultPath(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.yml"), []byte(goodYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	c, err := loadConfig("", envMap(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "config.yml" || c.Connector.Name != "MITRE ATT&CK" {
		t.Fatalf("%q %+v", c.Source, c.Connector)
	}
}

func TestConfigAccessors(t *testing.T) {
	c, err := loadConfig(writeFile(t, goodYAML+"x:\n  b1: yes\n  b2: 'off'\n  d1: 90s\n  d2: P1DT2H\n  d3: 30\n  bad: [1]\n  f: 2.5\n"), envMap(nil))
	if err != nil {
		t.Fatal(err)
	}
	if b, err := c.Bool("x.b1", false); err != nil || !b {
		t.Errorf("b1 %v %v", b, err)
	}
	if b, err := c.Bool("x.b2", true); err != nil || b {
		t.Errorf("b2 %v %v", b, err)
	}
	if b, err := c.Bool("x.absent", true); err != nil || !b {
		t.Errorf("absent %v %v", b, err)
	}
	for key, want := range map[string]time.Duration{"x.d1": 90 * time.Second, "x.d2": 26 * time.Hour, "x.d3": 30 * time.Second} {
		if d, err := c.Duration(key, 0); err != nil || d != want {
			t.Errorf("%s: %v %v", key, d, err)
		}
	}
	if _, err := c.Duration("x.bad", 0); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "X_BAD") {
		t.Errorf("bad duration: %v", err)
	}
	if _, err := c.Int("x.f", 0); !errors.Is(err, ErrConfig) {
		t.Errorf("float as int: %v", err)
	}
	if s := c.String("x.f", ""); s != "2.5" {
		t.Errorf("String of a number: %q", s)
	}
	if envName("connector.server.hostname") != "CONNECTOR_SERVER_HOSTNAME" {
		t.Error("envName")
	}
}

func TestIdentifier(t *testing.T) {
	for name, want := range map[string]string{"MITRE ATT&CK": "mitreattck", "My Connector": "myconnector", "AlienVault OTX 2": "alienvaultotx2", "Café-Feed": "caféfeed"} {
		c := &Config{Connector: ConnectorConfig{Name: name}}
		if got := c.Identifier(); got != want {
			t.Errorf("%q → %q, want %q", name, got, want)
		}
	}
}
