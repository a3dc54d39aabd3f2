package gen_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stixkit/stixkit/generate/gen"
	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/schemas"
)

var spaces = regexp.MustCompile(`[ \t]+`)

// buildDir writes files into a fresh package directory inside the module
// (under this package's testdata, removed afterwards) and returns it with
// its import path.
func buildDir(t *testing.T, pkg string, files map[string][]byte) (dir, importPath string) {
	t.Helper()
	base := filepath.Join(testutil.RootDir(), "generate", "gen", "testdata")
	if err := os.MkdirAll(base, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(base, "build-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	dir = filepath.Join(tmp, pkg)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, code := range files {
		if err := os.WriteFile(filepath.Join(dir, name), code, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rel, _ := filepath.Rel(testutil.RootDir(), dir)
	return dir, "github.com/stixkit/stixkit/" + filepath.ToSlash(rel)
}

func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestGenerateOASIS runs the generator on the OASIS reference schemas and
// compiles the result.
func TestGenerateOASIS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated code")
	}
	dir := filepath.Join(testutil.SharedDir(t), "reference", "oasis-stix2.1-schemas", "schemas")
	files, err := gen.Generate(os.DirFS(dir), gen.Options{Package: "oasis"})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Fatalf("only %d files generated from the OASIS schemas", len(files))
	}
	for _, want := range []string{"sdos_indicator_gen.go", "observables_file_gen.go", "sros_relationship_gen.go"} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s not generated", want)
		}
	}
	if !strings.Contains(string(files["sdos_indicator_gen.go"]), "ValidFrom stix.Timestamp") {
		t.Errorf("indicator.valid_from is not a stix.Timestamp:\n%s", files["sdos_indicator_gen.go"])
	}
	pkgDir, _ := buildDir(t, "oasis", files)
	goCmd(t, pkgDir, "vet", ".")
}

// TestGenerateCustomSchema generates Go from a user's extension schemas
// (testdata/custom-schemas), builds it, and runs a program that parses an
// object of the custom type through stix.Parse.
func TestGenerateCustomSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated code")
	}
	dir := filepath.Join(testutil.RootDir(), "testdata", "custom-schemas")
	files, err := gen.Generate(os.DirFS(dir), gen.Options{Package: "acme", Base: schemas.Files()})
	if err != nil {
		t.Fatal(err)
	}
	code := string(files["x_acme_widget_gen.go"])
	for _, want := range []string{
		"type XAcmeWidget struct", "Name string", "WidgetKind WidgetKind", "SensorRefs []stix.Identifier",
		"LastCalibrated stix.Timestamp", "Settings stix.Dict", "Parts []XAcmeWidgetParts",
		"ExternalReferences []stix.ExternalReference", "WidgetKindThermal WidgetKind = \"thermal\"",
	} {
		if !strings.Contains(spaces.ReplaceAllString(code, " "), want) {
			t.Errorf("generated widget lacks %q", want)
		}
	}
	if strings.Contains(code, "type ExternalReference struct") {
		t.Error("ExternalReference was generated again instead of used from package stix")
	}
	pkgDir, importPath := buildDir(t, "acme", files)
	mainDir := filepath.Join(filepath.Dir(pkgDir), "run")
	if err := os.MkdirAll(mainDir, 0o755); err != nil {
		t.Fatal(err)
	}
	prog := `package main

import (
	"encoding/json"
	"fmt"

	"github.com/stixkit/stixkit/stix"
	"` + importPath + `"
)

func main() {
	obj, err := stix.Parse([]byte(` + "`" + `{"type":"x-acme-widget","spec_version":"2.1","id":"x-acme-widget--6ba7b810-9dad-41d1-80b4-00c04fd430c8","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"w1","widget_kind":"thermal","accuracy":0,"parts":[{"part_name":"lens","count":2}],"x_note":"kept"}` + "`" + `))
	if err != nil {
		panic(err)
	}
	w := obj.(*acme.XAcmeWidget)
	out, _ := stix.Marshal(w)
	fmt.Println(w.Name, w.WidgetKind, w.Parts[0].Count, string(out))
	b := &acme.XAcmeBeacon{BeaconID: "b-1", Interval: 60}
	id, err := stix.DeterministicID(b)
	fmt.Println(id, err)

	// encoding/json reaches the generated type as value, pointer, field,
	// slice element, map value and interface, both ways.
	type holder struct {
		V acme.XAcmeWidget
		P *acme.XAcmeWidget
		S []acme.XAcmeWidget
		M map[string]acme.XAcmeWidget
	}
	var v acme.XAcmeWidget
	if err := json.Unmarshal(out, &v); err != nil {
		panic(err)
	}
	h := holder{V: v, P: &v, S: []acme.XAcmeWidget{v}, M: map[string]acme.XAcmeWidget{"k": v}}
	enc, err := json.Marshal(h)
	if err != nil {
		panic(err)
	}
	var h2 holder
	if err := json.Unmarshal(enc, &h2); err != nil {
		panic(err)
	}
	enc2, _ := json.Marshal(h2)
	asAny, _ := json.Marshal([]any{v, &v})
	fmt.Println(string(enc) == string(enc2), string(enc) == "{\"V\":"+string(out)+",\"P\":"+string(out)+",\"S\":["+string(out)+"],\"M\":{\"k\":"+string(out)+"}}", string(asAny) == "["+string(out)+","+string(out)+"]")
}
`
	if err := os.WriteFile(filepath.Join(mainDir, "main.go"), []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	out := goCmd(t, mainDir, "run", ".")
	want := `w1 thermal 2 {"type":"x-acme-widget","spec_version":"2.1","id":"x-acme-widget--6ba7b810-9dad-41d1-80b4-00c04fd430c8","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"w1","widget_kind":"thermal","accuracy":0,"parts":[{"part_name":"lens","count":2}],"x_note":"kept"}`
	if !strings.HasPrefix(out, want+"\nx-acme-beacon--") || !strings.Contains(out, "<nil>") || !strings.HasSuffix(out, "\ntrue true true\n") {
		t.Errorf("program output:\n%s\nwant first line:\n%s\nthen an x-acme-beacon id", out, want)
	}
}

