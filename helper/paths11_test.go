package helper

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// samePaths checks that the one-pass text path and the Value path give the
// same messages and pieces (or the same error) for the bundle text raw, and
// that every body is the envelope around the base64 of its piece.
func samePaths(t *testing.T, raw []byte) {
	t.Helper()
	opt := SendOptions{EntitiesTypes: []string{"indicator", "é"}}
	p1, _ := newProtocol11(context.Background(), testConfig(nil))
	p2, _ := newProtocol11(context.Background(), testConfig(nil))
	m1, pc1, handled, err1 := p1.(*protocol11).MessagesRaw(raw, opt)
	v, perr := bundleValue(raw)
	var m2 []Message
	var pc2 [][]byte
	err2 := perr
	if perr == nil {
		m2, pc2, err2 = p2.Messages(v, opt)
	}
	if !handled {
		if !bytes.Contains(raw, []byte(`"`)) || err1 != nil {
			t.Fatalf("unhandled with error %v", err1)
		}
		return // duplicate keys: the Value path is used
	}
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("text path error %v, Value path error %v", err1, err2)
	}
	if err1 != nil {
		var b1, b2 *BundleError
		if errors.As(err1, &b1) != errors.As(err2, &b2) || (b1 != nil && (b1.Index != b2.Index || b1.Property != b2.Property)) {
			t.Fatalf("errors differ: %v / %v", err1, err2)
		}
		return
	}
	if len(m1) != len(m2) {
		t.Fatalf("%d vs %d messages", len(m1), len(m2))
	}
	prefix := `{"type": "stix2-bundle", "entities_types": ["indicator", "\u00e9"], "content": "`
	for i := range m1 {
		if !bytes.Equal(m1[i].Body, m2[i].Body) || !bytes.Equal(pc1[i], pc2[i]) {
			t.Fatalf("message %d differs:\n%s\n%s", i, pc1[i], pc2[i])
		}
		if string(m1[i].Body) != prefix+base64.StdEncoding.EncodeToString(pc1[i])+`"}` {
			t.Fatalf("message %d body is not the envelope of its piece", i)
		}
	}
}

func TestPathsAgreeCorpus(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "corpus")
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		t.Run(strings.TrimPrefix(p, dir), func(t *testing.T) { samePaths(t, data) })
		n++
		return nil
	})
	if n == 0 {
		t.Fatal("no corpus")
	}
}

func TestPathsAgreeEdgeCases(t *testing.T) {
	for _, s := range []string{
		`[]`, `{}`, `{"objects":{}}`, `{"objects":[1,"x",null]}`, `{"objects":[{"type":"tool"}]}`,
		`{"objects":[{"type":"tool","id":"a","id":"b"}]}`, `{"objects":[],"objects":[{"type":"tool","id":"a"}]}`,
		`{"objects":[{"type":"report","id":"r","object_refs":["x"]}]}`, `{"objects":[{"id":"a"}]}`,
		`{"x":[{"id":"q"}],"objects":[{"type":"tool","id":"a","x":{"id":"nested","type":"relationship"}}],"y":{"objects":[]}}`,
		`{"objects":[{"type":"relationship","id":"r","source_ref":"a","target_ref":"b"},{"type":"tool","id":"a"}]}`,
		`{"objects":[{"type":"tool","id":"a","created_by_ref":["a"]}]}`, `not json`, `{"objects":[{"type":"tool","id":"\u0061","name":"\ud800"}]}`,
		string(bigBundle(50)),
	} {
		samePaths(t, []byte(s))
	}
}

func FuzzPathsAgree(f *testing.F) {
	f.Add([]byte(`{"objects":[{"type":"report","id":"r","object_refs":["a"]},{"type":"tool","id":"a","created_by_ref":"a"}]}`))
	f.Add(bigBundle(10))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 || bytes.Count(data, []byte("[")) > 100 {
			return
		}
		samePaths(t, data)
	})
}
