package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

// Exit codes shared by every command.
const (
	exitOK    = 0
	exitError = 1 // the command failed (unreadable input, failed write, …)
	exitUsage = 1 // bad flags or arguments: same code as any other failure
	// exitInvalid is validate's "some file is invalid": the command worked
	// and the answer is no.
	exitInvalid = 2
)

// command is one sub-command of the CLI. Each command lives in its own file
// and registers itself from an init function.
type command struct {
	name    string
	summary string // one line for the command list
	args    string // synopsis of the positional arguments, e.g. "FILE|-"
	doc     string // longer help text (may be empty)
	// run declares the command's flags on e.flagSet(), calls e.parse, and
	// when parse says so returns e.code at once (help was printed, a usage
	// error was reported, or the framework only wanted the flags for help
	// or completion). Then it runs the command and returns the exit code.
	run func(e *env, args []string) int
}

// env is what a running command talks to.
type env struct {
	cmd    *command
	name   string    // the command name, for messages
	stdin  io.Reader // standard input
	stdout io.Writer // standard output; a failed write ends as exit 1
	stderr io.Writer // standard error (messages, progress)
	// code is the exit code to return when parse returns false.
	code int
	// describe asks the command only to declare its flags: parse then
	// keeps the flag set in fs and stops the command.
	describe bool
	fs       *flag.FlagSet
}

// flagSet returns the FlagSet the command declares its flags on.
func (e *env) flagSet() *flag.FlagSet {
	e.fs = newFlagSet(e.name)
	return e.fs
}

// parse parses args with fs (flags may follow file names; "--" ends the
// flags) and returns the positional arguments. When it returns false the
// command must return e.code at once: -h/--help printed the command's help
// on standard output (exit 0), a bad flag was reported (exit 1), or the
// framework only wanted the flag set.
func (e *env) parse(fs *flag.FlagSet, args []string) ([]string, bool) {
	e.fs = fs
	if e.describe {
		e.code = exitOK
		return nil, false
	}
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		commandHelp(e.stdout, e.cmd)
		e.code = exitOK
		return nil, false
	}
	if err != nil {
		e.code = e.usage("%s", flagNames.ReplaceAllString(err.Error(), "$1--$2"))
		return nil, false
	}
	return pos, true
}

// flagNames finds the flag names in the flag package's messages ("flag
// provided but not defined: -x"), written with one dash; help and the
// README write them with two.
var flagNames = regexp.MustCompile(`(: |flag )-([A-Za-z0-9][-A-Za-z0-9_]*)`)

// flagsOf returns the flags c declares (without running it).
func flagsOf(c *command) *flag.FlagSet {
	e := &env{cmd: c, name: c.name, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, describe: true}
	c.run(e, nil)
	if e.fs == nil {
		return newFlagSet(c.name)
	}
	return e.fs
}

// commands is filled by init functions of the per-command files.
var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line args and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := newOutput(stdout)
	code := dispatch(args, stdin, out, stderr)
	if err := out.finish(); err != nil {
		name := "stixkit"
		if len(args) > 0 && commands[args[0]] != nil {
			name += " " + args[0]
		} else if len(args) > 0 && strings.HasSuffix(args[0], "-version") {
			name += " version"
		}
		fmt.Fprintf(stderr, "%s: writing standard output: %s\n", name, escape(err.Error()))
		return exitError
	}
	return code
}

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		mainUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		mainUsage(stdout)
		return exitOK
	case "-version", "--version":
		return runCommand(commands["version"], nil, stdin, stdout, stderr)
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "stixkit: unknown command %q\nRun 'stixkit help' for the list of commands.\n", args[0])
		return exitUsage
	}
	return runCommand(c, args[1:], stdin, stdout, stderr)
}

// runCommand parses c's flags from args (flags may follow positional
// arguments; "--" ends the flags) and runs it.
func runCommand(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return c.run(&env{cmd: c, name: c.name, stdin: stdin, stdout: stdout, stderr: stderr}, args)
}

// fail reports err and returns exitError. An error writing standard output
// is not reported here: run reports it once, when the command returns.
func (e *env) fail(err error) int {
	var we *writeError
	if !errors.As(err, &we) {
		fmt.Fprintf(e.stderr, "stixkit %s: %s\n", e.name, escape(err.Error()))
	}
	return exitError
}

// failf reports a formatted error and returns exitError.
func (e *env) failf(format string, args ...any) int {
	return e.fail(fmt.Errorf(format, args...))
}

// usage reports a usage error, points at the command's help and returns
// exitUsage.
func (e *env) usage(format string, args ...any) int {
	fmt.Fprintf(e.stderr, "stixkit %s: %s\nRun 'stixkit %s --help' for usage.\n", e.name, escape(fmt.Sprintf(format, args...)), e.name)
	return exitUsage
}

// sortedCommands returns the commands by name.
func sortedCommands() []*command {
	cs := make([]*command, 0, len(commands))
	for _, c := range commands {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	return cs
}

func mainUsage(w io.Writer) {
	fmt.Fprint(w, "usage: stixkit <command> [flags] [args]\n\nCommands:\n")
	for _, c := range sortedCommands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'stixkit help <command>' or 'stixkit <command> --help' for a command's
flags. Flags may come before or after file names; "--" ends the flags, and
"-" as a file name is standard input.

Exit status: 0 success; 1 error or usage error; validate exits 2 when a
file is invalid.
`)
}

// commandHelp writes c's help: usage line, description and flags.
func commandHelp(w io.Writer, c *command) {
	fs := flagsOf(c)
	fmt.Fprintf(w, "usage: stixkit %s", c.name)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, " [flags]")
	}
	if c.args != "" {
		fmt.Fprint(w, " "+c.args)
	}
	fmt.Fprint(w, "\n\n"+c.summary+".\n")
	if c.doc != "" {
		fmt.Fprint(w, "\n"+strings.TrimRight(c.doc, "\n")+"\n")
	}
	fmt.Fprint(w, "\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		name, text := flag.UnquoteUsage(f)
		if n, ok := goTypeNames[name]; ok {
			name = n
		}
		head := "  --" + f.Name
		if name != "" {
			head += " " + name
		}
		fmt.Fprintln(w, head)
		if !isZeroDefault(f) {
			text += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		for _, l := range strings.Split(text, "\n") {
			fmt.Fprintln(w, "        "+l)
		}
	})
	fmt.Fprintln(w, "  -h, --help\n        print this help")
}

// goTypeNames turns the Go type names the flag package gives values
// without a `NAME` in their usage into words for the help; names given in
// the usage (`FILE`) are kept.
var goTypeNames = map[string]string{
	"string": "TEXT", "value": "VALUE", "int": "N", "uint": "N", "int64": "N", "uint64": "N",
	"float": "NUMBER", "duration": "DURATION",
}

func isZeroDefault(f *flag.Flag) bool {
	switch f.DefValue {
	case "", "0", "false", "[]":
		return true
	}
	return false
}

func init() {
	register(&command{
		name:    "help",
		summary: "print the list of commands, or a command's help",
		args:    "[COMMAND]",
		run:     runHelp,
	})
}

func runHelp(e *env, args []string) int {
	args, ok := e.parse(e.flagSet(), args)
	if !ok {
		return e.code
	}
	switch len(args) {
	case 0:
		mainUsage(e.stdout)
		return exitOK
	case 1:
		c, ok := commands[args[0]]
		if !ok {
			return e.usage("unknown command %q", args[0])
		}
		commandHelp(e.stdout, c)
		return exitOK
	}
	return e.usage("expected at most one command name, got %d arguments", len(args))
}
