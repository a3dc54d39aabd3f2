package helper

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Connector types pycti 6.x accepts (connector.type, CONNECTOR_TYPE).
var connectorTypes6 = []string{"EXTERNAL_IMPORT", "INTERNAL_IMPORT_FILE", "INTERNAL_ENRICHMENT", "INTERNAL_ANALYSIS", "INTERNAL_EXPORT_FILE", "STREAM"}

// PlatformConfig is Config.Platform: the settings of the current OpenCTI
// protocol (ProtocolOpenCTI6), read by LoadConfig as pycti 6.8.10's
// get_config_variable reads them: the environment variable (OPENCTI_URL,
// CONNECTOR_ID, MQ_HOST…) wins over config.yml's section.key; an empty
// value means the default; the strings yes, true, True and no, false,
// False are booleans; numbers go through int(). An ill-typed value is
// reported by New when it uses this protocol (a 1.1 run ignores these
// keys), missing mandatory keys too (a dry run needs only connector.id).
type PlatformConfig struct {
	URL           string            // opencti.url (OPENCTI_URL)
	Token         string            // opencti.token (OPENCTI_TOKEN); never logged
	SSLVerify     bool              // opencti.ssl_verify (OPENCTI_SSL_VERIFY), default false as pycti
	JSONLogging   bool              // opencti.json_logging (OPENCTI_JSON_LOGGING), default true
	CustomHeaders map[string]string // opencti.custom_headers (OPENCTI_CUSTOM_HEADERS): "name:value;name:value"

	ConnectorID          string        // connector.id (CONNECTOR_ID)
	Type                 string        // connector.type (CONNECTOR_TYPE), upper-cased
	Name                 string        // connector.name (CONNECTOR_NAME)
	Scope                []string      // connector.scope (CONNECTOR_SCOPE), comma-split, default "not-applicable"
	LogLevel             string        // connector.log_level (CONNECTOR_LOG_LEVEL), default "ERROR", upper-cased
	DurationPeriod       time.Duration // connector.duration_period (CONNECTOR_DURATION_PERIOD), ISO-8601 (PT1H) or seconds
	RunAndTerminate      bool          // connector.run_and_terminate (CONNECTOR_RUN_AND_TERMINATE)
	QueueThresholdMB     float64       // connector.queue_threshold (CONNECTOR_QUEUE_THRESHOLD), default 500
	Auto                 bool          // connector.auto (CONNECTOR_AUTO)
	AutoUpdate           bool          // connector.auto_update (CONNECTOR_AUTO_UPDATE)
	OnlyContextual       bool          // connector.only_contextual (CONNECTOR_ONLY_CONTEXTUAL)
	EnrichmentResolution string        // connector.enrichment_resolution, default "none"
	SendToQueue          bool          // connector.send_to_queue (CONNECTOR_SEND_TO_QUEUE), default true
	QueueProtocol        string        // connector.queue_protocol (CONNECTOR_QUEUE_PROTOCOL), default "amqp"
	ListenCallbackURI    string        // connector.listen_callback_uri

	// MQ overrides the broker settings the platform returns at registration
	// (MQ_HOST, MQ_PORT, MQ_VHOST, MQ_USE_SSL, MQ_USER, MQ_PASS).
	MQ MQOverrides
}

// MQOverrides are the mq.* settings; nil/empty fields keep the platform's.
type MQOverrides struct {
	Host                  string
	Port                  int // 0 keeps the platform's
	VHost                 string
	UseSSL                *bool
	User                  string
	Pass                  string // never logged
	SSLRejectUnauthorized bool   // mq.use_ssl_reject_unauthorized: verify the broker certificate
	SSLCA                 string // mq.use_ssl_ca: CA file path or PEM text
	SSLCert               string // mq.use_ssl_cert
	SSLKey                string // mq.use_ssl_key
}

// hasPlatform reports whether the configuration is for the current OpenCTI
// protocol: opencti.url and opencti.token are both set.
func (c *Config) hasPlatform() bool {
	return c.String("opencti.url", "") != "" && c.String("opencti.token", "") != ""
}

// pyctiConfig reads keys with pycti's get_config_variable rules and
// collects problems.
type pyctiConfig struct {
	c        *Config
	problems []string
}

func (p *pyctiConfig) bad(key, format string, args ...any) {
	p.problems = append(p.problems, fmt.Sprintf("%s (%s): %s", key, envName(key), fmt.Sprintf(format, args...)))
}

// raw returns the value with pycti's boolean words mapped, and false when
// absent or empty (the default applies).
func (p *pyctiConfig) raw(key string) (any, bool) {
	v, ok := p.c.Value(key)
	if !ok || v == nil {
		return nil, false
	}
	if s, isStr := v.(string); isStr {
		switch s {
		case "yes", "true", "True":
			return true, true
		case "no", "false", "False":
			return false, true
		case "":
			return nil, false
		}
	}
	return v, true
}

