package helper

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"
)

// ErrConfig is matched (errors.Is) by every configuration error.
var ErrConfig = errors.New("helper: invalid configuration")

// ConfigError lists every problem found in a configuration at once.
type ConfigError struct {
	Source   string   // the file read, or "environment"
	Problems []string // one entry per bad key, "key: problem"
}

// Error implements error.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("helper: invalid configuration (%s): %s", e.Source, strings.Join(e.Problems, "; "))
}

// Is matches ErrConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// RabbitMQConfig is the broker part of the configuration (section rabbitmq).
type RabbitMQConfig struct {
	Hostname string // rabbitmq.hostname (mandatory when the section is present)
	Port     int    // rabbitmq.port (mandatory when the section is present)
	Username string // rabbitmq.username (mandatory when the section is present)
	Password string // rabbitmq.password (mandatory when the section is present); never logged
	VHost    string // rabbitmq.vhost, default "/"
	// UseTLS (rabbitmq.use_ssl) connects with amqps. TLS, set in code, adds
	// a custom tls.Config (CA, client certificate); nil uses the system roots.
	UseTLS bool
	TLS    *tls.Config
	// Heartbeat (rabbitmq.heartbeat, seconds) is the AMQP heartbeat; 0 means
	// the client default (10 s), as pika negotiates one with the server.
	Heartbeat time.Duration
	// Persistent (rabbitmq.persistent) publishes with delivery mode 2. pycti
	// 1.2.15 publishes transient messages; the bodies are the same either way.
	Persistent bool
	// Configured is true when the configuration has a rabbitmq section (or
	// RABBITMQ_HOSTNAME). Without it the helper uses the dry-run sink.
	Configured bool
}

// ConnectorConfig is the connector part of the configuration (section
// connector), the connector_config pycti 1.2.15 receives.
type ConnectorConfig struct {
	Name            string // connector.name (mandatory)
	ConfidenceLevel int    // connector.confidence_level (mandatory integer)
	LogLevel        string // connector.log_level (mandatory): debug, info, warning, error, critical
	// Identifier (connector.identifier) overrides the identifier derived
	// from Name; see Config.Identifier.
	Identifier string
}

// Config is a connector's configuration: values loaded by LoadConfig, plus
// runtime options a program sets in code before calling New. The zero value
// of every runtime option works.
type Config struct {
	RabbitMQ  RabbitMQConfig  // OpenCTI 1.1: the broker
	Connector ConnectorConfig // OpenCTI 1.1: the connector
	// Platform holds the current OpenCTI protocol's settings (opencti.*,
	// connector.id/type/scope…, mq.*), read by LoadConfig with pycti
	// 6.x's rules. A program may change them before New.
	Platform PlatformConfig
	// Source is the file the configuration was read from, or "" when it
	// came from the environment only.
	Source string

	// Logger receives the helper's logs; nil logs to stderr as text at
	// Connector.LogLevel.
	Logger *slog.Logger
	// DryRun forces the dry-run sink even when a broker is configured.
	DryRun bool
	// DryRunOutput receives the dry-run JSON lines; nil means os.Stdout.
	DryRunOutput io.Writer
	// Protocol selects the wire protocol; "" chooses from the
	// configuration (see SelectedProtocol).
	Protocol Protocol
	// NewUUID returns the random UUIDs the protocol needs (bundle ids in
	// 1.1); nil means random v4 UUIDs. Tests inject a counter.
	NewUUID func() string
	// Retry bounds reconnection attempts; the zero value retries until the
	// context ends (OneShot: DefaultOneShotAttempts attempts), with backoff
	// from 100 ms to 30 s. LoadConfig fills it from
	// connector.retry_max_attempts and connector.retry_max_backoff.
	Retry RetryPolicy
	// OneShot tells New the program sends and exits (stixkit send, -once):
	// with no retry bound configured, transient broker failures are
	// retried DefaultOneShotAttempts times instead of until ctx ends.
	OneShot bool
	// Publisher, when set, replaces the broker connection and the dry-run
	// sink (tests, custom transports).
	Publisher Publisher
	// StateFile is where Helper.State/SetState keep the connector state;
	// empty means the key connector.state_file, else
	// <user cache dir>/stixkit/<identifier>.state.json.
	StateFile string

	values map[string]any // the YAML tree, nil without a file
	lookup func(string) (string, bool)
	envSet map[string]bool // environment variables that overrode or supplied a key

	platformLoaded bool  // Platform was read by LoadConfig/ParseConfig
	platformErr    error // its ill-typed values, reported by New with ProtocolOpenCTI6
}

