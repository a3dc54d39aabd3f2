package main

import (
	"errors"
	"io"
	"strings"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
)

func init() {
	register(&command{
		name:    "id",
		summary: "print the deterministic id of each SCO given, one per line",
		args:    "FILE|-",
		doc: `Prints, in input order, the id the Python stix2 library gives each SCO: a
UUIDv5 over its id-contributing properties, or a random UUIDv4 when it has
none (process always). Objects with created/modified (SDOs, SROs) are
skipped. The input streams: memory follows the largest object.`,
		run: runID,
	})
}

func runID(e *env, args []string) int {
	fs := e.flagSet()
	contrib := fs.String("contrib", "", "comma-separated id-contributing `PROPERTIES` for custom SCO types\n(default: every property but the common SCO ones)")
	args, ok := e.parse(fs, args)
	if !ok {
		return e.code
	}
	if len(args) != 1 {
		return e.usage("expected one FILE (or - for standard input)")
	}
	r, closeInput, err := openInput(args[0], e.stdin)
	if err != nil {
		return e.fail(err)
	}
	defer closeInput()
	var props []string
	if *contrib != "" {
		props = strings.Split(*contrib, ",")
	}
	if err := writeIDs(e.stdout, r, props); err != nil {
		return e.fail(inputError(args[0], nil, err))
	}
	return exitOK
}

// writeIDs writes the id of each SCO of r, one per line, escaped.
func writeIDs(w io.Writer, r io.Reader, contrib []string) error {
	dec := bundle.NewDecoder(r, bundle.DecodeOptions{})
	var line []byte
	for {
		o, err := dec.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return streamError(dec, err)
		}
		if !isSCO(o) {
			continue
		}
		var id stix.Identifier
		if contrib != nil {
			id, err = stix.DeterministicIDWith(o, contrib)
		} else {
			id, err = stix.DeterministicID(o)
		}
		if errors.Is(err, stix.ErrNoIDContributing) {
			id, err = stix.NewIdentifier(o.ObjectType()), nil
		}
		if err != nil {
			return &objectError{index: dec.Index(), typ: o.ObjectType(), err: err}
		}
		line = append(append(line[:0], escape(string(id))...), '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
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
