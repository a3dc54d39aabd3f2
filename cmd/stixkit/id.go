package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/stixkit/stixkit/stix"
)

func init() {
	commands["id"] = command{
		summary: "print the deterministic id of each SCO given, one per line",
		run:     runID,
	}
}

func runID(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("id", flag.ContinueOnError)
	fs.SetOutput(stderr)
	contrib := fs.String("contrib", "", "comma-separated id-contributing properties for custom SCO types\n(default: every property but the common SCO ones)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: stixkit id [--contrib a,b] FILE|-\n\nPrints, in input order, the id the Python stix2 library gives each SCO:\na UUIDv5 over its id-contributing properties, or a random UUIDv4 when it\nhas none (process always). Objects with created/modified (SDOs, SROs) are skipped.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 1
	}
	data, err := readInput(fs.Arg(0), stdin)
	if err != nil {
		fmt.Fprintln(stderr, "stixkit id:", err)
		return 1
	}
	objs, _, _, err := parseInput(data)
	if err != nil {
		fmt.Fprintf(stderr, "stixkit id: %s: %v\n", fs.Arg(0), err)
		return 1
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
			fmt.Fprintf(stderr, "stixkit id: object %d (%s): %v\n", i, o.ObjectType(), err)
			return 1
		}
		fmt.Fprintln(&out, id)
	}
	if _, err := io.WriteString(stdout, out.String()); err != nil {
		return 1
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
