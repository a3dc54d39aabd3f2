package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/stixkit/stixkit/schemas"
	"github.com/stixkit/stixkit/validate"
)

func init() {
	register(&command{
		name:    "validate",
		summary: "validate STIX bundles: schemas, specification rules, patterns, best practices",
		args:    "FILE|DIR...|-",
		doc: "Validates each file (a bundle, an object or an array of objects; - is stdin)\n" +
			"against the STIX 2.1 schemas, the specification's MUST rules and, as\n" +
			"warnings, its SHOULD best practices (OASIS validator codes).\n\n" +
			"Exit status: 0 all valid, 2 some file invalid, 1 unreadable input or usage error.",
		run: runValidate,
	})
}

// listFlag collects a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// jsonFinding is a finding in --json output.
type jsonFinding struct {
	ID      string `json:"id"`
	Index   int    `json:"index"`
	Pointer string `json:"pointer"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// jsonFile is one file's result in --json output.
type jsonFile struct {
	File      string        `json:"file"`
	Valid     bool          `json:"valid"`
	Objects   int           `json:"objects"`
	Bytes     int64         `json:"bytes"`
	Errors    []jsonFinding `json:"errors"`
	Warnings  []jsonFinding `json:"warnings"`
	Truncated bool          `json:"truncated,omitempty"`
	// Interrupted is set when Ctrl-C stopped the validation of the file.
	Interrupted bool `json:"interrupted,omitempty"`
	// Failure holds why the file could not be read at all.
	Failure string `json:"failure,omitempty"`
}

// progressThreshold is the input size above which a progress line is
// written to a terminal.
const progressThreshold = 32 << 20

func runValidate(e *env, args []string) int {
	stdin, stdout, stderr := e.stdin, e.stdout, e.stderr
	fs := e.flagSet()
	asJSON := fs.Bool("json", false, "write one JSON document with the results of every file")
	strict := fs.Bool("strict", false, "report best-practice (SHOULD) findings as errors")
	enforce := fs.Bool("enforce-refs", false, "references must resolve to objects of the same file")
	noCustom := fs.Bool("disallow-custom", false, "report custom content as errors: --strict-types and --strict-properties, plus the Python stix2 library's rules without allow_custom")
	strictTypes := fs.Bool("strict-types", false, "custom object types are errors (types declared by new-sdo/new-sco/new-sro extensions are not custom)")
	strictProps := fs.Bool("strict-properties", false, "custom properties are errors (properties declared by a toplevel-property-extension are not custom)")
	version := fs.String("version", "", "validate as this STIX version: 2.0 or 2.1 (default: by each object's spec_version)")
	schemaDir := fs.String("schemas", "", "directory of extra JSON schemas (custom objects and extensions), searched recursively")
	recursive := fs.Bool("r", false, "recurse into directories (*.json files)")
	workers := fs.Int("workers", 0, "goroutines validating objects (default: all cores)")
	maxFindings := fs.Int("max-findings", 0, "stop recording findings after this many per file (0: no limit)")
	listChecks := fs.Bool("list", false, "list the checks with their codes and names, then exit")
	var enable, disable listFlag
	fs.Var(&enable, "enable", "only these SHOULD checks (codes or names, comma-separated; repeatable)")
	fs.Var(&disable, "disable", "turn off these checks (codes or names, comma-separated; repeatable)")
	args, ok := e.parse(fs, args)
	if !ok {
		return e.code
	}
	if *listChecks {
		printChecks(stdout, validate.Checks())
		return 0
	}
	if len(args) == 0 {
		return e.usage("expected at least one FILE (or - for standard input)")
	}
	opt := validate.Options{
		Strict: *strict, EnforceRefs: *enforce, DisallowCustom: *noCustom, Enable: enable, Disable: disable,
		Workers: *workers, MaxFindings: *maxFindings,
		StrictTypes: *strictTypes || *noCustom, StrictProperties: *strictProps || *noCustom, Version: *version,
	}
	switch *version {
	case "", "2.0", "2.1":
	default:
		return e.usage("--version must be 2.0 or 2.1")
	}
	if *schemaDir != "" {
		sv, err := loadSchemas(*schemaDir, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "stixkit validate: --schemas:", err)
			return 1
		}
		opt.Schemas = sv
	}
	if _, err := validate.EnabledCodes(opt.Enable, opt.Disable); err != nil {
		return e.usage("--enable/--disable: %s", optionFlags.Replace(cleanMessage(err.Error())))
	}
	// Ctrl-C stops the validation; the findings of the files (and, for
	// the file being read, of the objects) done so far are printed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	names, err := expandArgs(args, *recursive)
	if err != nil {
		fmt.Fprintln(stderr, "stixkit validate:", err)
		return 1
	}
	exit := 0
	var files []jsonFile
	for _, name := range names {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "stixkit validate: interrupted")
			exit = 1
			break
		}
		fopt := opt
		if !*asJSON {
			// Findings are written as they are found, in input order.
			fopt.OnFinding = func(f *validate.Finding, isErr bool) {
				kind := "warning"
				if isErr {
					kind = "error"
				}
				findingLine(stdout, name, kind, f)
			}
		}
		jf, rep, err := validateOne(ctx, name, stdin, stderr, fopt)
		if errors.Is(err, context.Canceled) && rep != nil {
			// Ctrl-C: what was found so far, then stop.
			if *asJSON {
				jf.Interrupted = true
				files = append(files, jf)
			} else {
				printSummary(stdout, name, rep, " (interrupted)")
			}
			fmt.Fprintln(stderr, "stixkit validate: interrupted")
			exit = 1
			break
		}
		if err != nil {
			exit = 1
			if *asJSON {
				files = append(files, jsonFile{File: name, Failure: err.Error(), Errors: []jsonFinding{}, Warnings: []jsonFinding{}})
			} else {
				e.fail(inputError(name, nil, err))
			}
			continue
		}
		if !rep.Valid && exit == 0 {
			exit = 2
		}
		if *asJSON {
			files = append(files, jf)
			continue
		}
		printSummary(stdout, name, rep, "")
	}
	if *asJSON {
		enc := json.NewEncoder(jsonSafeWriter{stdout})
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(struct {
			Valid bool       `json:"valid"`
			Files []jsonFile `json:"files"`
		}{exit == 0, files}); err != nil {
			return e.fail(err)
		}
	}
	return exit
}

// loadSchemas compiles the embedded schemas plus the *.json files of dir.
// A file that is not JSON, or does not compile, is left out with a warning
// on stderr (as the OASIS validator goes on without it).
func loadSchemas(dir string, stderr io.Writer) (*schemas.Validator, error) {
	skip := map[string]bool{}
	for {
		sv, err := schemas.New(schemas.Options{Extra: skipFS{os.DirFS(dir), skip}})
		if err == nil {
			return sv, nil
		}
		// Find the file at fault: the message names it.
		bad := ""
		_ = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, werr error) error {
			if werr == nil && !d.IsDir() && !skip[p] && strings.Contains(err.Error(), ": "+p+": ") {
				bad = p
				return fs.SkipAll
			}
			return nil
		})
		if bad == "" {
			return nil, err
		}
		fmt.Fprintf(stderr, "stixkit validate: warning: --schemas: %s left out: %s\n", escape(bad), escape(err.Error()))
		skip[bad] = true
	}
}

// skipFS hides some files of an fs.FS.
type skipFS struct {
	fsys fs.FS
	skip map[string]bool
}

func (s skipFS) Open(name string) (fs.File, error) {
	if s.skip[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return s.fsys.Open(name)
}

func (s skipFS) ReadDir(name string) ([]fs.DirEntry, error) {
	ents, err := fs.ReadDir(s.fsys, name)
	out := ents[:0]
	for _, e := range ents {
		if !s.skip[path.Join(name, e.Name())] {
			out = append(out, e)
		}
	}
	return out, err
}

// expandArgs replaces directories by the *.json files they hold (with
// recurse, in subdirectories too), in lexical order.
func expandArgs(args []string, recurse bool) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if a == "-" || err != nil || !fi.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != a && !recurse {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(strings.ToLower(p), ".json") {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func validateOne(ctx context.Context, name string, stdin io.Reader, stderr io.Writer, opt validate.Options) (jsonFile, *validate.Report, error) {
	var r io.Reader = stdin
	var size int64 = -1
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return jsonFile{}, nil, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			if fi.IsDir() {
				return jsonFile{}, nil, fmt.Errorf("is a directory")
			}
			size = fi.Size()
		}
		r = f
	}
	if isTerminal(stderr) && (size < 0 || size > progressThreshold) {
		start := time.Now()
		last := start
		opt.Progress = func(objects int, n int64) {
			if now := time.Now(); now.Sub(last) > 500*time.Millisecond {
				last = now
				mb := float64(n) / (1 << 20)
				pct := ""
				if size > 0 {
					pct = fmt.Sprintf(" (%.0f%%)", 100*float64(n)/float64(size))
				}
				fmt.Fprintf(stderr, "\r%s: %s, %.1f MB%s, %.1f MB/s ", escape(displayName(name)), count(objects, "object"), mb, pct, mb/now.Sub(start).Seconds())
			}
		}
		defer fmt.Fprint(stderr, "\r\033[K")
	}
	rep, err := validate.Reader(ctx, r, opt)
	if rep == nil {
		return jsonFile{}, nil, err
	}
	jf := jsonFile{File: name, Valid: rep.Valid, Objects: rep.Objects, Bytes: rep.Bytes, Truncated: rep.Truncated,
		Errors: toJSON(rep.Errors), Warnings: toJSON(rep.Warnings)}
	return jf, rep, err
}

func toJSON(fs []*validate.Finding) []jsonFinding {
	out := make([]jsonFinding, len(fs))
	for i, f := range fs {
		out[i] = jsonFinding{ID: f.ObjectID, Index: f.Index, Pointer: f.Pointer, Code: f.Code, Message: f.Message}
	}
	return out
}

// findingLine writes one finding: "FILE: error|warning ID POINTER {CODE} MESSAGE".
func findingLine(w io.Writer, name, kind string, f *validate.Finding) {
	id := escape(f.Subject())
	p := f.Pointer
	if p == "" {
		p = "/"
	}
	fmt.Fprintf(w, "%s: %s %s %s {%s} %s\n", escape(displayName(name)), kind, id, escape(p), escape(f.Code), escape(f.Message))
}

// printSummary writes a file's verdict line.
func printSummary(w io.Writer, name string, rep *validate.Report, note string) {
	verdict := "valid"
	if !rep.Valid {
		verdict = "INVALID"
	}
	if rep.Truncated {
		note += " (findings truncated)"
	}
	fmt.Fprintf(w, "%s: %s: %s, %s, %s%s\n", escape(displayName(name)), verdict, count(rep.Objects, "object"), count(len(rep.Errors), "error"), count(len(rep.Warnings), "warning"), note)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
