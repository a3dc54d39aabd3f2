package gen

import (
	"bytes"
	_ "embed"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/template"
)

//go:embed gen.go.tmpl
var tmplText string

var tmpl = template.Must(template.New("gen").Funcs(template.FuncMap{
	"quote":  strconv.Quote,
	"keylit": func(name string) string { return strconv.Quote(strconv.Quote(name) + ":") },
	"comment": func(indent, s string) string {
		s = strings.TrimSpace(s)
		if s == "" {
			return ""
		}
		return indent + "// " + strings.ReplaceAll(s, "\n", "\n"+indent+"// ")
	},
	"lcfirst": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToLower(s[:1]) + s[1:]
	},
	"isObject": func(t *Type) bool {
		return t.Category == "sdo" || t.Category == "sro" || t.Category == "sco" || t.Category == "meta"
	},
	"hasField": func(t *Type, json string) bool {
		for _, f := range t.Fields {
			if f.JSON == json {
				return true
			}
		}
		return false
	},
	"pair": func(q string, f any) map[string]any { return map[string]any{"Q": q, "F": f} },
	"zero": func(q string, f *Field) string {
		switch f.Kind {
		case "string", "identifier":
			return `""`
		case "bool":
			return "false"
		case "int", "float":
			return "0"
		case "timestamp":
			return q + "Timestamp{}"
		}
		return "nil"
	},
	"fieldDoc": fieldDoc,
	"needsTime": func(ts []*Type) bool {
		for _, t := range ts {
			if t.Ctor != nil {
				for _, p := range t.Ctor.Params {
					if p.Time {
						return true
					}
				}
			}
		}
		return false
	},
	"needsJSON": func(ts []*Type) bool {
		for _, t := range ts {
			for _, f := range t.Fields {
				if f.GoType == "json.RawMessage" {
					return true
				}
			}
		}
		return false
	},
}).Parse(tmplText))

// Options configure Generate. The zero value generates package stix from
// the given schemas alone.
type Options struct {
	// Package is the Go package name of the output (default "stix").
	Package string
	// SourcePrefix is prepended to schema paths in the "// Source:" line
	// of each generated file (e.g. "schemas/").
	SourcePrefix string
	// Base holds schemas the generated ones may reference whose types
	// already exist in package stix (the project's own schemas). Used when
	// generating a user's extension schemas into another package.
	Base fs.FS
}

// fileData is what the template prints for one output file.
type fileData struct {
	*IR
	Source string
	Types  []*Type
	Vocabs []*Vocab
}

// Generate reads the schemas in fsys and returns Go source files by name
// (e.g. "sdo_indicator_gen.go"), gofmt'd.
func Generate(fsys fs.FS, opt Options) (map[string][]byte, error) {
	if opt.Package == "" {
		opt.Package = "stix"
	}
	set, err := newSchemaSet(fsys, opt.Base)
	if err != nil {
		return nil, err
	}
	ir, err := build(set, opt.Package, opt.SourcePrefix)
	if err != nil {
		return nil, err
	}
	return Emit(ir)
}

// Emit prints the IR: one file per schema file that defines a type, and
// one for the vocabularies of each schema file.
func Emit(ir *IR) (map[string][]byte, error) {
	bySource := map[string]*fileData{}
	var sources []string
	get := func(src string) *fileData {
		fd, ok := bySource[src]
		if !ok {
			fd = &fileData{IR: ir, Source: ir.SourcePrefix + src}
			bySource[src] = fd
			sources = append(sources, src)
		}
		return fd
	}
	for _, t := range ir.Types {
		fd := get(t.Source)
		fd.Types = append(fd.Types, t)
	}
	for _, v := range ir.Vocabs {
		fd := get(v.Source)
		fd.Vocabs = append(fd.Vocabs, v)
	}
	sort.Strings(sources)
	out := map[string][]byte{}
	for _, src := range sources {
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, bySource[src]); err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		code, err := format.Source(buf.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s: generated code does not parse: %w\n%s", src, err, buf.Bytes())
		}
		out[fileName(src)] = code
	}
	return out, nil
}

// fileName maps "sdos/indicator.json" to "sdos_indicator_gen.go".
func fileName(src string) string {
	src = strings.TrimSuffix(src, path.Ext(src))
	src = strings.NewReplacer("/", "_", "-", "_", ".", "_").Replace(src)
	return src + "_gen.go"
}

// WriteDir generates from the schemas in dir into outDir, removing the
// *_gen.go files there that the generator wrote before and no longer
// produces.
func WriteDir(dir, outDir string, opt Options) error {
	if opt.SourcePrefix == "" {
		opt.SourcePrefix = filepath.Base(filepath.Clean(dir)) + "/"
	}
	files, err := Generate(os.DirFS(dir), opt)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(outDir, "*_gen.go"))
	for _, p := range old {
		if _, keep := files[filepath.Base(p)]; !keep && isGenerated(p) {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	for name, code := range files {
		if err := os.WriteFile(filepath.Join(outDir, name), code, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Header is the first line of every generated file.
const Header = "// Code generated by stixkit/generate. DO NOT EDIT."

func isGenerated(p string) bool {
	b, err := os.ReadFile(p)
	return err == nil && bytes.HasPrefix(b, []byte(Header))
}

// fieldDoc is a field's comment, starting with its Go name as Go doc
// comments do: "Name is the name…" for a description starting with an
// article, "Created: when…" otherwise, and a pointer to the property
// when the schema says nothing.
func fieldDoc(f *Field) string {
	d := strings.TrimSpace(f.Doc)
	if d == "" {
		return f.Name + " holds the " + strconv.Quote(f.JSON) + " property."
	}
	for _, art := range []string{"A ", "An ", "The "} {
		if strings.HasPrefix(d, art) {
			return f.Name + " is " + strings.ToLower(art[:1]) + d[1:]
		}
	}
	if len(d) > 1 && d[0] >= 'A' && d[0] <= 'Z' && d[1] >= 'a' && d[1] <= 'z' {
		d = strings.ToLower(d[:1]) + d[1:]
	}
	return f.Name + ": " + d
}
