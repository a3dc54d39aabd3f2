package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/stixkit/stixkit/stix"
)

func init() {
	register(&command{
		name:    "id",
		summary: "print the deterministic id of each SCO given, one per line",
		args:    "FILE|-",
		run:     runID,
	})
}

func runID(e *env, args []string) int {
	stdin, stdout := e.stdin, e.stdout
	fs := e.flagSet()
	contrib := fs.String("contrib", "", "comma-separated id-contributing properties for custom SCO types\n(default: every property but the common SCO ones)")
	args, ok := e.parse(fs, args)
	if !ok {
		return e.code
	}
	if len(args) != 1 {
		return e.usage("expected one FILE (or - for standard input)")
	}
	data, err := readInput(args[0], stdin)
	if err != nil {
		return e.fail(err)
	}
	objs, _, _, err := parseInput(data)
	if err != nil {
		return e.failf("%s: %w", args[0], err)
	}
	var out strings.Builder
	for i, o := range objs {
		if !isSCO(o) {
			continue
		}
		var id stix.Identifier
		if *contrib != "" {
			id, err = stix.DeterministicIDWith(o, strings.Split(*contrib, ","))
		} else {
			id, err = stix.DeterministicID(o)
		}
		if errors.Is(err, stix.ErrNoIDContributing) {
			id, err = stix.NewIdentifier(o.ObjectType()), nil
		}
		if err != nil {
			return e.failf("object %d (%s): %w", i, o.ObjectType(), err)
		}
		fmt.Fprintln(&out, id)
	}
	if _, err := io.WriteString(stdout, out.String()); err != nil {
		return e.fail(err)
	}
	return 0
}

// isSCO reports whether o is a cyber-observable: a registered SCO type, or
// an unknown type without created and modified.
func isSCO(o stix.Object) bool {
	if info, ok := stix.Info(o.ObjectType()); ok {
		return info.Category == "sco"
	}
	if g, ok := o.(*stix.Generic); ok {
		_, c := g.Properties.Get("created")
		_, m := g.Properties.Get("modified")
		return !c && !m
	}
	return false
}
