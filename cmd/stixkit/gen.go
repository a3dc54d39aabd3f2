package main

import (
	"fmt"

	"github.com/stixkit/stixkit/generate/gen"
	"github.com/stixkit/stixkit/schemas"
)

func init() {
	register(&command{
		name:    "gen",
		summary: "generate Go types from STIX JSON schemas (your extension schemas)",
		doc: `Writes one Go file per schema of --schemas into --out. Schemas may $ref the
stixkit schemas (core.json, timestamp.json, …) by relative path
(../common/core.json) or by their $id; types they define there are used
from package stix.`,
		run: runGen,
	})
}

func runGen(e *env, args []string) int {
	fs := e.flagSet()
	dir := fs.String("schemas", "", "directory of JSON schemas (required)")
	out := fs.String("out", "", "output directory (required)")
	pkg := fs.String("package", "", "Go package name of the output (required)")
	args, ok := e.parse(fs, args)
	if !ok {
		return e.code
	}
	var missing []string
	for _, f := range []struct {
		name, v string
	}{{"--schemas", *dir}, {"--out", *out}, {"--package", *pkg}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return e.usage("missing %s", joinWords(missing))
	}
	if len(args) != 0 {
		return e.usage("takes no arguments (got %q)", args[0])
	}
	opt := gen.Options{Package: *pkg}
	if *pkg != "stix" {
		opt.Base = schemas.Files()
	}
	if err := gen.WriteDir(*dir, *out, opt); err != nil {
		return e.fail(err)
	}
	return exitOK
}

// joinWords joins words as a person lists them: "a", "a and b", "a, b and c".
func joinWords(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	s := ws[0]
	for _, w := range ws[1 : len(ws)-1] {
		s += ", " + w
	}
	return fmt.Sprintf("%s and %s", s, ws[len(ws)-1])
}
