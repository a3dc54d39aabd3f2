package validate

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stixkit/stixkit/internal/testutil"
)

// FuzzBytes feeds arbitrary input to the validator: it must return a report
// (or an options error, never for these options), never panic or hang, and
// agree with itself across worker counts. Seeds: testdata/invalid.
func FuzzBytes(f *testing.F) {
	addInvalidSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r1, err := Bytes(ctx, data, Options{Workers: 1, EnforceRefs: true})
		if err != nil {
			t.Fatalf("error %v", err)
		}
		r2, err := Bytes(ctx, data, Options{Workers: 3, EnforceRefs: true})
		if err != nil {
			t.Fatalf("error %v", err)
		}
		if r1.Valid != r2.Valid || len(r1.Errors) != len(r2.Errors) || len(r1.Warnings) != len(r2.Warnings) {
			t.Fatalf("1 worker: %v %d %d; 3 workers: %v %d %d", r1.Valid, len(r1.Errors), len(r1.Warnings), r2.Valid, len(r2.Errors), len(r2.Warnings))
		}
		if r1.Valid && len(r1.Errors) > 0 {
			t.Fatal("valid with errors")
		}
	})
}

// addInvalidSeeds adds the fixtures of testdata/invalid (those under 64 KiB)
// as fuzz seeds.
func addInvalidSeeds(f *testing.F) {
	dir := filepath.Join(testutil.RootDir(), "testdata", "invalid")
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		f.Fatalf("no fixtures in %s: %v", dir, err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".json" {
			continue
		}
		if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
}
