package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stixkit/stixkit/validate"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"indicator--8e2e2d2b":             "indicator--8e2e2d2b",
		"é ≥ 日本 \\ \"q\"":                 "é ≥ 日本 \\ \"q\"",
		"a\x1b]0;title\x07b":              `a\x1b]0;title\x07b`,
		"\x1b[31mred\x1b[0m":              `\x1b[31mred\x1b[0m`,
		"line\nforged: valid\r\t":         `line\nforged: valid\r\t`,
		"c1 \u009b31m \u009d0;x\u009c":    `c1 \u009b31m \u009d0;x\u009c`,
		"del\x7f":                         `del\x7f`,
		"bad \xff\xfe utf8":               `bad \xff\xfe utf8`,
		"bidi \u202egnp.exe \u2066\u200b": `bidi \u202egnp.exe \u2066\u200b`,
		"sep\u2028\u2029\ufeff":           `sep\u2028\u2029\ufeff`,
	} {
		got := escape(in)
		if got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Errorf("escape(%q) leaves %U", in, r)
			}
		}
		if !utf8.ValidString(got) {
			t.Errorf("escape(%q) is not UTF-8", in)
		}
	}
}

// hostile is an input whose ids and values carry terminal escape
// sequences (OSC title, CSI colour, BEL, 8-bit CSI); hostileOK decodes.
const hostile = `[{"type":"x-\u001b]0;evil\u0007","spec_version":"2.1","name":"a"},` +
	`{"type":"indicator","spec_version":"2.1","id":"indicator--\u001b[31m\u009b","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"\u001b]8;;x\u0007","pattern":"[x:y = 1]","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}]`

const hostileOK = `[{"type":"x-\u001b]0;evil\u0007","spec_version":"2.1","name":"a\u009b31m"},` +
	`{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"\u001b]8;;x\u0007","pattern":"[x:y = 1]","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}]`

// TestHostileInputEscaped: no command writes a control character from the
// input to stdout or stderr. validate's --json output escapes C1 controls
// and bidi overrides too (\u009b); fmt's canonical JSON escapes C0
// controls (ESC, BEL) as JSON requires and keeps other characters as they
// are (its bytes are a contract).
func TestHostileInputEscaped(t *testing.T) {
	for _, c := range []struct {
		in   string
		args []string
	}{
		{hostile, []string{"validate", "-"}}, {hostile, []string{"validate", "--json", "-"}}, {hostile, []string{"fmt", "-"}}, {hostile, []string{"id", "-"}},
		{hostileOK, []string{"validate", "-"}}, {hostileOK, []string{"validate", "--json", "-"}}, {hostileOK, []string{"fmt", "-"}},
		{hostileOK, []string{"fmt", "--style", "python", "-"}}, {hostileOK, []string{"id", "-"}},
	} {
		args := c.args
		code, out, errs := runCLI(c.in, args...)
		if c.in == hostileOK && args[0] != "validate" && code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
		if args[0] == "fmt" && args[1] == "-" {
			out = strings.Map(func(r rune) rune {
				if r >= 0x80 && r < 0xa0 {
					return -1
				}
				return r
			}, out)
		}
		for _, s := range []string{out, errs} {
			for _, r := range s {
				if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
					t.Errorf("%v: %U reaches the terminal: %q", args, r, s)
					break
				}
			}
		}
		if c.in == hostile && args[0] == "validate" && len(args) == 2 && !strings.Contains(out, `indicator--\x1b[31m\u009b /pattern {must-pattern}`) {
			t.Errorf("validate: id not escaped as expected: %q", out)
		}
		if c.in == hostile && args[0] == "validate" && len(args) == 3 && !strings.Contains(out, `"id": "indicator--\u001b[31m\u009b"`) {
			t.Errorf("validate --json: id not escaped as expected: %q", out)
		}
		if args[0] == "id" && !strings.HasPrefix(out, `x-\x1b]0;evil\x07--`) {
			t.Errorf("id: %q", out)
		}
	}
	// a hostile file name is escaped too
	dir := t.TempDir()
	name := filepath.Join(dir, "a\x1b]0;x\x07.json")
	if err := os.WriteFile(name, []byte(`{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCLI("", "validate", name)
	if strings.ContainsRune(out, 0x1b) || !strings.Contains(out, `a\x1b]0;x\x07.json: valid: 1 object, 0 errors, 0 warnings`) {
		t.Errorf("file name: %q", out)
	}
}

// TestValidateSummary: counts read as a person writes them; no "-" stands
// for an id; stdin is named as such.
func TestValidateSummary(t *testing.T) {
	ip := `{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"}`
	code, out, _ := runCLI(ip, "validate", "-")
	if code != 0 || out != "<stdin>: valid: 1 object, 0 errors, 0 warnings\n" {
		t.Errorf("exit %d: %q", code, out)
	}
	ip2 := `{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--00f9d910-8d7b-53ca-abee-e556984ba08a","value":"198.51.100.4"}`
	code, out, _ = runCLI(`[`+ip+`,`+ip2+`]`, "validate", "-")
	if code != 0 || out != "<stdin>: valid: 2 objects, 0 errors, 0 warnings\n" {
		t.Errorf("exit %d: %q", code, out)
	}
	// a finding on the bundle envelope itself
	code, out, _ = runCLI(`{"type":"bundle","objects":[`+ip+`]}`, "validate", "-")
	if code != exitInvalid || !strings.Contains(out, "<stdin>: error (top level) /id {must-bundle}") || !strings.HasSuffix(out, "<stdin>: INVALID: 1 object, 1 error, 0 warnings\n") {
		t.Errorf("exit %d: %q", code, out)
	}
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 2 && f[2] == "-" {
			t.Errorf("placeholder id: %q", l)
		}
	}
	if count(0, "error") != "0 errors" || count(1, "error") != "1 error" || count(2, "warning") != "2 warnings" {
		t.Error("count")
	}
}

