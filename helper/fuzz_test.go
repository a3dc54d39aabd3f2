package helper

import (
	"bytes"
	"testing"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// FuzzSplit11 feeds arbitrary bundles to the splitter: it must not panic,
// and every piece it returns must be JSON in json.dumps form whose objects
// all come from the input.
func FuzzSplit11(f *testing.F) {
	f.Add([]byte(`{"objects":[{"type":"report","id":"r","object_refs":["a","x"]},{"type":"relationship","id":"x","source_ref":"a","target_ref":"b"},{"type":"tool","id":"a","created_by_ref":"a","object_marking_refs":["a"]}]}`))
	f.Add([]byte(`{"objects":[{"type":"tool","id":"a"},{"type":"tool","id":"a"},{"type":"relationship","id":"r","source_ref":"a","target_ref":"q"}]}`))
	f.Add(bigBundle(20))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := pyjson.Parse(data, pyjson.ParseOptions{MaxDepth: 64})
		if err != nil {
			return
		}
		pieces, err := split11Value(v, counterUUID())
		if err != nil {
			return
		}
		objs, _ := v.Get("objects")
		for _, p := range pieces {
			pv, err := pyjson.Parse(p, pyjson.ParseOptions{})
			if err != nil {
				t.Fatalf("piece is not JSON: %v", err)
			}
			if !bytes.Equal(pyjson.Dumps(pv, pyjson.DumpOptions{}), p) {
				t.Fatalf("piece not in json.dumps form: %s", p)
			}
			po, _ := pv.Get("objects")
		next:
			for _, o := range po.Arr {
				for _, in := range objs.Arr {
					if bytes.Equal(pyjson.Dumps(in, pyjson.DumpOptions{}), pyjson.Dumps(o, pyjson.DumpOptions{})) {
						continue next
					}
				}
				t.Fatalf("piece object not from the input: %s", pyjson.Dumps(o, pyjson.DumpOptions{}))
			}
		}
	})
}

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
			_ = connectorConfigArg11(c.Connector)
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
