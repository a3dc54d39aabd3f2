package pyjson

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// Default limits used when a ParseOptions field is zero.
const (
	DefaultMaxDepth = 1000
	DefaultMaxBytes = 1 << 30
	// MaxIntDigits is the longest integer literal accepted, as CPython 3.11+
	// (sys.int_info.default_max_str_digits) refuses longer ones in json.loads.
	MaxIntDigits = 4300
)

// ParseOptions bound and tune Parse. The zero value gives Python semantics
// with DefaultMaxDepth and DefaultMaxBytes.
type ParseOptions struct {
	MaxDepth    int  // deepest nesting of arrays/objects; 0 means DefaultMaxDepth
	MaxBytes    int  // largest input accepted; 0 means DefaultMaxBytes
	DisallowNaN bool // reject the NaN, Infinity and -Infinity literals Python accepts
}

// Errors matched with errors.Is: every Parse error matches ErrSyntax or
// ErrLimit.
var (
	ErrSyntax = errors.New("pyjson: invalid JSON")
	ErrLimit  = errors.New("pyjson: input exceeds a limit")
)

// SyntaxError is returned by Parse for input json.loads would reject, or
// that exceeds a limit.
type SyntaxError struct {
	Offset int    // byte offset in the input
	Msg    string // what is wrong
	limit  bool
	dup    bool // a duplicate key met by the Transcoder
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("pyjson: %s at byte offset %d", e.Msg, e.Offset)
}

// Is matches ErrSyntax, or ErrLimit for depth and size limits, or
// ErrDuplicateKey for the Transcoder's duplicate keys.
func (e *SyntaxError) Is(target error) bool {
	if e.dup {
		return target == ErrDuplicateKey
	}
	if e.limit {
		return target == ErrLimit
	}
	return target == ErrSyntax
}

// Parse decodes one JSON text the way Python's json.loads does (see the
// package documentation for the exact rules).
//
// The returned Value's strings may share memory with one private copy of
// data; data itself is not retained.
func Parse(data []byte, opt ParseOptions) (Value, error) {
	return ParseString(string(data), opt)
}

// ParseString is Parse of a string: the returned Value's strings may share
// memory with s.
func ParseString(s string, opt ParseOptions) (Value, error) {
	data := s
	if opt.MaxDepth <= 0 {
		opt.MaxDepth = DefaultMaxDepth
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if len(data) > opt.MaxBytes {
		return Value{}, &SyntaxError{Offset: opt.MaxBytes, Msg: fmt.Sprintf("input larger than %d bytes", opt.MaxBytes), limit: true}
	}
	p := parser{s: data, opt: opt}
	if len(p.s) >= 3 && p.s[:3] == "\xef\xbb\xbf" {
		p.pos = 3
	}
	p.skipWS()
	v, err := p.value(0)
	if err != nil {
		return Value{}, err
	}
	p.skipWS()
	if p.pos != len(p.s) {
		return Value{}, p.errf("extra data after the JSON value")
	}
	return v, nil
}

type parser struct {
	s      string
	pos    int
	opt    ParseOptions
	vstack []Value  // scratch for array items being parsed
	mstack []Member // scratch for object members being parsed
	buf    []byte   // scratch for unescaping
}

func (p *parser) errf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipWS() {
	s, i := p.s, p.pos
	for i < len(s) {
		switch s[i] {
		case ' ':
			// Indentation comes in long runs of spaces: skip 8 at a time.
			if i+8 <= len(s) && s[i:i+8] == "        " {
				i += 8
			} else {
				i++
			}
		case '\t', '\n', '\r':
			i++
		default:
			p.pos = i
			return
		}
	}
	p.pos = i
}

func (p *parser) value(depth int) (Value, error) {
	if p.pos >= len(p.s) {
		return Value{}, p.errf("expecting value, found end of input")
	}
	switch c := p.s[p.pos]; c {
	case '"':
		s, err := p.str()
		return Value{Kind: String, Str: s}, err
	case '{':
		return p.object(depth + 1)
	case '[':
		return p.array(depth + 1)
	case 't':
		if p.lit("true") {
			return Value{Kind: Bool, Bool: true}, nil
		}
	case 'f':
		if p.lit("false") {
			return Value{Kind: Bool}, nil
		}
	case 'n':
		if p.lit("null") {
			return Value{}, nil
		}
	case 'N':
		if p.lit("NaN") {
			return p.nonFinite("NaN")
		}
	case 'I':
		if p.lit("Infinity") {
			return p.nonFinite("Infinity")
		}
	default:
		if c == '-' && len(p.s)-p.pos >= 9 && p.s[p.pos:p.pos+9] == "-Infinity" {
			p.pos += 9
			return p.nonFinite("-Infinity")
		}
		if c == '-' || (c >= '0' && c <= '9') {
			return p.number()
		}
	}
	return Value{}, p.errf("expecting value")
}

func (p *parser) nonFinite(lit string) (Value, error) {
	if p.opt.DisallowNaN {
		p.pos -= len(lit)
		return Value{}, p.errf("%s is not allowed", lit)
	}
	return Value{Kind: Number, Str: lit}, nil
}

func (p *parser) lit(l string) bool {
	if len(p.s)-p.pos >= len(l) && p.s[p.pos:p.pos+len(l)] == l {
		p.pos += len(l)
		return true
	}
	return false
}

func (p *parser) tooDeep() error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf("nesting deeper than %d", p.opt.MaxDepth), limit: true}
}

