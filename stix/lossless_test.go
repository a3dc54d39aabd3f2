package stix_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

// corpusFiles lists every JSON file of ../shared/corpus.
func corpusFiles(t testing.TB) []string {
	dir := filepath.Join(testutil.SharedDir(t), "corpus")
	var files []string
	err := filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files under %s: %v", dir, err)
	}
	return files
}

// jsonDiff returns the first difference between two JSON documents, comparing
// numbers by value and everything else exactly, or "" when they are equal.
func jsonDiff(a, b []byte) string {
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
		fx, _, ex := big.ParseFloat(string(x), 10, 200, big.ToNearestEven)
		fy, _, ey := big.ParseFloat(string(y), 10, 200, big.ToNearestEven)
		if ex != nil || ey != nil || fx.Cmp(fy) != 0 {
			return fmt.Sprintf("%s: %s != %s", path, x, y)
		}
	default:
		if a != b {
			return fmt.Sprintf("%s: %#v != %#v", path, a, b)
		}
	}
	return ""
}

// roundTrip decodes a bundle, an object or an array of objects and encodes
// it again.
func roundTrip(data []byte) ([]byte, error) {
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '[' {
		objs, err := stix.ParseObjects(data)
		if err != nil {
			return nil, err
		}
		out := []byte{'['}
		for i, o := range objs {
			if i > 0 {
				out = append(out, ',')
			}
			if out, err = stix.AppendJSON(out, o); err != nil {
				return nil, err
			}
		}
		return append(out, ']'), nil
	}
	obj, err := stix.Parse(data)
	if err != nil {
		return nil, err
	}
	return stix.Marshal(obj)
}

// TestLosslessCorpus decodes every corpus file and encodes it again; the
// JSON value must not change, object by object.
func TestLosslessCorpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		if strings.HasPrefix(name, "MANIFEST") {
			continue
		}
		out, err := roundTrip(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d := jsonDiff(data, out); d != "" {
			t.Errorf("%s: round trip differs at %s", name, d)
		}
		if !json.Valid(out) {
			t.Errorf("%s: output is not valid JSON", name)
		}
	}
}
