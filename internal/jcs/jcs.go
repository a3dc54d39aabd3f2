package jcs

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects Canonicalize accepts.
const MaxDepth = 1000

// ErrSyntax is matched (errors.Is) by every error Canonicalize returns.
var ErrSyntax = errors.New("jcs: invalid input")

// SyntaxError describes why an input cannot be canonicalized and where.
type SyntaxError struct {
	Offset int    // byte offset in the input where the problem was found
	Msg    string // what is wrong
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("jcs: %s at byte offset %d", e.Msg, e.Offset)
}

// Is reports whether target is ErrSyntax.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// Canonicalize returns the RFC 8785 canonical form of the JSON text data.
func Canonicalize(data []byte) ([]byte, error) {
	p := parser{data: data}
	p.skipWS()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipWS()
	if p.pos != len(p.data) {
		return nil, p.errf("unexpected data after the top-level value")
	}
	out := make([]byte, 0, len(data))
	return v.appendTo(out), nil
}

type kind uint8

const (
	kLiteral kind = iota // null, true, false, numbers: text already canonical
	kString
	kArray
	kObject
)

type node struct {
	kind  kind
	text  string // literal text or decoded string
	items []node
	keys  []string // object member names (decoded), parallel to items
}

type parser struct {
	data []byte
	pos  int
}

func (p *parser) errf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipWS() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (node, error) {
	if p.pos >= len(p.data) {
		return node{}, p.errf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		s, err := p.str()
		return node{kind: kString, text: s}, err
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		return node{}, p.errf("invalid character %q looking for a value", c)
	}
}

func (p *parser) literal(lit string) (node, error) {
	if len(p.data)-p.pos < len(lit) || string(p.data[p.pos:p.pos+len(lit)]) != lit {
		return node{}, p.errf("invalid literal (NaN and Infinity are not allowed)")
	}
	p.pos += len(lit)
	return node{kind: kLiteral, text: lit}, nil
}

func (p *parser) object(depth int) (node, error) {
	if depth > MaxDepth {
		return node{}, p.errf("nesting deeper than %d", MaxDepth)
	}
	p.pos++ // {
	n := node{kind: kObject}
	seen := map[string]struct{}{}
	p.skipWS()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	for {
		p.skipWS()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return node{}, p.errf("expected a member name")
		}
		at := p.pos
		k, err := p.str()
		if err != nil {
			return node{}, err
		}
		if _, dup := seen[k]; dup {
			return node{}, &SyntaxError{Offset: at, Msg: fmt.Sprintf("duplicate member name %q", k)}
		}
		seen[k] = struct{}{}
		p.skipWS()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return node{}, p.errf("expected ':' after member name")
		}
		p.pos++
		p.skipWS()
		v, err := p.value(depth)
		if err != nil {
			return node{}, err
		}
		n.keys = append(n.keys, k)
		n.items = append(n.items, v)
		p.skipWS()
		if p.pos >= len(p.data) {
			return node{}, p.errf("unexpected end of input in object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return n, nil
		default:
			return node{}, p.errf("expected ',' or '}' in object")
		}
	}
}