// TestGenerateUserSchemaRefsAndID: a user's schema refers to the stixkit
// schemas by relative path from its own folder (../common/core.json, as
// the README shows) and may narrow id with a pattern: id stays a
// stix.Identifier. An id that cannot be an identifier is refused, naming
// the property; so is a relative $ref to nothing.
func TestGenerateUserSchemaRefsAndID(t *testing.T) {
	schema := func(id string) fstest.MapFS {
		return fstest.MapFS{"x-acme-gizmo.json": {Data: []byte(`{"title":"x-acme-gizmo","type":"object","allOf":[{"$ref":"../common/core.json"},{"properties":{"type":{"type":"string","const":"x-acme-gizmo"},"id":` + id + `,"when":{"$ref":"../common/timestamp.json"}}}]}`)}}
	}
	files, err := gen.Generate(schema(`{"type":"string","pattern":"^x-acme-gizmo--"}`), gen.Options{Package: "acme", Base: schemas.Files()})
	if err != nil {
		t.Fatal(err)
	}
	code := spaces.ReplaceAllString(string(files["x_acme_gizmo_gen.go"]), " ")
	for _, want := range []string{"ID stix.Identifier", "When stix.Timestamp", "CreatedByRef stix.Identifier", "// When holds the \"when\" property."} {
		if !strings.Contains(code, want) {
			t.Errorf("generated gizmo lacks %q", want)
		}
	}
	if _, err := gen.Generate(schema(`{"type":"integer"}`), gen.Options{Package: "acme", Base: schemas.Files()}); err == nil || !strings.Contains(err.Error(), "property id") {
		t.Errorf("integer id: %v", err)
	}
	bad := fstest.MapFS{"x.json": {Data: []byte(`{"title":"x-acme-x","type":"object","allOf":[{"$ref":"../common/nope.json"}]}`)}}
	if _, err := gen.Generate(bad, gen.Options{Package: "acme", Base: schemas.Files()}); err == nil || !strings.Contains(err.Error(), "../common/nope.json") {
		t.Errorf("missing ref: %v", err)
	}
}

// TestFieldCommentsStartWithName: every generated field comment starts
// with the field's name.
func TestFieldCommentsStartWithName(t *testing.T) {
	files, err := gen.Generate(schemas.Files(), gen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	field := regexp.MustCompile(`(?m)^\t// (.*)\n(?:\t//.*\n)*\t([A-Z]\w*) `)
	n := 0
	for name, code := range files {
		for _, m := range field.FindAllStringSubmatch(string(code), -1) {
			n++
			if !strings.HasPrefix(m[1], m[2]+" ") && !strings.HasPrefix(m[1], m[2]+":") {
				t.Errorf("%s: field %s: comment %q", name, m[2], m[1])
			}
		}
	}
	if n < 500 {
		t.Errorf("only %d commented fields seen", n)
	}
}
