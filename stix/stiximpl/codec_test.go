package stiximpl

import (
	"testing"

	"github.com/stixkit/stixkit/internal/jsonscan"
)

// TestKept: a failed typed read becomes a kept value of its property;
// malformed JSON does not; Drop forgets it.
func TestKept(t *testing.T) {
	d := (*Decoder)(jsonscan.NewDecoder([]byte(`{"a":"False","b":[1,}`), jsonscan.Limits{}))
	var k Kept
	var key []byte
	d.BeginObject()
	d.NextMember(&key)
	m := d.Mark()
	if d.Bool(); !d.Failed() || !k.Keep(d, m, 3) || d.Failed() {
		t.Fatalf("keep: %v", d.Err())
	}
	if !k.Has(3) || k.Has(2) || string(k.Raw(3)) != `"False"` || string(k.Append([]byte("x:"), 3)) != `x:"False"` {
		t.Errorf("kept: %v %s", k.Has(3), k.Raw(3))
	}
	d.NextMember(&key)
	m = d.Mark()
	if DecodeStrings[string](d); !d.Failed() || k.Keep(d, m, 4) || !d.Failed() {
		t.Error("malformed JSON kept")
	}
	cp := k
	k.Drop(3)
	if k.Has(3) || k.Raw(3) != nil {
		t.Error("Drop")
	}
	if !cp.Has(3) {
		t.Error("Drop changed a copy")
	}
	var zero Kept
	if zero.Has(0) || zero.Raw(0) != nil {
		t.Error("zero Kept")
	}
}

// TestDecodeNumbers: integers a Go int holds are read (48.0 included);
// others fail, to be kept by the caller.
func TestDecodeNumbers(t *testing.T) {
	for in, want := range map[string]int{"48": 48, "48.0": 48, "-1e3": -1000} {
		d := (*Decoder)(jsonscan.NewDecoder([]byte(in), jsonscan.Limits{}))
		if got := DecodeInt(d); got != want || d.Failed() {
			t.Errorf("%s: %d %v", in, got, d.Err())
		}
	}
	for _, in := range []string{"5.5", "1e30", `"5"`, "null"} {
		d := (*Decoder)(jsonscan.NewDecoder([]byte(in), jsonscan.Limits{}))
		if DecodeInt(d); !d.Failed() {
			t.Errorf("%s accepted", in)
		}
	}
	d := (*Decoder)(jsonscan.NewDecoder([]byte("1e400"), jsonscan.Limits{}))
	if DecodeFloat(d); !d.Failed() {
		t.Error("1e400 accepted")
	}
}
