package main

import (
	"bufio"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// writeError is a failed write to standard output. Commands stop on it and
// run reports it once.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// output is standard output as commands see it: buffered unless it is a
// terminal, and remembering the first failed write so that a lost report
// is an error even when a command does not look at Write's result.
type output struct {
	w   io.Writer     // the real standard output
	buf *bufio.Writer // nil when writing straight through (a terminal)
	err error
}

func newOutput(w io.Writer) *output {
	o := &output{w: w}
	if f, ok := w.(*os.File); !ok || !isTTY(f) {
		o.buf = bufio.NewWriterSize(writerFunc(o.writeThrough), 64<<10)
	}
	return o
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func (o *output) writeThrough(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		o.err = &writeError{err}
	}
	if o.err != nil {
		return n, o.err
	}
	return n, nil
}

// Write writes p, buffered unless standard output is a terminal.
func (o *output) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if o.buf == nil {
		return o.writeThrough(p)
	}
	n, err := o.buf.Write(p)
	if err != nil && o.err == nil {
		o.err = &writeError{err}
	}
	return n, err
}

// finish flushes the buffer and returns the first write error, if any.
func (o *output) finish() error {
	if o.buf != nil && o.err == nil {
		if err := o.buf.Flush(); err != nil && o.err == nil {
			o.err = &writeError{err}
		}
	}
	if o.err != nil {
		return o.err.(*writeError).err
	}
	return nil
}

// escape makes text from the input safe to print on a terminal: control
// characters (C0, DEL, C1: ESC, BEL, CSI, OSC…), invalid UTF-8 bytes and the
// Unicode characters that reorder or hide text (bidirectional overrides,
// line and paragraph separators) are written as Go escapes (\x1b, \u202e),
// so a hostile id or value cannot drive the terminal or forge lines.
// Everything else, backslashes included, is left as it is.
func escape(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	const hex = "0123456789abcdef"
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !unsafeRune(r, size):
			b.WriteString(s[i : i+size])
		case r == utf8.RuneError && size == 1, r < 0x80:
			c := s[i]
			switch c {
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\x`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			}
		default:
			b.WriteString(`\u`)
			for sh := 12; sh >= 0; sh -= 4 {
				b.WriteByte(hex[(r>>sh)&15])
			}
		}
		i += size
	}
	return b.String()
}

// unsafeRune reports whether r (of encoded length size) must be escaped.
func unsafeRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true // invalid UTF-8
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true // C0, DEL, C1
	case r >= 0x200b && r <= 0x200f, r >= 0x2028 && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0xfeff:
		return true // zero-width, bidi marks and overrides, separators, BOM
	}
	return false
}

// jsonSafeWriter writes JSON text with the characters escape guards
// against that JSON encoders leave raw (C1 controls, bidi and separator
// characters, DEL) written as \u escapes: the same JSON value, safe on a
// terminal. Each Write must hold whole characters (json.Encoder writes a
// whole value at once).
type jsonSafeWriter struct{ w io.Writer }

// Write escapes p and writes it.
func (j jsonSafeWriter) Write(p []byte) (int, error) {
	var out []byte
	const hex = "0123456789abcdef"
	last := 0
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		if (r >= 0x80 || r == 0x7f) && unsafeRune(r, size) && !(r == utf8.RuneError && size == 1) {
			out = append(out, p[last:i]...)
			out = append(out, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
			last = i + size
		}
		i += size
	}
	if out == nil {
		return j.w.Write(p)
	}
	out = append(out, p[last:]...)
	if _, err := j.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
