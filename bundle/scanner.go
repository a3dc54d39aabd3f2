package bundle

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// scanner splits a JSON stream into values without decoding them: it
// copies one value at a time (compacted: whitespace outside strings
// dropped), checking the structure, the nesting depth and the size.
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
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
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

// readValue appends the next JSON value, compacted, to dst.
func (s *scanner) readValue(dst []byte) ([]byte, error) {
	depth := 0
	inStr := false
	esc := false
	started := false
	for {
		if s.pos >= s.end && !s.fill() {
			if !inStr && depth == 0 && started {
				return dst, nil // a number or literal at the very end
			}
			return dst, s.errEOF()
		}
		i := s.pos
		buf := s.buf[:s.end]
		for i < len(buf) {
			c := buf[i]
			if inStr {
				// copy a run of ordinary string bytes at once
				j := i
				for j < len(buf) && buf[j] != '"' && buf[j] != '\\' && buf[j] >= 0x20 && !esc {
					j++
				}
				if j > i {
					dst = append(dst, buf[i:j]...)
					i = j
					continue
				}
				c = buf[i]
				dst = append(dst, c)
				i++
				switch {
				case esc:
					esc = false
				case c == '\\':
					esc = true
				case c == '"':
					inStr = false
					if depth == 0 {
						s.pos = i
						return dst, s.checkSize(dst)
					}
				case c < 0x20:
					s.pos = i - 1
					return dst, s.synErr("control character in string")
				}
				continue
			}
			switch c {
			case ' ', '\t', '\n', '\r':
				i++
				if started && depth == 0 {
					s.pos = i
					return dst, s.checkSize(dst)
				}
				continue
			case '"':
				inStr = true
			case '{', '[':
				depth++
				if depth > s.maxDepth {
					s.pos = i
					return dst, s.synErr(fmt.Sprintf("nesting deeper than %d levels", s.maxDepth))
				}
			case '}', ']':
				if depth == 0 {
					if started {
						s.pos = i
						return dst, s.checkSize(dst)
					}
					s.pos = i
					return dst, s.synErr(fmt.Sprintf("unexpected %q", c))
				}
				depth--
				if depth == 0 {
					dst = append(dst, c)
					s.pos = i + 1
					return dst, s.checkSize(dst)
				}
			case ',':
				if depth == 0 {
					if !started {
						s.pos = i
						return dst, s.synErr("unexpected ','")
					}
					s.pos = i
					return dst, s.checkSize(dst)
				}
			}
			started = true
			dst = append(dst, c)
			i++
			if len(dst) > s.maxBytes {
				s.pos = i
				return dst, fmt.Errorf("%w: more than %d bytes at offset %d", ErrTooLarge, s.maxBytes, s.offset())
			}
		}
		s.pos = i
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