func (p *parser) array(depth int) (Value, error) {
	if depth > p.opt.MaxDepth {
		return Value{}, p.tooDeep()
	}
	p.pos++ // [
	p.skipWS()
	if p.pos < len(p.s) && p.s[p.pos] == ']' {
		p.pos++
		return Value{Kind: Array, Arr: []Value{}}, nil
	}
	base := len(p.vstack)
	for {
		p.skipWS()
		v, err := p.value(depth)
		if err != nil {
			p.vstack = p.vstack[:base]
			return Value{}, err
		}
		p.vstack = append(p.vstack, v)
		p.skipWS()
		if p.pos >= len(p.s) {
			p.vstack = p.vstack[:base]
			return Value{}, p.errf("expecting ',' or ']', found end of input")
		}
		c := p.s[p.pos]
		p.pos++
		if c == ',' {
			continue
		}
		if c == ']' {
			break
		}
		p.pos--
		p.vstack = p.vstack[:base]
		return Value{}, p.errf("expecting ',' delimiter")
	}
	arr := make([]Value, len(p.vstack)-base)
	copy(arr, p.vstack[base:])
	clear(p.vstack[base:])
	p.vstack = p.vstack[:base]
	return Value{Kind: Array, Arr: arr}, nil
}

// dupScanLimit is the member count up to which duplicates are found by a
// linear scan; larger objects use a map.
const dupScanLimit = 32

func (p *parser) object(depth int) (Value, error) {
	if depth > p.opt.MaxDepth {
		return Value{}, p.tooDeep()
	}
	p.pos++ // {
	p.skipWS()
	if p.pos < len(p.s) && p.s[p.pos] == '}' {
		p.pos++
		return Value{Kind: Object, Obj: []Member{}}, nil
	}
	base := len(p.mstack)
	var index map[string]int
	fail := func(err error) (Value, error) {
		clear(p.mstack[base:])
		p.mstack = p.mstack[:base]
		return Value{}, err
	}
	for {
		p.skipWS()
		if p.pos >= len(p.s) || p.s[p.pos] != '"' {
			return fail(p.errf("expecting property name enclosed in double quotes"))
		}
		key, err := p.str()
		if err != nil {
			return fail(err)
		}
		p.skipWS()
		if p.pos >= len(p.s) || p.s[p.pos] != ':' {
			return fail(p.errf("expecting ':' delimiter"))
		}
		p.pos++
		p.skipWS()
		v, err := p.value(depth)
		if err != nil {
			return fail(err)
		}
		// Python dict semantics: a repeated key keeps its first position
		// and takes the last value.
		members := p.mstack[base:]
		dup := -1
		if index != nil {
			if i, ok := index[key]; ok {
				dup = i
			}
		} else {
			for i := range members {
				if members[i].Key == key {
					dup = i
					break
				}
			}
		}
		if dup >= 0 {
			members[dup].Value = v
		} else {
			if index != nil {
				index[key] = len(members)
			}
			p.mstack = append(p.mstack, Member{Key: key, Value: v})
			if index == nil && len(members)+1 > dupScanLimit {
				index = make(map[string]int, 2*dupScanLimit)
				for i, m := range p.mstack[base:] {
					index[m.Key] = i
				}
			}
		}
		p.skipWS()
		if p.pos >= len(p.s) {
			return fail(p.errf("expecting ',' or '}', found end of input"))
		}
		c := p.s[p.pos]
		p.pos++
		if c == ',' {
			continue
		}
		if c == '}' {
			break
		}
		p.pos--
		return fail(p.errf("expecting ',' delimiter"))
	}
	obj := make([]Member, len(p.mstack)-base)
	copy(obj, p.mstack[base:])
	clear(p.mstack[base:])
	p.mstack = p.mstack[:base]
	return Value{Kind: Object, Obj: obj}, nil
}

