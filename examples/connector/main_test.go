package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDryRunGolden runs the connector once in dry run with the built-in
// configuration and sample list, a fixed clock and counter bundle ids, and
// compares its output with testdata/dryrun.golden.jsonl
// (regenerate with UPDATE_GOLDEN=1 and review the diff).
func TestDryRunGolden(t *testing.T) {
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
	golden := filepath.Join("testdata", "dryrun.golden.jsonl")
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("output differs from %s:\n%s", golden, out.String())
	}
	// Independent checks of the content: one message per indicator, each a
	// relationship with its indicator, observable, author and marking.
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d messages, want 10 (one per valid line of the sample)", len(lines))
	}
	for i, l := range lines {
		var m struct{ Exchange, Body string }
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		var body struct{ Content string }
		json.Unmarshal([]byte(m.Body), &body)
		raw, _ := base64.StdEncoding.DecodeString(body.Content)
		var b struct {
			Objects []struct{ Type string } `json:"objects"`
		}
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, o := range b.Objects {
			types = append(types, o.Type)
		}
		got := strings.Join(types, ",")
		if !strings.HasPrefix(got, "relationship,indicator,") || !strings.HasSuffix(got, ",identity,marking-definition") || len(types) != 5 {
			t.Errorf("message %d objects %s", i, got)
		}
	}
	if !strings.Contains(errs.String(), `line="not an indicator!"`) {
		t.Errorf("rejected line not logged: %s", errs.String())
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
