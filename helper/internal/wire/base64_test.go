package wire

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

func TestAppendBase64(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 300; n++ {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(r.Uint32())
		}
		want := base64.StdEncoding.EncodeToString(src)
		if got := AppendBase64([]byte("pre"), src); string(got) != "pre"+want {
			t.Fatalf("len %d: got %s want %s", n, got[3:], want)
		}
	}
	all := bytes.Repeat([]byte{0xff, 0x00, 0xfb, 0xef, 0x3e}, 50)
	if got := AppendBase64(nil, all); string(got) != base64.StdEncoding.EncodeToString(all) {
		t.Fatal("0xff pattern")
	}
}

func BenchmarkAppendBase64(b *testing.B) {
	src := bytes.Repeat([]byte(`{"type": "bundle", "id": "x"}`), 10000)
	dst := make([]byte, 0, 2*len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		dst = AppendBase64(dst[:0], src)
	}
}

func BenchmarkStdBase64(b *testing.B) {
	src := bytes.Repeat([]byte(`{"type": "bundle", "id": "x"}`), 10000)
	dst := make([]byte, 0, 2*len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		dst = base64.StdEncoding.AppendEncode(dst[:0], src)
	}
}