// TestValidateList: the check table fits 100 columns, names every check,
// and speaks of flags, not of Go option fields.
func TestValidateList(t *testing.T) {
	code, out, errs := runCLI("", "validate", "--list")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if n := utf8.RuneCountInString(l); n > listWidth {
			t.Errorf("%d columns: %q", n, l)
		}
	}
	for _, c := range validate.Checks() {
		if !strings.Contains(out, "\n"+c.Code+" ") {
			t.Errorf("--list lacks %s", c.Code)
		}
	}
	if strings.Contains(out, "EnforceRefs") || strings.Contains(out, "DisallowCustom") || !strings.Contains(out, "--enforce-refs") {
		t.Errorf("--list names Go identifiers:\n%s", out)
	}
	if got := wrap("aa bb cc dd", 5); strings.Join(got, "|") != "aa bb|cc dd" {
		t.Errorf("wrap: %q", got)
	}
}

// TestErrorsNameFilesAndFlags: errors name the file and position and the
// flags, never a Go package.
func TestErrorsNameFilesAndFlags(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("hello"), 0o644)
	noid := filepath.Join(dir, "noid.json")
	os.WriteFile(noid, []byte(`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":1}]}`), 0o644)
	schemas := filepath.Join(dir, "schemas")
	os.Mkdir(schemas, 0o755)
	os.WriteFile(filepath.Join(schemas, "x.json"), []byte("{\"type\": \"object\",\n  \"properties\": {,}}"), 0o644)
	setConnectorEnv(t)
	t.Chdir(dir)
	for _, c := range []struct {
		stdin string
		args  []string
		want  string // the whole of stderr
	}{
		{"", []string{"send", "--dry-run", bad}, "stixkit send: " + bad + ":1:1: not JSON: expecting value\n"},
		{"{\n\"a\":", []string{"send", "--dry-run", "-"}, "stixkit send: <stdin>:2:5: not JSON: expecting value, found end of input\n"},
		{"", []string{"send", "--dry-run", noid}, "stixkit send: " + noid + ": objects[0] property id: missing (pycti raises KeyError)\n"},
		{"", []string{"gen", "--schemas", "./nope", "--out", dir, "--package", "p"}, "stixkit gen: --schemas ./nope: no such directory\n"},
		{"", []string{"gen", "--schemas", bad, "--out", dir, "--package", "p"}, "stixkit gen: --schemas " + bad + ": not a directory\n"},
		{"", []string{"gen", "--schemas", schemas, "--out", dir, "--package", "p"}, "stixkit gen: " + filepath.Join(schemas, "x.json") + ":2:18: invalid JSON: invalid character ',' looking for beginning of object key string\n"},
		{"", []string{"gen", "--schemas", t.TempDir(), "--out", dir, "--package", "p"}, "stixkit gen: --schemas " + "DIR" + ": no *.json schema files\n"},
		{"{\n  \"type\": \"ipv4-addr\",\n  \"value\": \"a\", \"value\": \"b\"}", []string{"fmt", "-"}, "stixkit fmt: <stdin>: byte 50: invalid JSON: duplicate key \"value\"\n"},
		{"", []string{"fmt", bad}, "stixkit fmt: " + bad + ":1:1: invalid JSON: expected a bundle, an object or an array, found 'h'\n"},
		{"", []string{"fmt", dir}, "stixkit fmt: " + dir + ": is a directory, not a file\n"},
		{"", []string{"validate", "--disable", "nope", "-"}, "stixkit validate: --enable/--disable: unknown check \"nope\" (see stixkit validate --list)\nRun 'stixkit validate --help' for usage.\n"},
		{"[1]", []string{"id", "-"}, "stixkit id: <stdin>: byte 1: objects[0]: expected a STIX object (a JSON object), found a number\n"},
	} {
		code, out, errs := runCLI(c.stdin, c.args...)
		if strings.Contains(c.want, "DIR") {
			c.want = strings.Replace(c.want, "DIR", c.args[2], 1)
		}
		if code != exitError || errs != c.want || (c.args[0] != "send" && out != "") {
			t.Errorf("%v: exit %d, stdout %q\n stderr %q\n want   %q", c.args, code, out, errs, c.want)
		}
		for _, pkg := range []string{"stix:", "bundle:", "pyjson:", "helper:", "jsonscan:", "gen:"} {
			if strings.Contains(strings.TrimPrefix(errs, "stixkit "+c.args[0]+":"), pkg) {
				t.Errorf("%v: names package %s: %q", c.args, pkg, errs)
			}
		}
	}
}

// setConnectorEnv configures send through the environment (dry runs).
func setConnectorEnv(t *testing.T) {
	for k, v := range map[string]string{
		"OPENCTI_URL": "http://localhost:8080", "OPENCTI_TOKEN": "t", "CONNECTOR_ID": "c", "CONNECTOR_TYPE": "EXTERNAL_IMPORT",
		"CONNECTOR_NAME": "n", "CONNECTOR_SCOPE": "s", "CONNECTOR_CONFIDENCE_LEVEL": "50", "CONNECTOR_LOG_LEVEL": "info",
	} {
		t.Setenv(k, v)
	}
}
