package bundle

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// scanner splits a JSON stream into values without decoding them, checking
// the structure, the nesting depth and the size; the buffer grows to hold
// the largest value.
type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	base     int64 // stream offset of buf[0]
	eof      bool
	rerr     error
	maxBytes int
	maxDepth int
}

func (s *scanner) init(r io.Reader, maxBytes, maxDepth int) {
	s.r, s.buf, s.maxBytes, s.maxDepth = r, make([]byte, 64<<10), maxBytes, maxDepth
}

func (s *scanner) offset() int64 { return s.base + int64(s.pos) }

// fill reads more input; it reports false at the end of input.
func (s *scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.end -= s.pos
		s.pos = 0
	}
	// Read until the buffer is full or the reader has no more for now (a
	// short read), but at least as many bytes as are pending: a value split
	// over many small reads is then rescanned a number of times
	// logarithmic in its size, and a stream that arrives slowly is handed
	// out as it arrives.
	start, pending := s.end, s.end
	for s.end < len(s.buf) {
		want := len(s.buf) - s.end
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
			break
		}
		if n > 0 && n < want && s.end-start >= pending {
			break
		}
	}
	return s.end > start
}

func (s *scanner) errEOF() error {
	if s.rerr != nil {
		return s.rerr
	}
	return io.ErrUnexpectedEOF
}

func (s *scanner) synErr(msg string) error {
	return &SyntaxError{Offset: s.offset(), Msg: msg}
}

func (s *scanner) advance(n int) { s.pos += n }

// peekNonSpace skips whitespace and returns the next byte.
func (s *scanner) peekNonSpace() (byte, error) {
	for {
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return c, nil
			}
		}
		if !s.fill() {
			return 0, s.errEOF()
		}
	}
}

// expectEnd checks that only whitespace remains.
func (s *scanner) expectEnd() error {
	c, err := s.peekNonSpace()
	if err == io.ErrUnexpectedEOF {
		return nil
	}
	if err != nil {
		return err
	}
	return s.synErr(fmt.Sprintf("unexpected data after the top-level value: %q", c))
}

// readKey reads `"key" :` and returns the key (simple keys; escapes are
// decoded by copying the raw string through the value reader).
func (s *scanner) readKey() (string, error) {
	c, err := s.peekNonSpace()
	if err != nil {
		return "", err
	}
	if c != '"' {
		return "", s.synErr("expected a string key")
	}
	raw, err := s.readValue(nil)
	if err != nil {
		return "", err
	}
	key, ok := decodeJSONString(raw)
	if !ok {
		return "", s.synErr("invalid key")
	}
	c, err = s.peekNonSpace()
	if err != nil {
		return "", err
	}
	if c != ':' {
		return "", s.synErr("expected ':' after key")
	}
	s.advance(1)
	if _, err := s.peekNonSpace(); err != nil {
		return "", err
	}
	return key, nil
}

// readValue returns the next JSON value as it is in the input. The slice
// points into the scanner's buffer (valid until the next read) unless dst
// is non-nil, in which case the value is appended to dst. Only the
// structure is checked here (strings, nesting, depth, size); the value's
// content is checked by whoever decodes it.
func (s *scanner) readValue(dst []byte) ([]byte, error) {
	for {
		end, err := s.valueEnd()
		if err != nil {
			return nil, err
		}
		if end >= 0 {
			if end-s.pos > s.maxBytes {
				return nil, fmt.Errorf("%w: more than %d bytes at offset %d", ErrTooLarge, s.maxBytes, s.offset())
			}
			v := s.buf[s.pos:end]
			s.pos = end
			if dst != nil {
				return append(dst, v...), nil
			}
			return v, nil
		}
		// The value continues past the buffered data: make room, read more.
		if s.end-s.pos > s.maxBytes {
			return nil, fmt.Errorf("%w: more than %d bytes at offset %d", ErrTooLarge, s.maxBytes, s.offset())
		}
		if s.pos == 0 && s.end == len(s.buf) {
			nb := make([]byte, 2*len(s.buf))
			copy(nb, s.buf[:s.end])
			s.buf = nb
		}
		if !s.fill() {
			if end, err := s.valueEndAtEOF(); err == nil && end >= 0 {
				v := s.buf[s.pos:end]
				s.pos = end
				if dst != nil {
					return append(dst, v...), nil
				}
				return v, nil
			}
			return nil, s.errEOF()
		}
	}
}

