package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// sampleLines are the valid lines of testdata/iocs.txt with the STIX
// type and, for hashes, the algorithm a reader assigns them by hand.
var sampleLines = []struct{ value, kind, hash string }{
	{"198.51.100.23", "ipv4-addr", ""},
	{"203.0.113.7", "ipv4-addr", ""},
	{"2001:db8::dead:beef", "ipv6-addr", ""},
	{"malicious-update.example.com", "domain-name", ""},
	{"phish.login-secure.example.net", "domain-name", ""},
	{"https://downloads.example.org/payload.exe?id=42", "url", ""},
	{"http://198.51.100.23/gate.php", "url", ""},
	{"44d88612fea8a8f36de82e1278abb02f", "file", "MD5"},
	{"3395856ce81f2b7382dee72602f798b642f14140", "file", "SHA-1"},
	{"275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", "file", "SHA-256"},
}

// expectedDryRun derives, independently of the connector and of the
// library, the dry-run lines the sample must produce: what pycti 1.2.15
// publishes for the bundle the connector documents (author identity, TLP
// amber, per line an observable, an indicator and a based-on
// relationship), written with Python json.dumps separators. SCO ids are
// computed here from their definition (UUIDv5 in the STIX namespace over
// the canonical JSON of the id-contributing property; the values are
// plain ASCII, so the canonical JSON is written directly).
func expectedDryRun() string {
	sco := uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")
	ns := uuid.MustParse("6f3d9d37-8a0e-4b8a-9c55-3b1c0c2f7a11")
	q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
	const ts = `"2024-05-01T12:00:00.000Z"`
	const marking = `"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"`
	author := "identity--" + uuid.NewSHA1(ns, []byte("identity:Example IOC Feed")).String()
	identity := `{"type": "identity", "spec_version": "2.1", "id": ` + q(author) + `, "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "name": "Example IOC Feed", "identity_class": "organization"}`
	tlp := `{"type": "marking-definition", "spec_version": "2.1", "id": ` + marking + `, "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp", "name": "TLP:AMBER", "definition": {"tlp": "amber"}}`
	var out strings.Builder
	for n, l := range sampleLines {
		var obsID, obs, pattern string
		if l.kind == "file" {
			obsID = "file--" + uuid.NewSHA1(sco, []byte(`{"hashes":{"`+l.hash+`":"`+l.value+`"}}`)).String()
			obs = `{"type": "file", "spec_version": "2.1", "id": ` + q(obsID) + `, "hashes": {` + q(l.hash) + `: ` + q(l.value) + `}, "object_marking_refs": [` + marking + `]}`
			pattern = "[file:hashes.'" + l.hash + "' = '" + l.value + "']"
		} else {
			obsID = l.kind + "--" + uuid.NewSHA1(sco, []byte(`{"value":"`+l.value+`"}`)).String()
			obs = `{"type": ` + q(l.kind) + `, "spec_version": "2.1", "id": ` + q(obsID) + `, "value": ` + q(l.value) + `, "object_marking_refs": [` + marking + `]}`
			pattern = "[" + l.kind + ":value = '" + l.value + "']"
		}
		indID := "indicator--" + uuid.NewSHA1(ns, []byte("indicator:"+pattern)).String()
		ind := `{"type": "indicator", "spec_version": "2.1", "id": ` + q(indID) + `, "created_by_ref": ` + q(author) + `, "created": ` + ts + `, "modified": ` + ts +
			`, "name": ` + q(l.value) + `, "indicator_types": ["malicious-activity"], "pattern": ` + q(pattern) + `, "pattern_type": "stix", "pattern_version": "2.1", "valid_from": ` + ts +
			`, "object_marking_refs": [` + marking + `]}`
		relID := "relationship--" + uuid.NewSHA1(ns, []byte("based-on:"+indID+":"+obsID)).String()
		rel := `{"type": "relationship", "spec_version": "2.1", "id": ` + q(relID) + `, "created_by_ref": ` + q(author) + `, "created": ` + ts + `, "modified": ` + ts +
			`, "relationship_type": "based-on", "source_ref": ` + q(indID) + `, "target_ref": ` + q(obsID) + `, "object_marking_refs": [` + marking + `]}`
		// pycti 1.2.15's second pass: a relationship with its ends, its
		// creator and its markings, in a bundle of its own.
		piece := fmt.Sprintf(`{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-%012d", "spec_version": "2.0", "objects": [%s, %s, %s, %s, %s]}`, n+1, rel, ind, obs, identity, tlp)
		body := `{"type": "stix2-bundle", "entities_types": [], "content": "` + base64.StdEncoding.EncodeToString([]byte(piece)) + `"}`
		out.WriteString(`{"exchange": "amqp.opencti", "routing_key": "import.connectors.exampleiocfeed", "properties": {}, "body": ` + q(body) + "}\n")
	}
	return out.String()
}

