package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sendConfig writes a 6.x configuration whose platform and broker do not
// exist (nothing may be contacted in these tests).
func sendConfig(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "config.yml")
	yml := "opencti:\n  url: 'http://127.0.0.1:1'\n  token: 'tok'\nconnector:\n  id: 'a5dcd1e0-2d44-4a2d-9b5d-2a0b1f3c0001'\n  name: 'c'\n  type: 'EXTERNAL_IMPORT'\n  log_level: 'info'\n"
	if err := os.WriteFile(p, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// envelope decodes the message body of each dry-run line.
func envelopes(t *testing.T, out string) []map[string]json.RawMessage {
	var envs []map[string]json.RawMessage
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m struct{ Body string }
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		var env map[string]json.RawMessage
		if err := json.Unmarshal([]byte(m.Body), &env); err != nil {
			t.Fatal(err)
		}
		envs = append(envs, env)
	}
	return envs
}

const sendBundle = `{"type": "bundle", "id": "bundle--1", "objects": [{"type": "tool", "id": "tool--00000000-0000-4000-8000-000000000001", "name": "T"}]}`

// TestSendPyctiArguments: --draft-id, --entities-types-string and
// --event-version ” reach the message as pycti writes them.
func TestSendPyctiArguments(t *testing.T) {
	cfg := sendConfig(t)
	code, out, errs := runCLI(sendBundle, "send", "--config", cfg, "--dry-run", "--draft-id", "draft-9",
		"--entities-types-string", "Report,Tool", "--event-version", "", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	env := envelopes(t, out)[0]
	if string(env["draft_id"]) != `"draft-9"` || string(env["entities_types"]) != `"Report,Tool"` {
		t.Fatalf("envelope %s %s", env["draft_id"], env["entities_types"])
	}
	var content string
	json.Unmarshal(env["content"], &content)
	piece, _ := base64.StdEncoding.DecodeString(content)
	if !strings.HasSuffix(string(piece), `], "x_opencti_event_version": ""}`) {
		t.Fatalf("piece %s", piece)
	}
	// Unset: no event version, entities_types as a list.
	code, out, _ = runCLI(sendBundle, "send", "--config", cfg, "--dry-run", "--entities-types", "Report,Tool", "-")
	env = envelopes(t, out)[0]
	json.Unmarshal(env["content"], &content)
	piece, _ = base64.StdEncoding.DecodeString(content)
	if code != 0 || string(env["entities_types"]) != `["Report", "Tool"]` || strings.Contains(string(piece), "x_opencti_event_version") || string(env["draft_id"]) != "null" {
		t.Fatalf("exit %d: %s %s", code, env["entities_types"], piece)
	}
	if code, _, errs := runCLI(sendBundle, "send", "--config", cfg, "--dry-run", "--entities-types", "a", "--entities-types-string", "b", "-"); code == 0 || !strings.Contains(errs, "not both") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

// TestSendNothingToImportFirst: as pycti, "Nothing to import" is raised
// before registering or connecting (the configured platform does not
// exist, so any attempt would fail differently and slowly).
func TestSendNothingToImportFirst(t *testing.T) {
	start := time.Now()
	code, out, errs := runCLI(`{"type": "bundle", "objects": [{"type": "x-mitre-tactic", "id": "x-mitre-tactic--1"}]}`, "send", "--config", sendConfig(t), "-")
	if code == 0 || out != "" || !strings.Contains(errs, "Nothing to import") || strings.Contains(errs, "registerConnector") {
		t.Fatalf("exit %d, stdout %q: %s", code, out, errs)
	}
	if strings.Count(errs, "Nothing to import") != 1 {
		t.Errorf("reported more than once: %s", errs)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}
