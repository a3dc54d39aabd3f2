package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/stixkit/stixkit/generate/gen"
	"github.com/stixkit/stixkit/schemas"
)

func init() {
	commands["gen"] = command{
		summary: "generate Go types from STIX JSON schemas (your extension schemas)",
		run:     runGen,
	}
}

func runGen(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("schemas", "", "directory of JSON schemas (required)")
	out := fs.String("out", "", "output directory (required)")
	pkg := fs.String("package", "", "Go package name of the output (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: stixkit gen --schemas DIR --out DIR --package NAME\n\nSchemas may $ref the stixkit schemas (core.json, timestamp.json, …) by\nrelative path (../common/core.json) or by their $id; types they define\nthere are used from package stix.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if *dir == "" || *out == "" || *pkg == "" || fs.NArg() != 0 {
		fs.Usage()
		return 1
	}
	opt := gen.Options{Package: *pkg}
	if *pkg != "stix" {
		opt.Base = schemas.Files()
	}
	if err := gen.WriteDir(*dir, *out, opt); err != nil {
		fmt.Fprintln(stderr, "stixkit gen:", err)
		return 1
	}
	return 0
}