// TestDryRunExpected runs the connector once in dry run with the built-in
// configuration and sample list, a fixed clock and counter bundle ids, and
// compares its output byte for byte with expectedDryRun.
func TestDryRunExpected(t *testing.T) {
	t.Setenv("CONNECTOR_STATE_FILE", filepath.Join(t.TempDir(), "state.json"))
	n := 0
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"-once", "-dry-run"}, &out, &errs, options{
		now:     func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) },
		newUUID: func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) },
	})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	want := strings.Split(expectedDryRun(), "\n")
	got := strings.Split(out.String(), "\n")
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), out.String())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("line %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
	}
	if !strings.Contains(errs.String(), `line="not an indicator!"`) {
		t.Errorf("rejected line not logged: %s", errs.String())
	}
	logs := errs.String()
	for _, w := range []string{"Bundle written (dry run)", "source=\"built-in config.sample.yml", "connector state file"} {
		if !strings.Contains(logs, w) {
			t.Errorf("logs lack %q:\n%s", w, logs)
		}
	}
	if strings.Contains(logs, "Bundle has been sent") {
		t.Errorf("a dry run claims it sent:\n%s", logs)
	}
}

// TestBadConfigurationIsAnError: a configuration that exists but is wrong
// (config.yml with port: abc, or RABBITMQ_PORT=abc) is an error naming
// the key and its variable, never a silent fall back to the sample.
func TestBadConfigurationIsAnError(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cases := []struct {
		name, yml string
		env       map[string]string
	}{
		{"config.yml", "rabbitmq:\n  hostname: localhost\n  port: abc\n  username: guest\n  password: guest\nconnector:\n  name: x\n  confidence_level: 1\n  log_level: info\n", nil},
		{"environment", "", map[string]string{"RABBITMQ_PORT": "abc"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove("config.yml")
			if tc.yml != "" {
				if err := os.WriteFile("config.yml", []byte(tc.yml), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out, errs bytes.Buffer
			code := run(context.Background(), []string{"-once"}, &out, &errs, options{})
			if code == 0 || out.Len() != 0 {
				t.Fatalf("exit %d, stdout %q", code, out.String())
			}
			if !strings.Contains(errs.String(), "rabbitmq.port (RABBITMQ_PORT)") {
				t.Fatalf("error does not name the key: %s", errs.String())
			}
		})
	}
}

func TestClassify(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.1": "ipv4-addr", "::1": "ipv6-addr", "Example.COM": "domain-name", "https://x.example/a": "url",
		"d41d8cd98f00b204e9800998ecf8427e": "file", "ftp://x": "", "foo": "", "1.2.3": "",
	} {
		i, ok := classify(in)
		if ok != (want != "") || i.kind != want {
			t.Errorf("%q: %q %v, want %q", in, i.kind, ok, want)
		}
	}
	if p := (ioc{kind: "url", value: `http://x/'\`}).pattern(); p != `[url:value = 'http://x/\'\\']` {
		t.Errorf("pattern %s", p)
	}
}
