package stix_test

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

type vectorFile struct {
	Vectors []struct {
		Name  string `json:"name"`
		Kind  string `json:"kind"`
		Input struct {
			JSON       json.RawMessage `json:"json"`
			NewVersion json.RawMessage `json:"new_version"`
			Options    map[string]any  `json:"options"`
		} `json:"input"`
		Expected  json.RawMessage `json:"expected"`
		Canonical string          `json:"canonical"`
	} `json:"vectors"`
}

func loadVectors(t *testing.T) vectorFile {
	data, err := os.ReadFile(testutil.SharedFile(t, "conformance/stix2-python/vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	return vf
}

// TestSCOIDVectors checks every sco_id vector recorded from Python stix2.
func TestSCOIDVectors(t *testing.T) {
	n := 0
	for _, v := range loadVectors(t).Vectors {
		if v.Kind != "sco_id" {
			continue
		}
		n++
		obj, err := stix.ParseObject(v.Input.JSON)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		var want string
		_ = json.Unmarshal(v.Expected, &want)
		got, err := stix.DeterministicID(obj)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		if string(got) != want {
			t.Errorf("%s: got %s, want %s (canonical %s)", v.Name, got, want, v.Canonical)
		}
	}
	if n == 0 {
		t.Fatal("no sco_id vectors")
	}
}

func TestProcessHasNoDeterministicID(t *testing.T) {
	obj, err := stix.ParseObject([]byte(`{"type":"process","spec_version":"2.1","pid":4}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stix.DeterministicID(obj); !errors.Is(err, stix.ErrNoIDContributing) {
		t.Fatalf("process: got %v, want ErrNoIDContributing", err)
	}
}
