package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one sub-command of the CLI.
type command struct {
	summary string
	// run executes the command with its arguments (without the command name)
	// and returns the process exit code.
	run func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is filled by init functions of the per-command files.
var commands = map[string]command{}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 1
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "stixkit: unknown command %q\n", args[0])
		usage(stderr)
		return 1
	}
	return c.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: stixkit <command> [flags] [args]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

// readInput reads a file argument, or stdin when the argument is "-".
func readInput(arg string, stdin io.Reader) ([]byte, error) {
	if arg == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(arg)
}