// plain marks the bytes valueEnd steps over outside strings (whitespace
// inside a value, digits, letters of literals, ':').
var plain = func() (t [256]bool) {
	for i := range t {
		t[i] = true
	}
	for _, c := range []byte("\"{}[], \t\n\r") {
		t[c] = false
	}
	return t
}()

// plainNested marks the bytes that are also plain inside an object or
// array: whitespace and commas (they only end numbers and literals at the
// top level).
var plainNested = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, ',': true}

// valueEnd finds the end of the value starting at s.pos in the buffered
// data: the index just after it, or -1 when more data is needed.
func (s *scanner) valueEnd() (int, error) {
	buf := s.buf[:s.end]
	i := s.pos
	depth := 0
	for i < len(buf) {
		c := buf[i]
		if plain[c] || (depth > 0 && plainNested[c]) {
			i++
			continue
		}
		switch c {
		case '"':
			j, err := s.stringEnd(buf, i+1)
			if err != nil || j < 0 {
				return j, err
			}
			i = j
			if depth == 0 {
				return i, nil
			}
			continue
		case '{', '[':
			depth++
			if depth > s.maxDepth {
				s.pos = i
				return 0, s.synErr(fmt.Sprintf("nesting deeper than %d levels", s.maxDepth))
			}
		case '}', ']':
			if depth == 0 {
				if i == s.pos {
					return 0, s.synErr(fmt.Sprintf("unexpected %q", c))
				}
				return i, nil
			}
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				if i == s.pos {
					return 0, s.synErr(fmt.Sprintf("unexpected %q", c))
				}
				return i, nil // end of a number or literal
			}
		}
		i++
		if i-s.pos > s.maxBytes {
			return 0, fmt.Errorf("%w: more than %d bytes at offset %d", ErrTooLarge, s.maxBytes, s.offset())
		}
	}
	return -1, nil
}

// valueEndAtEOF ends a number or literal at the very end of input.
func (s *scanner) valueEndAtEOF() (int, error) {
	if s.pos < s.end {
		switch s.buf[s.pos] {
		case '{', '[', '"':
			return -1, nil
		}
		return s.end, nil
	}
	return -1, nil
}

// stringEnd returns the index after the closing quote of the string whose
// content starts at i, or -1 when the buffered data ends first.
func (s *scanner) stringEnd(buf []byte, i int) (int, error) {
	for {
		q := bytes.IndexByte(buf[i:], '"')
		if q < 0 {
			return -1, nil
		}
		q += i
		// count the backslashes before the quote
		n := 0
		for k := q - 1; k >= i && buf[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return q + 1, nil
		}
		i = q + 1
	}
}

func (s *scanner) checkSize(dst []byte) error {
	if len(dst) > s.maxBytes {
		return fmt.Errorf("%w: more than %d bytes at offset %d", ErrTooLarge, s.maxBytes, s.offset())
	}
	return nil
}

// decodeJSONString decodes a quoted JSON string (keys of the container).
func decodeJSONString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	if !utf8.Valid(body) {
		return "", false // stix.Parse refuses invalid UTF-8 too
	}
	simple := true
	for _, c := range body {
		if c == '\\' || c < 0x20 {
			simple = false
			break
		}
	}
	if simple && utf8.Valid(body) {
		return string(body), true
	}
	var v string
	obj, err := parseString(raw)
	if err != nil {
		return "", false
	}
	v = obj
	return v, true
}