func (p *parser) array(depth int) (node, error) {
	if depth > MaxDepth {
		return node{}, p.errf("nesting deeper than %d", MaxDepth)
	}
	p.pos++ // [
	n := node{kind: kArray}
	p.skipWS()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return n, nil
	}
	for {
		p.skipWS()
		v, err := p.value(depth)
		if err != nil {
			return node{}, err
		}
		n.items = append(n.items, v)
		p.skipWS()
		if p.pos >= len(p.data) {
			return node{}, p.errf("unexpected end of input in array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return n, nil
		default:
			return node{}, p.errf("expected ',' or ']' in array")
		}
	}
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// str decodes the string starting at p.pos (on the opening quote).
func (p *parser) str() (string, error) {
	p.pos++
	start := p.pos
	var buf []byte
	for {
		if p.pos >= len(p.data) {
			return "", p.errf("unterminated string")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			var s string
			if buf == nil {
				s = string(p.data[start:p.pos])
			} else {
				s = string(buf)
			}
			p.pos++
			return s, nil
		case c < 0x20:
			return "", p.errf("control character 0x%02x in string", c)
		case c == '\\':
			if buf == nil {
				buf = append([]byte(nil), p.data[start:p.pos]...)
			}
			if p.pos+1 >= len(p.data) {
				return "", p.errf("unterminated escape")
			}
			e := p.data[p.pos+1]
			p.pos += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, err := p.u4()
				if err != nil {
					return "", err
				}
				if utf16.IsSurrogate(r) {
					if r >= 0xDC00 || p.pos+1 >= len(p.data) || p.data[p.pos] != '\\' || p.data[p.pos+1] != 'u' {
						return "", p.errf("lone surrogate \\u%04x", r)
					}
					p.pos += 2
					r2, err := p.u4()
					if err != nil {
						return "", err
					}
					r = utf16.DecodeRune(r, r2)
					if r == utf8.RuneError {
						return "", p.errf("invalid surrogate pair")
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", p.errf("invalid escape \\%c", e)
			}
		case c < utf8.RuneSelf:
			if buf != nil {
				buf = append(buf, c)
			}
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			if r == utf8.RuneError && size <= 1 {
				return "", p.errf("invalid UTF-8")
			}
			if buf != nil {
				buf = append(buf, p.data[p.pos:p.pos+size]...)
			}
			p.pos += size
		}
	}
}

func (p *parser) u4() (rune, error) {
	if p.pos+4 > len(p.data) {
		return 0, p.errf("short \\u escape")
	}
	r, ok := hex4(p.data[p.pos : p.pos+4])
	if !ok {
		return 0, p.errf("invalid \\u escape")
	}
	p.pos += 4
	return r, nil
}

func (p *parser) number() (node, error) {
	start := p.pos
	d := p.data
	i := p.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		p.pos = i
		return node{}, p.errf("invalid number")
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			p.pos = i
			return node{}, p.errf("invalid number: digit expected after '.'")
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			p.pos = i
			return node{}, p.errf("invalid number: digit expected in exponent")
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	f, err := strconv.ParseFloat(string(d[start:i]), 64)
	if err != nil || math.IsInf(f, 0) {
		return node{}, &SyntaxError{Offset: start, Msg: "number out of binary64 range"}
	}
	p.pos = i
	return node{kind: kLiteral, text: string(AppendNumber(nil, f))}, nil
}

func (n *node) appendTo(dst []byte) []byte {
	switch n.kind {
	case kLiteral:
		return append(dst, n.text...)
	case kString:
		return appendString(dst, n.text)
	case kArray:
		dst = append(dst, '[')
		for i := range n.items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = n.items[i].appendTo(dst)
		}
		return append(dst, ']')
	default:
		idx := make([]int, len(n.keys))
		u := make([][]uint16, len(n.keys))
		for i := range idx {
			idx[i] = i
			u[i] = utf16.Encode([]rune(n.keys[i]))
		}
		sort.Slice(idx, func(a, b int) bool { return lessUTF16(u[idx[a]], u[idx[b]]) })
		dst = append(dst, '{')
		for j, i := range idx {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, n.keys[i])
			dst = append(dst, ':')
			dst = n.items[i].appendTo(dst)
		}
		return append(dst, '}')
	}
}

func lessUTF16(a, b []uint16) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as an RFC 8785 string literal.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendNumber appends f formatted as ECMAScript's Number.prototype.toString
// (the RFC 8785 number serialization): shortest round-trip digits, integers
// below 1e21 written out in full, exponent form "1e+21" / "1.5e-7" otherwise,
// and negative zero as "0". NaN and ±Inf, which RFC 8785 forbids, are
// appended as "null", as ECMAScript's JSON.stringify does.
func AppendNumber(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	if f == 0 {
		return append(dst, '0')
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64) // d[.ddd]e±XX
	var digits [24]byte
	k := 0
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[k] = e[i]
			k++
		}
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	n := exp + 1 // position of the decimal point relative to the digits
	ds := digits[:k]
	switch {
	case k <= n && n <= 21:
		dst = append(dst, ds...)
		for j := k; j < n; j++ {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, ds[:n]...)
		dst = append(dst, '.')
		dst = append(dst, ds[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for j := 0; j < -n; j++ {
			dst = append(dst, '0')
		}
		dst = append(dst, ds...)
	default:
		dst = append(dst, ds[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, ds[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst
}