// DefaultOneShotAttempts is the retry bound of one-shot runs (Config.OneShot)
// when none is configured.
const DefaultOneShotAttempts = 5

// EnvOverrides returns the environment variables the configuration read
// (each overrides or supplies a key), sorted.
func (c *Config) EnvOverrides() []string {
	out := make([]string, 0, len(c.envSet))
	for k := range c.envSet {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// SourceDescription says where the configuration came from, for a log
// line: the file (or "environment") and the environment overrides.
func (c *Config) SourceDescription() string {
	s := c.sourceName()
	if env := c.EnvOverrides(); len(env) > 0 && c.Source != "" {
		s += " overridden by " + strings.Join(env, ", ")
	} else if len(env) > 0 {
		s += " (" + strings.Join(env, ", ") + ")"
	}
	return s
}

// RetryPolicy is the reconnection backoff. Zero fields take the defaults.
type RetryPolicy struct {
	MinBackoff  time.Duration // first wait, default 100 ms
	MaxBackoff  time.Duration // longest wait, default 30 s
	MaxAttempts int           // consecutive failed attempts before giving up; 0 = until the context ends
}

// envName returns the environment variable that overrides a configuration
// key: the key path joined by "_" and upper-cased
// (connector.server.hostname → CONNECTOR_SERVER_HOSTNAME).
func envName(path string) string {
	return strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(path))
}

// LoadConfig reads the configuration. With path == "" it reads config.yml
// next to the running executable, else config.yml in the working directory,
// else only environment variables. Environment variables (see the environment variables below)
// override file values. Every missing or ill-typed mandatory key is reported
// in one *ConfigError.
func LoadConfig(path string) (*Config, error) {
	return loadConfig(path, os.LookupEnv)
}

// FindConfigFile returns the file LoadConfig("") reads: config.yml next to
// the running executable, else config.yml in the working directory, else "".
func FindConfigFile() string {
	if exe, err := os.Executable(); err == nil {
		if p := filepath.Join(filepath.Dir(exe), "config.yml"); fileExists(p) {
			return p
		}
	}
	if fileExists("config.yml") {
		return "config.yml"
	}
	return ""
}

func loadConfig(path string, lookup func(string) (string, bool)) (*Config, error) {
	if path == "" {
		path = FindConfigFile()
	}
	if path == "" {
		return parseConfig(nil, "", lookup)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("helper: reading configuration: %w", err)
	}
	return parseConfig(data, path, lookup)
}

// ParseConfig reads a configuration from YAML text (for instance a sample
// embedded in a program), named source in errors; environment variables
// override its values as in LoadConfig. nil data means environment only.
func ParseConfig(data []byte, source string) (*Config, error) {
	return parseConfig(data, source, os.LookupEnv)
}

func parseConfig(data []byte, path string, lookup func(string) (string, bool)) (*Config, error) {
	c := &Config{lookup: lookup}
	source := "environment"
	if data != nil {
		if path == "" {
			path = "config"
		}
		var tree any
		if err := yaml.Unmarshal(data, &tree); err != nil {
			return nil, &ConfigError{Source: path, Problems: []string{"not valid YAML: " + err.Error()}}
		}
		switch t := tree.(type) {
		case nil:
			c.values = map[string]any{}
		case map[string]any:
			c.values = t
		default:
			return nil, &ConfigError{Source: path, Problems: []string{fmt.Sprintf("top level is %s, want a mapping", yamlType(tree))}}
		}
		c.Source = path
		source = path
	}
	var problems []string
	bad := func(key, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s (%s): %s", key, envName(key), fmt.Sprintf(format, args...)))
	}
	reqString := func(key string) string {
		v, ok := c.Value(key)
		if !ok {
			bad(key, "missing")
			return ""
		}
		s, ok := scalarString(v)
		if !ok || s == "" {
			bad(key, "want a non-empty string, got %s", yamlType(v))
		}
		return s
	}
	reqInt := func(key string) int {
		v, ok := c.Value(key)
		if !ok {
			bad(key, "missing")
			return 0
		}
		n, ok := toInt(v)
		if !ok {
			bad(key, "want an integer, got %s", describeKey(key, v))
		}
		return n
	}

	if c.hasPlatform() {
		// pycti 6.x configuration (config6.go): no confidence_level,
		// optional name and log_level.
		parseConnector6(c, bad)
	} else {
		c.Connector.Name = reqString("connector.name")
		c.Connector.ConfidenceLevel = reqInt("connector.confidence_level")
		c.Connector.LogLevel = reqString("connector.log_level")
		if c.Connector.LogLevel != "" {
			if _, ok := parseLevel(c.Connector.LogLevel); !ok {
				bad("connector.log_level", "unknown level %q (want debug, info, warning, error or critical)", c.Connector.LogLevel)
			}
		}
		c.Connector.Identifier = c.String("connector.identifier", "")
	}

	_, hasSection := c.Value("rabbitmq")
	for _, k := range []string{"hostname", "port", "username", "password", "vhost", "use_ssl"} {
		if _, ok := c.Value("rabbitmq." + k); ok {
			hasSection = true // a value given (even by the environment alone) is checked
		}
	}
	if hasSection {
		r := &c.RabbitMQ
		r.Configured = true
		r.Hostname = reqString("rabbitmq.hostname")
		r.Port = reqInt("rabbitmq.port")
		if r.Port < 0 || r.Port > 65535 {
			bad("rabbitmq.port", "%d is not a TCP port", r.Port)
		}
		r.Username = reqString("rabbitmq.username")
		if v, ok := c.Value("rabbitmq.password"); !ok {
			bad("rabbitmq.password", "missing")
		} else if s, ok := scalarString(v); !ok {
			bad("rabbitmq.password", "want a string, got %s", yamlType(v)) // never echo the value
		} else {
			r.Password = s
		}
		r.VHost = c.String("rabbitmq.vhost", "/")
		var err error
		if r.UseTLS, err = c.Bool("rabbitmq.use_ssl", false); err != nil {
			bad("rabbitmq.use_ssl", "%v", err)
		}
		if r.Persistent, err = c.Bool("rabbitmq.persistent", false); err != nil {
			bad("rabbitmq.persistent", "%v", err)
		}
		hb, err := c.Int("rabbitmq.heartbeat", 0)
		if err != nil || hb < 0 {
			bad("rabbitmq.heartbeat", "want a non-negative number of seconds")
		}
		r.Heartbeat = time.Duration(hb) * time.Second
	}
	if n, err := c.Int("connector.retry_max_attempts", 0); err != nil || n < 0 {
		bad("connector.retry_max_attempts", "want a non-negative integer (0: until the context ends)")
	} else {
		c.Retry.MaxAttempts = n
	}
	if d, err := c.Duration("connector.retry_max_backoff", 0); err != nil || d < 0 {
		bad("connector.retry_max_backoff", "want a duration (30s, PT1M, seconds)")
	} else {
		c.Retry.MaxBackoff = d
	}
	if len(problems) > 0 {
		return nil, &ConfigError{Source: source, Problems: problems}
	}
	c.loadPlatform()
	return c, nil
}

// loadPlatform fills c.Platform. The environment variables it reads are
// reported by EnvOverrides only when the configuration is for the current
// protocol (or New selects it).
func (c *Config) loadPlatform() {
	saved := make(map[string]bool, len(c.envSet))
	for k := range c.envSet {
		saved[k] = true
	}
	c.Platform, c.platformErr = loadPlatform(c)
	c.platformLoaded = true
	if !c.hasPlatform() {
		c.envSet = saved
	}
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// Value returns the raw value of a dotted key: the environment variable
// envName(path) when set (a string), else the YAML value (string, int,
// float64, bool, []any, map[string]any), and whether it exists.
func (c *Config) Value(path string) (any, bool) {
	if c.lookup != nil {
		if s, ok := c.lookup(envName(path)); ok {
			if c.envSet == nil {
				c.envSet = map[string]bool{}
			}
			c.envSet[envName(path)] = true
			return s, true
		}
	}
	var cur any = c.values
	if c.values == nil {
		return nil, false
	}
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// String returns a string-valued key (numbers and booleans are formatted),
// or def when it is absent or not a scalar.
func (c *Config) String(path, def string) string {
	v, ok := c.Value(path)
	if !ok {
		return def
	}
	if s, ok := scalarString(v); ok {
		return s
	}
	return def
}

// Int returns an integer key, def when absent, and an error naming the key
// when the value is not an integer.
func (c *Config) Int(path string, def int) (int, error) {
	v, ok := c.Value(path)
	if !ok {
		return def, nil
	}
	n, ok := toInt(v)
	if !ok {
		return def, fmt.Errorf("%w: %s (%s): want an integer, got %s", ErrConfig, path, envName(path), describeKey(path, v))
	}
	return n, nil
}

// Bool returns a boolean key (true/false, yes/no, on/off, 1/0 in any case),
// def when absent, and an error naming the key otherwise.
func (c *Config) Bool(path string, def bool) (bool, error) {
	v, ok := c.Value(path)
	if !ok {
		return def, nil
	}
	switch t := v.(type) {
	case bool:
		return t, nil
	case int:
		if t == 0 || t == 1 {
			return t == 1, nil
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true", "yes", "on", "1":
			return true, nil
		case "false", "no", "off", "0", "":
			return false, nil
		}
	}
	return def, fmt.Errorf("%w: %s (%s): want a boolean, got %s", ErrConfig, path, envName(path), describeKey(path, v))
}

// Duration returns a duration key written as a Go duration ("90s", "1h"),
// an ISO-8601 duration ("PT1H", "P1D") or a bare number of seconds; def
// when absent, and an error naming the key otherwise.
func (c *Config) Duration(path string, def time.Duration) (time.Duration, error) {
	v, ok := c.Value(path)
	if !ok {
		return def, nil
	}
	if n, ok := toInt(v); ok {
		return time.Duration(n) * time.Second, nil
	}
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		if d, err := time.ParseDuration(s); err == nil {
			return d, nil
		}
		if d, ok := parseISODuration(s); ok {
			return d, nil
		}
	}
	return def, fmt.Errorf("%w: %s (%s): want a duration (90s, PT1H, seconds), got %s", ErrConfig, path, envName(path), describeKey(path, v))
}

// parseISODuration parses the PnDTnHnMnS subset of ISO 8601 (weeks too).
func parseISODuration(s string) (time.Duration, bool) {
	if len(s) < 3 || (s[0] != 'P' && s[0] != 'p') {
		return 0, false
	}
	var d time.Duration
	inTime := false
	num := ""
	for _, r := range strings.ToUpper(s[1:]) {
		switch {
		case r >= '0' && r <= '9' || r == '.':
			num += string(r)
		case r == 'T':
			inTime = true
		default:
			if num == "" {
				return 0, false
			}
			f, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, false
			}
			num = ""
			var unit time.Duration
			switch {
			case r == 'W' && !inTime:
				unit = 7 * 24 * time.Hour
			case r == 'D' && !inTime:
				unit = 24 * time.Hour
			case r == 'H' && inTime:
				unit = time.Hour
			case r == 'M' && inTime:
				unit = time.Minute
			case r == 'S' && inTime:
				unit = time.Second
			default:
				return 0, false
			}
			d += time.Duration(f * float64(unit))
		}
	}
	return d, num == ""
}

// Identifier returns the connector identifier used in the queue name and
// routing key: Connector.Identifier when set, else the letters and digits of
// Connector.Name, lower-cased ("MITRE ATT&CK" → "mitreattck"), as the
// OpenCTI 1.1 documentation recommends.
func (c *Config) Identifier() string {
	if c.Connector.Identifier != "" {
		return c.Connector.Identifier
	}
	var b strings.Builder
	for _, r := range c.Connector.Name {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteString(strings.ToLower(string(r)))
		}
	}
	return b.String()
}