// str decodes the string whose opening quote is at p.pos.
func (p *parser) str() (string, error) {
	p.pos++
	start := p.pos
	s := p.s
	i := p.pos
	// Fast path: plain ASCII without escapes is a substring of the input.
	for i < len(s) {
		c := s[i]
		if c == '"' {
			p.pos = i + 1
			return s[start:i], nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		i++
	}
	p.buf = p.buf[:0]
	escaped := false
	for {
		if i >= len(s) {
			p.pos = start - 1
			return "", p.errf("unterminated string starting")
		}
		c := s[i]
		switch {
		case c == '"':
			p.pos = i + 1
			if !escaped {
				return s[start:i], nil
			}
			p.buf = append(p.buf, s[start:i]...)
			return string(p.buf), nil
		case c < 0x20:
			p.pos = i
			return "", p.errf("invalid control character in string")
		case c == '\\':
			escaped = true
			p.buf = append(p.buf, s[start:i]...)
			if i+1 >= len(s) {
				p.pos = i
				return "", p.errf("unterminated string")
			}
			e := s[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				p.buf = append(p.buf, e)
			case 'b':
				p.buf = append(p.buf, '\b')
			case 'f':
				p.buf = append(p.buf, '\f')
			case 'n':
				p.buf = append(p.buf, '\n')
			case 'r':
				p.buf = append(p.buf, '\r')
			case 't':
				p.buf = append(p.buf, '\t')
			case 'u':
				r, ok := hex4(s, i)
				if !ok {
					p.pos = i - 2
					return "", p.errf("invalid \\uXXXX escape")
				}
				i += 4
				if r >= 0xD800 && r <= 0xDBFF && i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if r2, ok := hex4(s, i+2); ok && r2 >= 0xDC00 && r2 <= 0xDFFF {
						r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
						i += 6
					}
				}
				p.buf = appendWTF8(p.buf, r)
			default:
				p.pos = i - 2
				return "", p.errf("invalid \\escape")
			}
			start = i
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size <= 1 {
				p.pos = i
				return "", p.errf("invalid UTF-8")
			}
			i += size
		}
	}
}

// appendWTF8 appends r in UTF-8, writing surrogate code points with the
// generalized (WTF-8) 3-byte form instead of U+FFFD.
func appendWTF8(b []byte, r rune) []byte {
	if r >= 0xD800 && r <= 0xDFFF {
		return append(b, 0xED, byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(b, r)
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
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

func (p *parser) number() (Value, error) {
	s := p.s
	start := p.pos
	i := p.pos
	if s[i] == '-' {
		i++
	}
	intStart := i
	if i < len(s) && s[i] == '0' {
		i++
	} else if i < len(s) && s[i] >= '1' && s[i] <= '9' {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	} else {
		return Value{}, p.errf("expecting value")
	}
	intEnd := i
	isFloat := false
	// Python's NUMBER_RE: a fraction or exponent that is not well formed
	// simply ends the number (and the parser then fails on what follows).
	if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
		i += 2
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		isFloat = true
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
			isFloat = true
		}
	}
	p.pos = i
	if !isFloat {
		if intEnd-intStart > MaxIntDigits {
			p.pos = start
			return Value{}, p.errf("integer literal longer than %d digits", MaxIntDigits)
		}
		if intEnd-start == 2 && s[start] == '-' && s[intStart] == '0' {
			return Value{Kind: Number, Str: "0"}, nil
		}
		return Value{Kind: Number, Str: s[start:i]}, nil
	}
	f, err := strconv.ParseFloat(s[start:i], 64)
	if err != nil && !math.IsInf(f, 0) && f != 0 {
		p.pos = start
		return Value{}, p.errf("invalid number")
	}
	var tmp [32]byte
	return Value{Kind: Number, Str: string(AppendFloat(tmp[:0], f))}, nil
}
