package main

import (
	"strings"
	"testing"
)

// TestFmtKeptValues: values OpenCTI writes with the wrong type (a bare UUID
// in created_by_ref, "False" in revoked) are written back verbatim by the
// canonical style and reported on stderr with object id and property; the
// python style coerces "False" as the Python library does.
func TestFmtKeptValues(t *testing.T) {
	in := `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created_by_ref":"2f5b3c58-6c8b-4e5b-9f0a-2c8e3c1d9a77","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","revoked":"False"}]}`
	code, out, errs := runCLI(in, "fmt", "-")
	if code != 0 || out != in+"\n" {
		t.Errorf("exit %d: %s\n%s", code, out, errs)
	}
	for _, want := range []string{
		`object indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f (objects[0]): property /created_by_ref: value "2f5b3c58-6c8b-4e5b-9f0a-2c8e3c1d9a77" kept verbatim`,
		`object indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f (objects[0]): property /revoked: value "False" kept verbatim: expected a boolean`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	code, out, errs = runCLI(in, "fmt", "--style", "python", "-")
	if code != 0 || strings.Contains(out, "revoked") || !strings.Contains(out, `"created_by_ref": "2f5b3c58-6c8b-4e5b-9f0a-2c8e3c1d9a77"`) {
		t.Errorf("python: exit %d: %s\n%s", code, out, errs)
	}
	in = strings.Replace(in, `"revoked":"False"`, `"revoked":"True"`, 1)
	if _, out, _ = runCLI(in, "fmt", "--style", "python", "-"); !strings.Contains(out, `"revoked": true`) {
		t.Errorf("python True: %s", out)
	}
}
