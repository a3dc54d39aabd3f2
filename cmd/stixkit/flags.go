package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// newFlagSet returns a FlagSet that reports errors to its caller only:
// parseFlags' caller prints them, and help goes to standard output.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args with fs, letting flags and positional arguments
// mix in any order (`validate a.json --json`). "--" ends the flags; "-" is
// a positional argument (standard input). It returns the positional
// arguments in order, or flag.ErrHelp for -h/--help, or the flag error.
//
// A flag that takes a value consumes the next argument unless it is
// written --name=value; boolean flags never do.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil || isBoolFlag(f) {
			continue // unknown flags are reported by fs.Parse below
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if err := fs.Parse(flags); err != nil {
		return nil, err
	}
	return pos, nil
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// choiceValue is a string flag with a fixed set of values: a value outside
// it is a usage error, and completion offers the choices.
type choiceValue struct {
	v       *string
	choices []string
}

// choiceFlag defines a flag whose value is one of choices.
func choiceFlag(fs *flag.FlagSet, name, def string, choices []string, usage string) *string {
	v := def
	fs.Var(&choiceValue{&v, choices}, name, usage)
	return &v
}

func (c *choiceValue) String() string {
	if c.v == nil {
		return ""
	}
	return *c.v
}

// Set accepts one of the choices.
func (c *choiceValue) Set(s string) error {
	for _, x := range c.choices {
		if s == x {
			*c.v = s
			return nil
		}
	}
	return fmt.Errorf("want %s", joinOr(c.choices))
}

// joinOr lists words as "a, b or c".
func joinOr(ws []string) string {
	if len(ws) < 2 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}