// parseLevel maps pycti's log level names (Python logging) to slog levels.
func parseLevel(s string) (slog.Level, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "warning", "warn":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	case "critical", "fatal":
		return slog.LevelError + 4, true
	}
	return 0, false
}

func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case int:
		return strconv.Itoa(t), true
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

func toInt(v any) (int, bool) {
	switch t := v.(type) {
	case int:
		return t, true
	case float64:
		if t == float64(int(t)) {
			return int(t), true
		}
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(t))
		return n, err == nil
	}
	return 0, false
}

func yamlType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case int:
		return "an integer"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%T", v)
}

// secretKey reports whether a key may hold a password, token or key, whose
// value is never echoed.
func secretKey(path string) bool {
	p := strings.ToLower(path)
	for _, w := range []string{"pass", "token", "secret", "key", "cert", "credential"} {
		if strings.Contains(p, w) {
			return true
		}
	}
	return false
}

// describeKey is describe, without the value for keys that may be secret.
func describeKey(path string, v any) string {
	if secretKey(path) {
		return yamlType(v)
	}
	return describe(v)
}

// describe names the type of v and, for short scalars, quotes it.
func describe(v any) string {
	if s, ok := scalarString(v); ok && len(s) <= 40 {
		return fmt.Sprintf("%s %q", yamlType(v), s)
	}
	return yamlType(v)
}
