package testutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
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

// SharedRequired reports whether STIXKIT_REQUIRE_SHARED=1 is set: tests that
// need the reference data then fail instead of skipping (CI sets it).
func SharedRequired() bool { return os.Getenv("STIXKIT_REQUIRE_SHARED") == "1" }

// MissingShared skips the test with msg, or fails it when the reference data
// is required (STIXKIT_REQUIRE_SHARED=1).
func MissingShared(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if SharedRequired() {
		tb.Fatalf(format+" (STIXKIT_REQUIRE_SHARED=1: failing instead of skipping)", args...)
	}
	tb.Skipf(format, args...)
}

// SharedDir returns the path of the reference data folder ../shared next to
// the module root (or $STIXKIT_SHARED). When it is absent, as on a fresh
// clone, the test skips with a clear message, or fails when
// STIXKIT_REQUIRE_SHARED=1.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("STIXKIT_SHARED")
	if dir == "" {
		dir = filepath.Join(RootDir(), "..", "shared")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		MissingShared(tb, "reference data %s is absent (set STIXKIT_SHARED); skipping", dir)
	}
	return dir
}

// SharedFile returns the path of a file under the shared folder; when it is
// absent the test skips, or fails when STIXKIT_REQUIRE_SHARED=1.
func SharedFile(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(SharedDir(tb), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		MissingShared(tb, "reference file %s is absent; skipping", p)
	}
	return p
}

// JSONDiff returns the first difference between two JSON documents, comparing
// numbers by value and everything else exactly, or "" when they are equal.
func JSONDiff(a, b []byte) string {
	var va, vb any
	da := json.NewDecoder(bytes.NewReader(a))
	da.UseNumber()
	db := json.NewDecoder(bytes.NewReader(b))
	db.UseNumber()
	if err := da.Decode(&va); err != nil {
		return "left: " + err.Error()
	}
	if err := db.Decode(&vb); err != nil {
		return "right: " + err.Error()
	}
	return valueDiff(va, vb, "")
}

func valueDiff(a, b any, path string) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: object != %T", path, b)
		}
		for k := range x {
			if _, ok := y[k]; !ok {
				return path + "/" + k + ": lost"
			}
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				return path + "/" + k + ": added"
			}
		}
		for k := range x {
			if d := valueDiff(x[k], y[k], path+"/"+k); d != "" {
				return d
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: array length or type differs", path)
		}
		for i := range x {
			if d := valueDiff(x[i], y[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
				return d
			}
		}
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return fmt.Sprintf("%s: %v != %v", path, a, b)
		}
		if !sameNumber(x, y) {
			return fmt.Sprintf("%s: %s != %s", path, x, y)
		}
	default:
		if a != b {
			return fmt.Sprintf("%s: %#v != %#v", path, a, b)
		}
	}
	return ""
}

// sameNumber compares two JSON numbers by value (200-bit precision).
func sameNumber(x, y json.Number) bool {
	fx, _, ex := big.ParseFloat(string(x), 10, 200, big.ToNearestEven)
	fy, _, ey := big.ParseFloat(string(y), 10, 200, big.ToNearestEven)
	return ex == nil && ey == nil && fx.Cmp(fy) == 0
}
