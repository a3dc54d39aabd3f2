package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// bashComplete sources the bash script and returns the completions bash
// computes for the command line words (the last one being completed).
func bashComplete(t *testing.T, script string, words ...string) string {
	t.Helper()
	var quoted []string
	for _, w := range words {
		quoted = append(quoted, "'"+w+"'")
	}
	prog := script + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) +
		"\n_stixkit\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
	out, err := exec.Command("bash", "--norc", "--noprofile", "-c", prog).CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestCompletionBash(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	code, script, errs := runCLI("", "completion", "bash")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if out, err := exec.Command("bash", "-n", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	out, err := exec.Command("bash", "--norc", "--noprofile", "-c", script+"\ncomplete -p stixkit").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "-F _stixkit stixkit") {
		t.Fatalf("complete -p stixkit: %v %s", err, out)
	}
	for _, c := range []struct {
		words []string
		want  string
	}{
		{[]string{"stixkit", ""}, strings.Join(allCommands(), " ") + " --help --version"},
		{[]string{"stixkit", "va"}, "validate"},
		{[]string{"stixkit", "validate", "--j"}, "--json"},
		{[]string{"stixkit", "validate", "a.json", "--dis"}, "--disable --disallow-custom"},
		{[]string{"stixkit", "fmt", "--style", ""}, "canonical python python-pretty"},
		{[]string{"stixkit", "fmt", "--style", "python-"}, "python-pretty"},
		{[]string{"stixkit", "help", "v"}, "validate version"},
		{[]string{"stixkit", "completion", ""}, "bash zsh"},
		{[]string{"stixkit", "send", "--dry"}, "--dry-run"},
		{[]string{"stixkit", "gen", "--"}, "--out --package --schemas --help"},
	} {
		if got := bashComplete(t, script, c.words...); got != c.want {
			t.Errorf("%q: got %q want %q", c.words, got, c.want)
		}
	}
	// every flag of every command is offered, from the flag sets
	for _, name := range allCommands() {
		got := " " + bashComplete(t, script, "stixkit", name, "--") + " "
		for _, f := range commandFlags(commands[name]) {
			if !strings.Contains(got, " --"+f.name+" ") {
				t.Errorf("%s: --%s not completed (%s)", name, f.name, got)
			}
		}
	}
	// a directory flag completes directories
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "schemas-dir"), 0o755)
	os.WriteFile(filepath.Join(dir, "schemas-file"), nil, 0o644)
	t.Chdir(dir)
	if got := bashComplete(t, script, "stixkit", "gen", "--schemas", "sch"); got != "schemas-dir" {
		t.Errorf("gen --schemas: %q", got)
	}
}

func TestCompletionZsh(t *testing.T) {
	code, script, errs := runCLI("", "completion", "zsh")
	if code != 0 || errs != "" || !strings.HasPrefix(script, "#compdef stixkit\n") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, name := range allCommands() {
		if !strings.Contains(script, "\n        '"+name+":") || !strings.Contains(script, "\n    "+name+") _arguments ") {
			t.Errorf("zsh script lacks command %s", name)
		}
		for _, f := range commandFlags(commands[name]) {
			if !strings.Contains(script, "'--"+f.name+"[") {
				t.Errorf("zsh script lacks %s --%s", name, f.name)
			}
		}
	}
	if !strings.Contains(script, `'--style[output STYLE - canonical, python (Python stix2 serialize()) or python-pretty]:style:(canonical python python-pretty)'`) ||
		!strings.Contains(script, `'--schemas[DIR of JSON schemas (required)]:dir:_files -/'`) {
		t.Errorf("zsh flag specs:\n%s", script)
	}
	if _, err := exec.LookPath("zsh"); err != nil {
		t.Log("zsh is not installed: syntax not checked")
		return
	}
	if out, err := exec.Command("zsh", "-n", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	// Loaded after compinit, it registers itself for stixkit.
	out, err := exec.Command("zsh", "-f", "-c", "autoload -U compinit && compinit -u -D && source /dev/stdin <<'EOF'\n"+script+"EOF\nprint -r -- $_comps[stixkit]").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "_stixkit" {
		t.Errorf("zsh: compdef: %v %q", err, out)
	}
}
