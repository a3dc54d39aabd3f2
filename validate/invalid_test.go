package validate

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stixkit/stixkit/internal/testutil"
)

type manifestRow struct {
	file, expect, desc, code, pointer string
}

func readManifest(t *testing.T, dir string) []manifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []manifestRow
	sc := bufio.NewScanner(f)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		if header {
			header = false
			continue
		}
		c := strings.Split(line, "\t")
		for len(c) < 5 {
			c = append(c, "")
		}
		rows = append(rows, manifestRow{c[0], c[1], c[2], c[3], c[4]})
	}
	return rows
}

// TestInvalidFixtures runs every fixture of testdata/invalid: the verdict
// given by its expect column, and the expected code at the expected pointer
// among the findings; each must finish quickly and without a panic.
func TestInvalidFixtures(t *testing.T) {
	dir := filepath.Join(testutil.RootDir(), "testdata", "invalid")
	rows := readManifest(t, dir)
	if len(rows) < 30 {
		t.Fatalf("only %d fixtures", len(rows))
	}
	for _, r := range rows {
		t.Run(r.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, r.file))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			for _, workers := range []int{1, 3} {
				rep, err := Bytes(ctx, data, Options{EnforceRefs: r.expect == "error-enforce-refs", Workers: workers})
				if err != nil {
					t.Fatalf("workers %d: %v", workers, err)
				}
				switch r.expect {
				case "error", "error-enforce-refs", "reject":
					if rep.Valid {
						t.Errorf("workers %d: valid, want errors (%s)", workers, r.desc)
					}
				case "pass":
					if !rep.Valid {
						t.Errorf("workers %d: errors %v", workers, rep.Errors)
					}
				case "finding":
					if rep.Valid && len(rep.Warnings) == 0 {
						t.Errorf("workers %d: no finding (%s)", workers, r.desc)
					}
				}
				if r.code == "" {
					continue
				}
				found := false
				for _, f := range append(append([]*Finding(nil), rep.Errors...), rep.Warnings...) {
					if f.Code == r.code && f.Pointer == r.pointer {
						found = true
					}
				}
				if !found {
					t.Errorf("workers %d: no %s at %q; errors %v warnings %v", workers, r.code, r.pointer, rep.Errors, rep.Warnings)
				}
			}
		})
	}
}
