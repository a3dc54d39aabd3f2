package stix_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
)

func TestTLP1Encoding(t *testing.T) {
	got, err := stix.Marshal(stix.TLPWhite)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:WHITE","definition":{"tlp":"white"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestTLP2MatchesCommonObjects compares the TLP 2.0 constants with the
// OASIS common objects in the corpus.
func TestTLP2MatchesCommonObjects(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "corpus", "common-objects")
	for _, id := range []stix.Identifier{stix.TLP2GreenID, stix.TLP2RedID} {
		data, err := os.ReadFile(filepath.Join(dir, string(id)+".json"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := stix.ParseBundle(data)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := stix.Marshal(b.Objects[0])
		got, _ := stix.Marshal(stix.TLPMarkings[id])
		if d := testutil.JSONDiff(want, got); d != "" {
			t.Errorf("%s differs from the common object: %s", id, d)
		}
	}
}
