package testutil

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CorpusFiles returns the directory of the shared corpus and the names
// (relative to it) of the files its MANIFEST.tsv lists whose stix_version
// starts with version ("" for every file). Without the corpus the test
// skips, or fails under STIXKIT_REQUIRE_SHARED=1.
func CorpusFiles(tb testing.TB, version string) (dir string, names []string) {
	tb.Helper()
	dir = filepath.Join(SharedDir(tb), "corpus")
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		MissingShared(tb, "no corpus manifest: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	col := -1
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if col < 0 {
			for i, h := range c {
				if h == "stix_version" {
					col = i
				}
			}
			if col < 0 {
				tb.Fatal("corpus manifest without a stix_version column")
			}
			continue
		}
		if col < len(c) && strings.HasPrefix(c[col], version) {
			names = append(names, c[0])
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(names) == 0 {
		tb.Fatalf("the corpus manifest lists no file of version %q", version)
	}
	return dir, names
}
