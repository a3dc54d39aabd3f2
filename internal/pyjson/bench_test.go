package pyjson

import (
	"os"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

func benchInput(b *testing.B) []byte {
	data, err := os.ReadFile(testutil.SharedFile(b, "corpus/attack-stix-data/ics-attack-18.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkParse measures Parse on the ATT&CK ICS 18.1 bundle.
func BenchmarkParse(b *testing.B) {
	data := benchInput(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, ParseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDumps measures Dumps (Python defaults) of the parsed bundle.
func BenchmarkDumps(b *testing.B) {
	data := benchInput(b)
	v, err := Parse(data, ParseOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	buf := make([]byte, 0, 2*len(data))
	for b.Loop() {
		buf = AppendDumps(buf[:0], v, DumpOptions{})
	}
}

// BenchmarkRoundTrip measures Parse then Dumps, json.dumps(json.loads(x)).
func BenchmarkRoundTrip(b *testing.B) {
	data := benchInput(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		v, err := Parse(data, ParseOptions{})
		if err != nil {
			b.Fatal(err)
		}
		_ = Dumps(v, DumpOptions{})
	}
}
