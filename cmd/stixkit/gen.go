package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
	dir := fs.String("schemas", "", "`DIR` of JSON schemas (required)")
	out := fs.String("out", "", "output `DIR` (required)")
	pkg := fs.String("package", "", "Go package `NAME` of the output (required)")
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
	if err := checkSchemaDir(*dir); err != nil {
		return e.fail(err)
	}
	opt := gen.Options{Package: *pkg}
	if *pkg != "stix" {
		opt.Base = schemas.Files()
	}
	if err := gen.WriteDir(*dir, *out, opt); err != nil {
		return e.fail(fmt.Errorf("--schemas %s: %s", *dir, cleanMessage(err.Error())))
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

// checkSchemaDir checks, before generating, that dir is a directory of
// *.json files that parse, so that a wrong path or a broken schema is
// named with its path and line:column.
func checkSchemaDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("--schemas %s: no such directory", dir)
		}
		return fmt.Errorf("--schemas %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("--schemas %s: not a directory", dir)
	}
	n := 0
	err = filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		n++
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var v json.RawMessage
		if err := json.Unmarshal(data, &v); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				line, col := lineCol(data, int(se.Offset)-1)
				return fmt.Errorf("%s:%d:%d: invalid JSON: %s", p, line, col, se)
			}
			return fmt.Errorf("%s: invalid JSON: %w", p, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("--schemas %s: no *.json schema files", dir)
	}
	return nil
}
