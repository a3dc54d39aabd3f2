package gen_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// TestGoGenerateRecipe runs the README's recipe from a module outside this
// one: its own go.mod with a replace to this checkout, `go get -tool
// …/cmd/stixkit`, a //go:generate go tool stixkit gen line over a copy of
// testdata/custom-schemas (whose x-acme-gadget.json refers to the stixkit
// schemas by relative path and narrows its id), go generate, then a
// program using the generated types and their constructors. Offline:
// GOPROXY=off, the module cache holding the dependencies. go get reads the
// go.mod files of the whole module graph, which building this module does
// not fetch: `go mod download all` does (.ci/run runs it). Without them the
// test skips, saying so, or fails when STIXKIT_REQUIRE_MODCACHE=1.
func TestGoGenerateRecipe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the stixkit command in another module")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not available")
	}
	root := testutil.RootDir()
	graph := exec.Command("go", "list", "-m", "all")
	graph.Dir = root
	graph.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off")
	if out, err := graph.CombinedOutput(); err != nil {
		msg := "the module cache lacks part of the module graph (run `go mod download all` once): " + strings.TrimSpace(string(out))
		if os.Getenv("STIXKIT_REQUIRE_MODCACHE") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	mustWrite := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	schemasDir := filepath.Join(root, "testdata", "custom-schemas")
	entries, err := os.ReadDir(schemasDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(schemasDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		mustWrite("schemas/"+e.Name(), string(data))
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	mustWrite("go.sum", string(sum))
	mustWrite("go.mod", "module example.com/acme\n\ngo 1.24\n\nrequire github.com/stixkit/stixkit v0.0.0\n\nreplace github.com/stixkit/stixkit => "+root+"\n")
	mustWrite("acme/doc.go", "// Package acme holds Go types generated from ACME's STIX extension schemas.\npackage acme\n\n//go:generate go tool stixkit gen --schemas ../schemas --out . --package acme\n")
	mustWrite("cmd/try/main.go", `package main

import (
	"fmt"
	"time"

	"example.com/acme/acme"
	"github.com/stixkit/stixkit/stix"
)

func main() {
	obj, err := stix.Parse([]byte(`+"`"+`{"type":"x-acme-gadget","spec_version":"2.1","id":"x-acme-gadget--6ba7b810-9dad-41d1-80b4-00c04fd430c8","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"g","seen":"2026-01-02T00:00:00Z","owner_ref":"identity--6ba7b810-9dad-41d1-80b4-00c04fd430c8"}`+"`"+`))
	if err != nil {
		panic(err)
	}
	g := obj.(*acme.XAcmeGadget)
	var id stix.Identifier = g.ID
	out, _ := stix.Marshal(g)
	fmt.Println(id.Type(), g.Name, g.Seen.Time().Day(), g.OwnerRef.Type())
	fmt.Println(string(out))

	// Constructors generated for the user's types.
	f := &stix.Factory{
		Clock: func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) },
		NewID: func(typ string) stix.Identifier { return stix.Identifier(typ + "--6ba7b810-9dad-41d1-80b4-00c04fd430c9") },
	}
	w, _ := stix.Marshal(acme.NewXAcmeWidgetWith(f, "w2"))
	fmt.Println(string(w))
	b := acme.NewXAcmeBeacon("b-1")
	want, err := stix.DeterministicID(&acme.XAcmeBeacon{SpecVersion: "2.1", BeaconID: "b-1"})
	fmt.Println(b.ID == want, err, acme.NewXAcmeGadget("g2").ID.Type())
}
`)
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("get", "-tool", "github.com/stixkit/stixkit/cmd/stixkit")
	if mod, _ := os.ReadFile(filepath.Join(dir, "go.mod")); !strings.Contains(string(mod), "tool github.com/stixkit/stixkit/cmd/stixkit") {
		t.Fatalf("go get -tool did not add the tool directive:\n%s", mod)
	}
	run("generate", "./...")
	for _, f := range []string{"x_acme_widget_gen.go", "x_acme_beacon_gen.go", "x_acme_gadget_gen.go"} {
		if _, err := os.Stat(filepath.Join(dir, "acme", f)); err != nil {
			t.Errorf("go generate did not write %s", f)
		}
	}
	run("vet", "./...")
	out := run("run", "./cmd/try")
	want := "x-acme-gadget g 2 identity\n" + `{"type":"x-acme-gadget","spec_version":"2.1","id":"x-acme-gadget--6ba7b810-9dad-41d1-80b4-00c04fd430c8","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"g","seen":"2026-01-02T00:00:00Z","owner_ref":"identity--6ba7b810-9dad-41d1-80b4-00c04fd430c8"}` + "\n" +
		`{"type":"x-acme-widget","spec_version":"2.1","id":"x-acme-widget--6ba7b810-9dad-41d1-80b4-00c04fd430c9","created":"2026-01-02T00:00:00.000Z","modified":"2026-01-02T00:00:00.000Z","name":"w2"}` + "\n" +
		"true <nil> x-acme-gadget\n"
	if out != want {
		t.Errorf("program output:\n%s\nwant:\n%s", out, want)
	}
}
