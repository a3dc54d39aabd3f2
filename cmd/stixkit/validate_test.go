package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

func TestValidateCommand(t *testing.T) {
	dir := filepath.Join(testutil.RootDir(), "testdata", "invalid")
	for _, tc := range []struct {
		args []string
		exit int
		want string
	}{
		{[]string{filepath.Join(dir, "valid-base.json")}, 0, "valid: 4 objects, 0 errors, 0 warnings"},
		{[]string{filepath.Join(dir, "bad-lang.json")}, 2, "{must-lang}"},
		{[]string{"--strict", filepath.Join(dir, "custom-prefix.json")}, 2, "{101}"},
		{[]string{"--disable", "101,401", filepath.Join(dir, "custom-prefix.json")}, 0, "0 warnings"},
		{[]string{"--enforce-refs", filepath.Join(dir, "dangling-source-ref.json")}, 2, "{must-dangling-ref}"},
		{[]string{filepath.Join(dir, "no-such-file.json")}, 1, ""},
		{[]string{"--disable", "nope", filepath.Join(dir, "valid-base.json")}, 1, ""},
		{[]string{}, 1, ""},
		{[]string{"--version", "2.0", filepath.Join(dir, "valid-base.json")}, 2, "{must-bundle}"},
		{[]string{"--version", "3.0", filepath.Join(dir, "valid-base.json")}, 1, ""},
		{[]string{"--strict-types", filepath.Join(testutil.RootDir(), "validate", "testdata", "checks", "custom-type.json")}, 2, "{custom}"},
		{[]string{dir}, 2, "valid-base.json: valid"},
	} {
		var out, errb bytes.Buffer
		code := run(append([]string{"validate"}, tc.args...), strings.NewReader(""), &out, &errb)
		if code != tc.exit || !strings.Contains(out.String(), tc.want) {
			t.Errorf("%v: exit %d, want %d; output %q (stderr %q)", tc.args, code, tc.exit, out.String(), errb.String())
		}
	}
}

func TestValidateJSON(t *testing.T) {
	dir := filepath.Join(testutil.RootDir(), "testdata", "invalid")
	var out, errb bytes.Buffer
	code := run([]string{"validate", "--json", filepath.Join(dir, "valid-base.json"), filepath.Join(dir, "modified-before-created.json")}, nil, &out, &errb)
	if code != 2 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	// Compare the whole document, member order included; only the
	// message text (the validate package's wording) is taken as given.
	var doc struct {
		Files []struct {
			Errors []struct{ Message string }
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Files) != 2 || len(doc.Files[1].Errors) != 1 {
		t.Fatalf("%v: %s", err, out.String())
	}
	msg, _ := json.Marshal(doc.Files[1].Errors[0].Message)
	size := func(name string) string {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return strconv.FormatInt(fi.Size(), 10)
	}
	want := `{"valid": false, "files": [
		{"file": ` + jsonString(filepath.Join(dir, "valid-base.json")) + `, "valid": true, "objects": 4, "bytes": ` + size("valid-base.json") + `, "errors": [], "warnings": []},
		{"file": ` + jsonString(filepath.Join(dir, "modified-before-created.json")) + `, "valid": false, "objects": 2, "bytes": ` + size("modified-before-created.json") + `,
		 "errors": [{"id": "malware--2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "index": 1, "pointer": "/modified", "code": "must-timestamp-order", "message": ` + string(msg) + `}],
		 "warnings": []}]}`
	if d := testutil.JSONDiffOrdered([]byte(want), out.Bytes()); d != "" {
		t.Errorf("--json output differs at %s:\n%s", d, out.String())
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestValidateStdin(t *testing.T) {
	var out, errb bytes.Buffer
	in := `{"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "value": "198.51.100.3"}`
	if code := run([]string{"validate", "-"}, strings.NewReader(in), &out, &errb); code != 0 {
		t.Errorf("exit %d: %s %s", code, out.String(), errb.String())
	}
}

func TestValidateSchemasDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{a"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x-acme-widget.json"), []byte(`{"title":"x-acme-widget","type":"object","required":["size"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	obj := filepath.Join(testutil.RootDir(), "validate", "testdata", "checks", "custom-type.json")
	code := run([]string{"validate", "--schemas", dir, obj}, nil, &out, &errb)
	if code != 2 || !strings.Contains(out.String(), "size is required") || !strings.Contains(errb.String(), "broken.json left out") {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
}
