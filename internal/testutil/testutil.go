// Package testutil holds helpers shared by the project's tests.
package testutil

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// RootDir returns the module root (the directory holding go.mod).
func RootDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// SharedDir returns the path of the reference data folder ../shared next to
// the module root (or $STIXKIT_SHARED), skipping the test with a clear message
// when it is absent, as on a fresh clone.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("STIXKIT_SHARED")
	if dir == "" {
		dir = filepath.Join(RootDir(), "..", "shared")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		tb.Skipf("reference data %s is absent (set STIXKIT_SHARED); skipping", dir)
	}
	return dir
}

// SharedFile returns the path of a file under the shared folder, skipping the
// test when it is absent.
func SharedFile(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(SharedDir(tb), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("reference file %s is absent; skipping", p)
	}
	return p
}