func (p *pyctiConfig) str(key, def string) string {
	v, ok := p.raw(key)
	if !ok {
		return def
	}
	if s, ok := scalarString(v); ok {
		return s
	}
	p.bad(key, "want a string, got %s", yamlType(v))
	return def
}

func (p *pyctiConfig) boolean(key string, def bool) bool {
	v, ok := p.raw(key)
	if !ok {
		return def
	}
	switch t := v.(type) {
	case bool:
		return t
	case int:
		return t != 0
	}
	p.bad(key, "want true/false/yes/no, got %s", describeKey(key, v))
	return def
}

// number is Python's int(): integers, floats truncated, strings with
// optional sign, surrounding spaces and underscores between digits.
func (p *pyctiConfig) number(key string, def float64) float64 {
	v, ok := p.raw(key)
	if !ok {
		return def
	}
	switch t := v.(type) {
	case bool:
		if t {
			return 1
		}
		return 0
	case int:
		return float64(t)
	case float64:
		return math.Trunc(t)
	case string:
		s := strings.TrimSpace(t)
		if s != "" && !strings.HasPrefix(s, "_") && !strings.HasSuffix(s, "_") && !strings.Contains(s, "__") {
			if n, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64); err == nil {
				return float64(n)
			}
		}
	}
	p.bad(key, "want an integer, got %s", describeKey(key, v))
	return def
}

// float is Python's float() of the value (pycti reads queue_threshold
// without isNumber, then applies float()).
func (p *pyctiConfig) float(key string, def float64) float64 {
	v, ok := p.raw(key)
	if !ok {
		return def
	}
	switch t := v.(type) {
	case bool:
		if t {
			return 1
		}
		return 0
	case int:
		return float64(t)
	case float64:
		return t
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(t), 64); err == nil {
			return f
		}
	}
	p.bad(key, "want a number, got %s", describeKey(key, v))
	return def
}

func (p *pyctiConfig) duration(key string) time.Duration {
	v, ok := p.raw(key)
	if !ok {
		return 0
	}
	if n, ok := toInt(v); ok {
		return time.Duration(n) * time.Second
	}
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		if d, ok := parseISODuration(s); ok {
			return d
		}
		if d, err := time.ParseDuration(s); err == nil {
			return d
		}
	}
	p.bad(key, "want an ISO-8601 duration such as PT1H, got %s", describeKey(key, v))
	return 0
}

// loadPlatform reads the current-protocol settings of a loaded
// configuration. Every bad value is reported in one *ConfigError (with the
// settings read, defaults in place of the bad values); missing mandatory
// keys are checked by validate (a dry run needs fewer).
func loadPlatform(c *Config) (PlatformConfig, error) {
	p := &pyctiConfig{c: c}
	o := PlatformConfig{
		URL:                  strings.TrimRight(p.str("opencti.url", ""), "/"),
		Token:                p.str("opencti.token", ""),
		SSLVerify:            p.boolean("opencti.ssl_verify", false),
		JSONLogging:          p.boolean("opencti.json_logging", true),
		ConnectorID:          p.str("connector.id", ""),
		Type:                 strings.ToUpper(p.str("connector.type", "")),
		Name:                 p.str("connector.name", ""),
		LogLevel:             strings.ToUpper(p.str("connector.log_level", "ERROR")),
		DurationPeriod:       p.duration("connector.duration_period"),
		RunAndTerminate:      p.boolean("connector.run_and_terminate", false),
		QueueThresholdMB:     p.float("connector.queue_threshold", 500),
		Auto:                 p.boolean("connector.auto", false),
		AutoUpdate:           p.boolean("connector.auto_update", false),
		OnlyContextual:       p.boolean("connector.only_contextual", false),
		EnrichmentResolution: p.str("connector.enrichment_resolution", "none"),
		SendToQueue:          p.boolean("connector.send_to_queue", true),
		QueueProtocol:        strings.ToLower(p.str("connector.queue_protocol", p.str("queue_protocol", "amqp"))),
		ListenCallbackURI:    p.str("connector.listen_callback_uri", ""),
	}
	if h := p.str("opencti.custom_headers", ""); h != "" {
		o.CustomHeaders = map[string]string{}
		for _, part := range strings.Split(h, ";") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			name, value, ok := strings.Cut(part, ":")
			if !ok || strings.TrimSpace(name) == "" {
				p.bad("opencti.custom_headers", "want name:value pairs separated by ';'")
				break
			}
			o.CustomHeaders[strings.TrimSpace(name)] = strings.TrimSpace(value)
		}
	}
	for _, s := range strings.Split(p.str("connector.scope", "not-applicable"), ",") {
		o.Scope = append(o.Scope, s)
	}
	if _, ok := parseLevel(o.LogLevel); !ok {
		p.bad("connector.log_level", "unknown level %q (want debug, info, warning, error or critical)", o.LogLevel)
	}
	if port := p.number("mq.port", 0); port < 0 || port > 65535 {
		p.bad("mq.port", "%v is not a TCP port", port)
	} else {
		o.MQ.Port = int(port)
	}
	o.MQ.Host = p.str("mq.host", "")
	o.MQ.VHost = p.str("mq.vhost", "")
	if _, ok := p.raw("mq.use_ssl"); ok {
		b := p.boolean("mq.use_ssl", false)
		o.MQ.UseSSL = &b
	}
	o.MQ.User = p.str("mq.user", "")
	if v, ok := p.raw("mq.pass"); ok {
		if s, ok := scalarString(v); ok {
			o.MQ.Pass = s
		} else {
			p.bad("mq.pass", "want a string, got %s", yamlType(v)) // never echo the value
		}
	}
	o.MQ.SSLRejectUnauthorized = p.boolean("mq.use_ssl_reject_unauthorized", false)
	o.MQ.SSLCA = strings.TrimSpace(p.str("mq.use_ssl_ca", ""))
	o.MQ.SSLCert = strings.TrimSpace(p.str("mq.use_ssl_cert", ""))
	o.MQ.SSLKey = strings.TrimSpace(p.str("mq.use_ssl_key", ""))
	if len(p.problems) > 0 {
		return o, &ConfigError{Source: c.sourceName(), Problems: p.problems}
	}
	return o, nil
}

