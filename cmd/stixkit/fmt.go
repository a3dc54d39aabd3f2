package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
)

func init() {
	commands["fmt"] = command{
		summary: "decode STIX (bundle, object or array of objects) and write it back in canonical form",
		run:     runFmt,
	}
}

func runFmt(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	style := fs.String("style", "canonical", "output style: canonical, python or python-pretty")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: stixkit fmt [--style canonical|python|python-pretty] FILE|-")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 1
	}
	st, err := bundle.ParseStyle(*style)
	if err != nil {
		fmt.Fprintln(stderr, "stixkit fmt:", err)
		return 1
	}
	data, err := readInput(fs.Arg(0), stdin)
	if err != nil {
		fmt.Fprintln(stderr, "stixkit fmt:", err)
		return 1
	}
	var out []byte
	if st == bundle.Canonical {
		objs, top, isArray, perr := parseInput(data)
		var kept *stix.KeptValuesError
		if errors.As(perr, &kept) && (top != nil || isArray) {
			// Kept verbatim and written back: reported, not fatal.
			for _, v := range kept.Values {
				fmt.Fprintf(stderr, "stixkit fmt: %s: warning: %v\n", fs.Arg(0), strings.TrimPrefix(v.String(), "stix: "))
			}
			perr = nil
		}
		if perr != nil {
			fmt.Fprintf(stderr, "stixkit fmt: %s: %v\n", fs.Arg(0), perr)
			return 1
		}
		out, err = canonicalOutput(objs, top, isArray)
	} else {
		// Python styles work from the JSON as the Python library would,
		// with its coercions of loosely typed values.
		out, err = bundle.FormatPython(data, st == bundle.PythonPretty)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stixkit fmt: %s: %v\n", fs.Arg(0), err)
		return 1
	}
	out = append(out, '\n')
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintln(stderr, "stixkit fmt:", err)
		return 1
	}
	return 0
}

// parseInput decodes a bundle, a single object or a JSON array of objects.
// For an array, objs holds its elements and top is nil; otherwise top is
// the decoded value and objs its objects (the bundle's, or top alone).
func parseInput(data []byte) (objs []stix.Object, top stix.Object, isArray bool, err error) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		objs, err = stix.ParseObjects(data)
		return objs, nil, true, err
	}
	top, err = stix.Parse(data)
	if top == nil {
		return nil, nil, false, err
	}
	if b, ok := top.(*stix.Bundle); ok {
		return b.Objects, top, false, err
	}
	return []stix.Object{top}, top, false, err
}

func canonicalOutput(objs []stix.Object, top stix.Object, isArray bool) ([]byte, error) {
	if !isArray {
		return stix.Marshal(top)
	}
	out := []byte{'['}
	for i, o := range objs {
		if i > 0 {
			out = append(out, ',')
		}
		var err error
		if out, err = stix.AppendJSON(out, o); err != nil {
			return nil, err
		}
	}
	return append(out, ']'), nil
}
