package main

import (
	"bytes"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
)

func init() {
	register(&command{
		name:    "fmt",
		summary: "decode STIX (bundle, object or array of objects) and write it back in canonical form",
		args:    "FILE|-",
		run:     runFmt,
	})
}

func runFmt(e *env, args []string) int {
	stdin, stdout := e.stdin, e.stdout
	fs := e.flagSet()
	style := fs.String("style", "canonical", "output style: canonical, python or python-pretty")
	args, ok := e.parse(fs, args)
	if !ok {
		return e.code
	}
	st, err := bundle.ParseStyle(*style)
	if err != nil {
		return e.usage("--style: %v", err)
	}
	if len(args) != 1 {
		return e.usage("expected one FILE (or - for standard input)")
	}
	data, err := readInput(args[0], stdin)
	if err != nil {
		return e.fail(err)
	}
	var out []byte
	if st == bundle.Canonical {
		objs, top, isArray, perr := parseInput(data)
		if perr != nil {
			return e.failf("%s: %w", args[0], perr)
		}
		out, err = canonicalOutput(objs, top, isArray)
	} else {
		// Python styles work from the JSON as the Python library would,
		// with its coercions of loosely typed values.
		out, err = bundle.FormatPython(data, st == bundle.PythonPretty)
	}
	if err != nil {
		return e.failf("%s: %w", args[0], err)
	}
	out = append(out, '\n')
	if _, err := stdout.Write(out); err != nil {
		return e.fail(err)
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
	if err != nil {
		return nil, nil, false, err
	}
	if b, ok := top.(*stix.Bundle); ok {
		return b.Objects, top, false, nil
	}
	return []stix.Object{top}, top, false, nil
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