// validate checks the keys needed to register with the platform
// (registration true) or, for a dry run, only connector.id.
func (o *PlatformConfig) validate(source string, registration bool) error {
	var problems []string
	bad := func(key, msg string) {
		problems = append(problems, fmt.Sprintf("%s (%s): %s", key, envName(key), msg))
	}
	if o.ConnectorID == "" {
		bad("connector.id", "missing (the connector's UUID)")
	}
	if registration {
		if o.URL == "" {
			bad("opencti.url", "missing")
		} else if !strings.HasPrefix(o.URL, "http://") && !strings.HasPrefix(o.URL, "https://") {
			bad("opencti.url", "want an http:// or https:// URL")
		}
		if o.Token == "" {
			bad("opencti.token", "missing")
		}
		if o.Name == "" {
			bad("connector.name", "missing")
		}
		known := false
		for _, t := range connectorTypes6 {
			known = known || t == o.Type
		}
		if !known {
			bad("connector.type", fmt.Sprintf("%q is not one of %s", o.Type, strings.Join(connectorTypes6, ", ")))
		}
	}
	if len(problems) > 0 {
		return &ConfigError{Source: source, Problems: problems}
	}
	return nil
}

// parseConnector6 fills Config.Connector from a 6.x configuration, where
// connector.confidence_level no longer exists and log_level defaults to
// "error" (used by parseConfig for configurations hasPlatform accepts).
func parseConnector6(c *Config, bad func(key, format string, args ...any)) {
	c.Connector.Name = c.String("connector.name", "")
	c.Connector.LogLevel = strings.ToLower(c.String("connector.log_level", "error"))
	if c.Connector.LogLevel == "" {
		c.Connector.LogLevel = "error"
	}
	if _, ok := parseLevel(c.Connector.LogLevel); !ok {
		bad("connector.log_level", "unknown level %q (want debug, info, warning, error or critical)", c.Connector.LogLevel)
	}
	if n, err := c.Int("connector.confidence_level", 0); err == nil {
		c.Connector.ConfidenceLevel = n
	}
	c.Connector.Identifier = c.String("connector.identifier", "")
}

// platform returns the settings New uses with ProtocolOpenCTI6: a copy of
// Config.Platform as loaded (and perhaps changed by the program) with the
// loading's error, or, for a Config built in code with Platform unset,
// the settings read from it now (pycti's defaults and the environment).
func (c *Config) platform() (*PlatformConfig, error) {
	if !c.platformLoaded && reflect.ValueOf(c.Platform).IsZero() {
		pc, err := loadPlatform(c)
		return &pc, err
	}
	if c.platformLoaded && !c.hasPlatform() {
		// Selected by Config.Protocol: the environment variables read
		// for these keys now count as overrides (SourceDescription).
		_, _ = loadPlatform(c)
	}
	pc := c.Platform
	return &pc, c.platformErr
}
