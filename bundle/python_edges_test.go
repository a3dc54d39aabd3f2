package bundle_test

import (
	"strings"
	"testing"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
)

// TestPythonLowerCaseTimestamps: the Python library accepts lower-case
// 't' and 'z' in timestamps and writes them in its form: at least
// milliseconds for created/modified, the digits given elsewhere.
func TestPythonLowerCaseTimestamps(t *testing.T) {
	in := `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2017-01-01t12:34:56.5z","modified":"2017-01-01t12:34:56z","pattern":"[x:y = 1]","pattern_type":"stix","valid_from":"2017-01-01t12:34:56.5z"}`
	out, err := bundle.FormatPython([]byte(in), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"created": "2017-01-01T12:34:56.500Z"`, `"modified": "2017-01-01T12:34:56.000Z"`, `"valid_from": "2017-01-01T12:34:56.5Z"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("lacks %s:\n%s", want, out)
		}
	}
	// The canonical form keeps them verbatim (and reports them).
	obj, err := stix.Parse([]byte(in))
	if obj == nil || err == nil {
		t.Fatalf("canonical: %v %v", obj, err)
	}
	if can, _ := stix.Marshal(obj); !strings.Contains(string(can), `"created":"2017-01-01t12:34:56.5z"`) {
		t.Errorf("canonical: %s", can)
	}
}

// TestPythonObservedDataObjects: in the deprecated objects dictionary of a
// 2.1 observed-data, the Python library builds each entry as a 2.1 SCO:
// spec_version "2.1" and the deterministic id are added, after type.
func TestPythonObservedDataObjects(t *testing.T) {
	in := `{"type":"observed-data","spec_version":"2.1","id":"observed-data--00000013-0000-4000-8000-000000000013","created":"2017-01-01T12:34:56.000Z","modified":"2017-01-01T12:34:56.000Z","first_observed":"2015-12-21T19:00:00Z","last_observed":"2015-12-21T19:00:00Z","number_observed":50,"objects":{"1":{"type":"ipv4-addr","value":"198.51.100.3"},"0":{"name":"a.exe","type":"file","hashes":{"SHA-256":"aa"}}}}`
	ip, _ := stix.DeterministicID(stix.NewIPv4Addr("198.51.100.3"))
	f := stix.NewFile()
	f.Name, f.Hashes = "a.exe", stix.Hashes{{Algorithm: "SHA-256", Value: "aa"}}
	fid, _ := stix.DeterministicID(f)
	out, err := bundle.FormatPython([]byte(in), false)
	if err != nil {
		t.Fatal(err)
	}
	want := `"objects": {"1": {"type": "ipv4-addr", "spec_version": "2.1", "id": "` + string(ip) + `", "value": "198.51.100.3"}, "0": {"type": "file", "spec_version": "2.1", "id": "` + string(fid) + `", "hashes": {"SHA-256": "aa"}, "name": "a.exe"}}}`
	if !strings.HasSuffix(string(out), want) {
		t.Errorf("got\n%s\nwant suffix\n%s", out, want)
	}
	pretty, err := bundle.FormatPython([]byte(in), true)
	if err != nil {
		t.Fatal(err)
	}
	p := string(pretty)
	if i, j := strings.Index(p, `"0": {`), strings.Index(p, `"1": {`); i < 0 || j < i || !strings.Contains(p, `"type": "file",
            "spec_version": "2.1",
            "id": "`+string(fid)+`"`) {
		t.Errorf("pretty:\n%s", p)
	}
	// A STIX 2.0 observed-data (no spec_version) is left as it is.
	in20 := strings.Replace(in, `"spec_version":"2.1",`, "", 1)
	out20, err := bundle.FormatPython([]byte(in20), false)
	if err != nil || strings.Contains(string(out20), `"id": "ipv4-addr--`) {
		t.Errorf("2.0: %v %s", err, out20)
	}
}
