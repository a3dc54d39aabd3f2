package stix_test

import (
	"bytes"
	"encoding/json"
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
		if d := testutil.JSONDiff(data, out); d != "" {
			t.Errorf("%s: round trip differs at %s", name, d)
		}
		if !json.Valid(out) {
			t.Errorf("%s: output is not valid JSON", name)
		}
	}
}
