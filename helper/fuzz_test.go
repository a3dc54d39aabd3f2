package helper

import (
	"bytes"
	"github.com/stixkit/stixkit/helper/internal/wire11"
	"testing"
)

// FuzzParseConfig checks the configuration reader never panics and that
// errors never echo the password.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(goodYAML))
	f.Add([]byte("rabbitmq:\n  password: [x]\nconnector: 3\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseConfig(data, "fuzz.yml", envMap(nil))
		if err == nil {
			_ = c.Identifier()
			_ = wire11.ConfigArg(c.Connector.Name, c.Connector.ConfidenceLevel, c.Connector.LogLevel)
			return
		}
		if c != nil {
			t.Fatal("config and error")
		}
		if pw := c2pw(data); len(pw) > 6 && bytes.Contains([]byte(err.Error()), pw) {
			t.Fatalf("error reveals the password %q: %v", pw, err)
		}
	})
}

// c2pw extracts a "password: X" value from YAML text, roughly.
func c2pw(data []byte) []byte {
	i := bytes.Index(data, []byte("password: "))
	if i < 0 {
		return nil
	}
	v := data[i+len("password: "):]
	if j := bytes.IndexByte(v, '\n'); j >= 0 {
		v = v[:j]
	}
	return bytes.TrimSpace(v)
}
