package bundle

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestFillReadsWhatHasArrived: fill stops at a short read (the reader has
// no more for now) once it has read at least as many bytes as are pending,
// so that a slow stream is handed out as it arrives and a value split over
// tiny reads is rescanned only a logarithmic number of times.
func TestFillReadsWhatHasArrived(t *testing.T) {
	for _, pending := range []int{0, 1, 1000, 40000} {
		var s scanner
		s.init(iotest.OneByteReader(strings.NewReader(strings.Repeat("x", 200000))), 1<<30, 100)
		s.end = pending // an unfinished value at the start of the buffer
		if !s.fill() {
			t.Fatalf("pending %d: nothing read", pending)
		}
		read := s.end - pending
		// (or the buffer's room: readValue then doubles the buffer)
		if want := min(max(pending, 1), len(s.buf)-pending); read != want {
			t.Errorf("pending %d: %d bytes read, want %d", pending, read, want)
		}
	}
	// A reader that gives all that is asked: the buffer is filled.
	var s scanner
	s.init(bytes.NewReader(make([]byte, 1<<20)), 1<<30, 100)
	if !s.fill() || s.end != len(s.buf) {
		t.Errorf("full reads: %d of %d bytes", s.end, len(s.buf))
	}
}

// TestDecoderOneByteReads: a bundle read one byte at a time decodes to the
// same objects as read whole, a large object included.
func TestDecoderOneByteReads(t *testing.T) {
	big := `{"type":"note","spec_version":"2.1","id":"note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","content":"` + strings.Repeat("c", 300000) + `","object_refs":["identity--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0062"]}`
	small := `{"type":"identity","spec_version":"2.1","id":"identity--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0062","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"n"}`
	in := `{"type":"bundle","id":"bundle--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0063","objects":[` + small + `,` + big + `,` + small + `]}`
	read := func(r io.Reader) []string {
		d := NewDecoder(r, DecodeOptions{})
		var out []string
		for {
			raw, err := d.NextRaw()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(raw))
		}
	}
	whole, slow := read(strings.NewReader(in)), read(iotest.OneByteReader(strings.NewReader(in)))
	if len(whole) != 3 || len(slow) != 3 {
		t.Fatalf("%d and %d objects", len(whole), len(slow))
	}
	for i := range whole {
		if whole[i] != slow[i] {
			t.Errorf("object %d differs", i)
		}
	}
}
