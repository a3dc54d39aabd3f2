package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// binary builds cmd/stixkit once per test run (for tests that need a real
// process: /dev/full, build information, memory).
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "stixkit-cli-test")
	if err != nil {
		return "", err
	}
	exe := filepath.Join(dir, "stixkit")
	// -buildvcs=auto overrides a GOFLAGS=-buildvcs=false of the
	// environment: the version test needs the revision stamped.
	cmd := exec.Command("go", "build", "-buildvcs=auto", "-o", exe, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return exe, nil
})

func TestMain(m *testing.M) {
	code := m.Run()
	if exe, err := binary(); err == nil {
		os.RemoveAll(filepath.Dir(exe))
	}
	os.Exit(code)
}

func stixkitBinary(t *testing.T) string {
	t.Helper()
	exe, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

func allCommands() []string {
	return []string{"completion", "fmt", "gen", "help", "id", "send", "validate", "version"}
}

func TestCommandList(t *testing.T) {
	if got, want := strings.Join(commandNames(), " "), strings.Join(allCommands(), " "); got != want {
		t.Fatalf("commands %q, want %q", got, want)
	}
}

// TestHelp: `help CMD`, `CMD --help`, `CMD -h` and `CMD FILE --help` print
// the same help on stdout, exit 0, and the help names every flag.
func TestHelp(t *testing.T) {
	for _, name := range allCommands() {
		code, want, errs := runCLI("", "help", name)
		if code != 0 || errs != "" || !strings.HasPrefix(want, "usage: stixkit "+name) {
			t.Errorf("help %s: exit %d, stdout %q, stderr %q", name, code, want, errs)
			continue
		}
		for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {name, "-help"}, {name, "x.json", "--help"}} {
			code, out, errs := runCLI("", args...)
			if code != 0 || errs != "" || out != want {
				t.Errorf("%v: exit %d, stderr %q, stdout differs from help %s:\n%s", args, code, errs, name, out)
			}
		}
		fs := flagsOf(commands[name])
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(want, "--"+f.Name) {
				t.Errorf("help %s does not name --%s", name, f.Name)
			}
		})
		for _, l := range strings.Split(want, "\n") {
			if f := strings.Fields(l); strings.HasPrefix(l, "  --") && len(f) == 2 && strings.ToLower(f[1]) == f[1] {
				t.Errorf("help %s shows a Go type as a value name: %q", name, l)
			}
		}
		if !strings.Contains(want, "-h, --help") {
			t.Errorf("help %s does not name --help", name)
		}
	}
	// the command list
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		code, out, errs := runCLI("", args...)
		if code != 0 || errs != "" || !strings.HasPrefix(out, "usage: stixkit <command>") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
		for _, name := range allCommands() {
			if !strings.Contains(out, "\n  "+name+" ") {
				t.Errorf("%v: command list lacks %s", args, name)
			}
		}
	}
	// no command at all is a usage error: the list goes to stderr
	if code, out, errs := runCLI(""); code != exitUsage || out != "" || !strings.HasPrefix(errs, "usage: stixkit") {
		t.Errorf("no args: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestUsageErrors: every command reports bad flags and arguments on stderr
// only, with the same exit code, pointing at its help.
func TestUsageErrors(t *testing.T) {
	cases := [][]string{
		{"nosuchcommand"},
		{"help", "nosuchcommand"},
		{"help", "fmt", "id"},
		{"version", "extra"},
		{"completion"},
		{"completion", "fish"},
		{"fmt"},
		{"fmt", "a.json", "b.json"},
		{"fmt", "--style", "yaml", "-"},
		{"fmt", "-", "--style"},
		{"id"},
		{"gen"},
		{"gen", "--schemas", "x", "--out", "y"},
		{"gen", "--schemas", "x", "--out", "y", "--package", "p", "extra"},
		{"validate"},
		{"validate", "--workers", "many", "-"},
		{"send"},
		{"send", "a.json", "b.json"},
	}
	for _, name := range allCommands() {
		cases = append(cases, []string{name, "--no-such-flag"})
	}
	for _, args := range cases {
		code, out, errs := runCLI("", args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(errs, "stixkit") {
			t.Errorf("%v: exit %d (want %d), stdout %q, stderr %q", args, code, exitUsage, out, errs)
		}
		if strings.Contains(errs, "usage: stixkit") && len(args) > 0 {
			t.Errorf("%v: a usage error prints the whole help on stderr: %q", args, errs)
		}
		if len(args) > 1 && args[0] != "help" && !strings.Contains(errs, "stixkit "+args[0]+" --help") {
			t.Errorf("%v: the error does not point at the help: %q", args, errs)
		}
	}
	if _, _, errs := runCLI("", "fmt", "--nope", "-"); !strings.Contains(errs, "flag provided but not defined: --nope") {
		t.Errorf("unknown flag not named: %q", errs)
	}
	if _, _, errs := runCLI("", "gen", "--out", "y"); !strings.Contains(errs, "missing --schemas and --package") {
		t.Errorf("gen: missing flags not named: %q", errs)
	}
	if _, _, errs := runCLI("", "fmt", "--style", "yaml", "-"); errs != "stixkit fmt: invalid value \"yaml\" for flag --style: want canonical, python or python-pretty\nRun 'stixkit fmt --help' for usage.\n" {
		t.Errorf("fmt --style yaml: %q", errs)
	}
	if _, _, errs := runCLI("", "validate", "-", "--workers"); !strings.Contains(errs, "flag needs an argument: --workers") {
		t.Errorf("validate - --workers: %q", errs)
	}
}

func TestParseFlags(t *testing.T) {
	for _, c := range []struct {
		args      []string
		pos       string
		json, str string
	}{
		{[]string{"a.json", "--json"}, "a.json", "true", ""},
		{[]string{"--json", "a.json", "b.json"}, "a.json b.json", "true", ""},
		{[]string{"a.json", "--s", "v", "b.json"}, "a.json b.json", "false", "v"},
		{[]string{"a.json", "-s=v", "-"}, "a.json -", "false", "v"},
		{[]string{"--s", "--json", "a"}, "a", "false", "--json"}, // a value-taking flag takes the next word
		{[]string{"a", "--", "--json", "-s"}, "a --json -s", "false", ""},
		{[]string{"--json=false", "a"}, "a", "false", ""},
	} {
		fs := newFlagSet("t")
		j := fs.Bool("json", false, "")
		s := fs.String("s", "", "")
		pos, err := parseFlags(fs, c.args)
		if err != nil || strings.Join(pos, " ") != c.pos || fmt.Sprint(*j) != c.json || *s != c.str {
			t.Errorf("%q: pos %q json %v s %q err %v", c.args, pos, *j, *s, err)
		}
	}
	fs := newFlagSet("t")
	fs.String("s", "", "")
	if _, err := parseFlags(fs, []string{"a", "-s"}); err == nil || !strings.Contains(err.Error(), "flag needs an argument: -s") {
		t.Errorf("missing value: %v", err)
	}
	if _, err := parseFlags(fs, []string{"a", "--help"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v", err)
	}
}

// TestFlagsAfterFiles runs real commands with flags after their file names.
func TestFlagsAfterFiles(t *testing.T) {
	valid := filepath.Join(testutil.RootDir(), "testdata", "invalid", "valid-base.json")
	code, out, errs := runCLI("", "validate", valid, "--json")
	if code != 0 || !strings.HasPrefix(out, "{\n  \"valid\": true,") {
		t.Errorf("validate FILE --json: exit %d %s, %q", code, errs, out)
	}
	in := `{"type":"ipv4-addr","spec_version":"2.1","value":"1.2.3.4"}`
	code, out, errs = runCLI(in, "fmt", "-", "--style", "python")
	_, before, _ := runCLI(in, "fmt", "--style", "python", "-")
	if code != 0 || !strings.HasPrefix(out, `{"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--`) || out != before {
		t.Errorf("fmt - --style python: exit %d %s, %q (flags first: %q)", code, errs, out, before)
	}
	// after "--", --json is a file name
	code, out, errs = runCLI("", "validate", valid, "--", "--json")
	if code != exitError || !strings.Contains(errs, "--json: open --json: no such file") || !strings.Contains(out, "valid: 4 objects") {
		t.Errorf("validate FILE -- --json: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestVersionLine(t *testing.T) {
	for _, c := range []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{nil, "stixkit (unknown version: no build information)"},
		{&debug.BuildInfo{GoVersion: "go1.24.2", Main: debug.Module{Version: "v1.2.0"}}, "stixkit v1.2.0 (go1.24.2)"},
		{&debug.BuildInfo{GoVersion: "go1.24.2", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0f4439e1c2d3aaaabbbbccccddddeeeeffff0000"}, {Key: "vcs.time", Value: "2026-12-01T13:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			"stixkit (devel) 0f4439e1c2d3 2026-12-01T13:00:00Z modified (go1.24.2)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201130000-0f4439e1c2d3"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0f4439e1c2d3aaaabbbbccccddddeeeeffff0000"}}},
			"stixkit v0.0.0-20261201130000-0f4439e1c2d3"},
	} {
		if got := versionLine(c.bi); got != c.want {
			t.Errorf("got %q want %q", got, c.want)
		}
	}
}

// TestVersionBinary: a binary built from this checkout names its revision,
// and `version` and `--version` agree.
func TestVersionBinary(t *testing.T) {
	exe := stixkitBinary(t)
	a, err := exec.Command(exe, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(exe, "--version").Output()
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("--version %q (%v) != version %q", b, err, a)
	}
	// A linked worktree gives "(devel)"; a clone (Go 1.24+ stamps VCS
	// info) gives a pseudo-version naming the commit.
	if !strings.HasPrefix(string(a), "stixkit (devel) ") && !strings.HasPrefix(string(a), "stixkit v") {
		t.Errorf("version %q", a)
	}
	// Go stamps the revision of a git checkout whose .git is a directory
	// (a clone, as in CI), not of a linked worktree.
	rev, err := exec.Command("git", "-C", testutil.RootDir(), "rev-parse", "HEAD").Output()
	if fi, serr := os.Stat(filepath.Join(testutil.RootDir(), ".git")); err != nil || serr != nil || !fi.IsDir() {
		t.Logf("not a git clone: revision not checked")
		return
	}
	if !strings.Contains(string(a), string(rev[:12])) {
		t.Errorf("version %q does not name revision %s", a, rev[:12])
	}
}

// TestWriteFailure: every command that writes to standard output fails,
// exit 1 with one message, when the write fails (a full disk).
func TestWriteFailure(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	exe := stixkitBinary(t)
	valid := filepath.Join(testutil.RootDir(), "testdata", "invalid", "valid-base.json")
	sco := filepath.Join(t.TempDir(), "sco.json")
	if err := os.WriteFile(sco, []byte(`{"type":"ipv4-addr","spec_version":"2.1","value":"1.2.3.4"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"fmt", valid}, {"fmt", "--style", "python-pretty", valid}, {"id", sco},
		{"validate", valid}, {"validate", "--json", valid}, {"validate", "--list"},
		{"help"}, {"help", "validate"}, {"validate", "--help"}, {"version"}, {"--version"},
		{"completion", "bash"}, {"completion", "zsh"},
		{"send", "--dry-run", valid},
	} {
		full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(exe, args...)
		cmd.Stdout = full
		var errb bytes.Buffer
		cmd.Stderr = &errb
		cmd.Dir = t.TempDir()
		cmd.Env = append(os.Environ(), "OPENCTI_URL=http://localhost:8080", "OPENCTI_TOKEN=t", "CONNECTOR_ID=c", "CONNECTOR_TYPE=EXTERNAL_IMPORT",
			"CONNECTOR_NAME=n", "CONNECTOR_SCOPE=s", "CONNECTOR_CONFIDENCE_LEVEL=50", "CONNECTOR_LOG_LEVEL=info")
		err = cmd.Run()
		full.Close()
		code := cmd.ProcessState.ExitCode()
		name := args[0]
		if name == "--version" {
			name = "version"
		}
		if code != exitError || !strings.Contains(errb.String(), "writing standard output: write /dev/stdout: no space left on device") ||
			strings.Count(errb.String(), "stixkit "+name+": writing standard output") != 1 {
			t.Errorf("%v > /dev/full: exit %d (%v), stderr %q", args, code, err, errb.String())
		}
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteFailureInProcess(t *testing.T) {
	var errb bytes.Buffer
	code := run([]string{"version"}, nil, failWriter{}, &errb)
	if code != exitError || errb.String() != "stixkit version: writing standard output: disk full\n" {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
