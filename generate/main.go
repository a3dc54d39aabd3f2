package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/stixkit/stixkit/generate/gen"
)

func main() {
	schemas := flag.String("schemas", "schemas", "directory of JSON schemas to generate from")
	out := flag.String("out", ".", "output directory")
	pkg := flag.String("package", "stix", "Go package name of the output")
	flag.Parse()
	if err := gen.WriteDir(*schemas, *out, gen.Options{Package: *pkg}); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}
