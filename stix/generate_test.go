package stix_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/generate/gen"
	"github.com/stixkit/stixkit/internal/testutil"
)

// TestGeneratedUpToDate regenerates the model in memory from schemas/ and
// fails when a *_gen.go file is stale, missing or left over.
func TestGeneratedUpToDate(t *testing.T) {
	root := testutil.RootDir()
	files, err := gen.Generate(os.DirFS(filepath.Join(root, "schemas")), gen.Options{Package: "stix", SourcePrefix: "schemas/"})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "stix")
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s is missing: run go generate ./...", name)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./...", name)
		}
	}
	existing, _ := filepath.Glob(filepath.Join(dir, "*_gen.go"))
	for _, p := range existing {
		if _, ok := files[filepath.Base(p)]; !ok {
			b, _ := os.ReadFile(p)
			if strings.HasPrefix(string(b), gen.Header) {
				t.Errorf("%s is no longer generated: run go generate ./...", filepath.Base(p))
			}
		}
	}
}
