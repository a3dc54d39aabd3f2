package pyjson

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DumpOptions select json.dumps keyword arguments. The zero value is
// json.dumps' defaults: separators (", ", ": "), ensure_ascii=True, no
// indentation, insertion order.
type DumpOptions struct {
	// Indent > 0 is indent=Indent: members and items on their own lines,
	// item separator "," (json.dumps switches to (",", ": ") with indent).
	Indent int
	// NoEnsureASCII is ensure_ascii=False: non-ASCII is written raw.
	NoEnsureASCII bool
	// SortKeys is sort_keys=True: object members by code point order.
	SortKeys bool
	// Level is the indentation level the value starts at (with Indent):
	// its nested lines are indented by (Level+depth)*Indent spaces, as
	// when it is written inside containers Level deep. Zero is json.dumps.
	Level int
}

// Dumps returns the bytes Python's json.dumps writes for v with opt.
func Dumps(v Value, opt DumpOptions) []byte {
	return AppendDumps(nil, v, opt)
}

// AppendDumps appends the bytes of Dumps(v, opt) to dst.
func AppendDumps(dst []byte, v Value, opt DumpOptions) []byte {
	w := writer{opt: opt, ascii: !opt.NoEnsureASCII}
	return w.value(dst, &v, opt.Level)
}

type writer struct {
	opt   DumpOptions
	ascii bool
}

func (w *writer) newline(dst []byte, level int) []byte {
	dst = append(dst, '\n')
	for i := 0; i < level*w.opt.Indent; i++ {
		dst = append(dst, ' ')
	}
	return dst
}

func (w *writer) value(dst []byte, v *Value, level int) []byte {
	switch v.Kind {
	case Null:
		return append(dst, "null"...)
	case Bool:
		if v.Bool {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case Number:
		return append(dst, v.Str...)
	case String:
		return AppendString(dst, v.Str, w.ascii)
	case Array:
		if len(v.Arr) == 0 {
			return append(dst, "[]"...)
		}
		dst = append(dst, '[')
		for i := range v.Arr {
			if i > 0 {
				if w.opt.Indent > 0 {
					dst = append(dst, ',')
				} else {
					dst = append(dst, ',', ' ')
				}
			}
			if w.opt.Indent > 0 {
				dst = w.newline(dst, level+1)
			}
			dst = w.value(dst, &v.Arr[i], level+1)
		}
		if w.opt.Indent > 0 {
			dst = w.newline(dst, level)
		}
		return append(dst, ']')
	default:
		if len(v.Obj) == 0 {
			return append(dst, "{}"...)
		}
		members := v.Obj
		if w.opt.SortKeys {
			members = slices.Clone(members)
			slices.SortStableFunc(members, func(a, b Member) int {
				// Byte order of (WTF-)8 is code point order, as Python sorts str.
				return strings.Compare(a.Key, b.Key)
			})
		}
		dst = append(dst, '{')
		for i := range members {
			if i > 0 {
				if w.opt.Indent > 0 {
					dst = append(dst, ',')
				} else {
					dst = append(dst, ',', ' ')
				}
			}
			if w.opt.Indent > 0 {
				dst = w.newline(dst, level+1)
			}
			dst = AppendString(dst, members[i].Key, w.ascii)
			dst = append(dst, ':', ' ')
			dst = w.value(dst, &members[i].Value, level+1)
		}
		if w.opt.Indent > 0 {
			dst = w.newline(dst, level)
		}
		return append(dst, '}')
	}
}

const hexDigits = "0123456789abcdef"

// safeASCII[c] is true for bytes written as is with ensure_ascii=True:
// printable ASCII 0x20–0x7E except '"' and '\\'.
var safeASCII = func() (t [256]bool) {
	for c := 0x20; c <= 0x7E; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return
}()

// safeRaw[c] is true for bytes written as is with ensure_ascii=False:
// everything but control characters, '"' and '\\'.
var safeRaw = func() (t [256]bool) {
	for c := 0x20; c <= 0xFF; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return
}()

func appendU4(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}

// AppendString appends s as a JSON string literal exactly as Python's json
// module writes it: with ensureASCII every character outside 0x20–0x7E is
// escaped as lowercase \uXXXX (astral characters as a surrogate pair);
// \" \\ \n \r \t \b \f use their short forms and '/' is not escaped. Without
// ensureASCII only '"', '\\' and control characters below 0x20 are escaped.
//
// Surrogate code points in WTF-8 form (see Parse) are written as \udXXX.
// Other invalid UTF-8 bytes, which no Python string can hold, are written
// as \ufffd with ensureASCII and as is without.
func AppendString(dst []byte, s string, ensureASCII bool) []byte {
	safe := &safeRaw
	if ensureASCII {
		safe = &safeASCII
	}
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if safe[c] {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
			i++
		case '\n':
			dst = append(dst, '\\', 'n')
			i++
		case '\r':
			dst = append(dst, '\\', 'r')
			i++
		case '\t':
			dst = append(dst, '\\', 't')
			i++
		case '\b':
			dst = append(dst, '\\', 'b')
			i++
		case '\f':
			dst = append(dst, '\\', 'f')
			i++
		default:
			if c < utf8.RuneSelf { // other controls, and 0x7F with ensureASCII
				dst = appendU4(dst, rune(c))
				i++
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size <= 1 {
				if c == 0xED && i+2 < len(s) && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2]&0xC0 == 0x80 {
					r = 0xD000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
					size = 3
				} else {
					r = utf8.RuneError
				}
			}
			if r >= 0x10000 {
				r -= 0x10000
				dst = appendU4(dst, 0xD800+(r>>10))
				dst = appendU4(dst, 0xDC00+(r&0x3FF))
			} else {
				dst = appendU4(dst, r)
			}
			i += size
		}
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendFloat appends f as Python's json.dumps writes a float: float.__repr__
// (shortest round-trip digits; exponent form "1e+16", "1e-05" when the
// decimal exponent is below -4 or at least 16; otherwise positional with at
// least one fractional digit, "2.0", "-0.0"), and NaN, Infinity, -Infinity
// for the non-finite values.
func AppendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64) // d[.ddd]e±XX
	var digits [24]byte
	k, i := 0, 0
	for ; e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[k] = e[i]
			k++
		}
	}
	exp := 0
	neg := e[i+1] == '-'
	for _, c := range e[i+2:] {
		exp = exp*10 + int(c-'0')
	}
	if neg {
		exp = -exp
	}
	ds := digits[:k]
	decpt := exp + 1
	switch {
	case decpt <= -4 || decpt > 16:
		dst = append(dst, ds[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, ds[1:]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	case decpt <= 0:
		dst = append(dst, '0', '.')
		for j := 0; j < -decpt; j++ {
			dst = append(dst, '0')
		}
		return append(dst, ds...)
	case decpt >= k:
		dst = append(dst, ds...)
		for j := k; j < decpt; j++ {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	default:
		dst = append(dst, ds[:decpt]...)
		dst = append(dst, '.')
		return append(dst, ds[decpt:]...)
	}
}
