package pattern

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math"
	"strconv"
	"time"
)

// LiteralKind tells which kind of value a [Literal] holds.
type LiteralKind uint8

// The literal kinds.
const (
	// StringLit is '…' with \' and \\ escapes.
	StringLit LiteralKind = iota + 1
	// IntLit is a decimal integer, e.g. 443 or -1.
	IntLit
	// FloatLit is a decimal with a fraction, e.g. 0.5 or -.5.
	FloatLit
	// BoolLit is true or false.
	BoolLit
	// BinaryLit is b'…' holding base64.
	BinaryLit
	// HexLit is h'…' holding pairs of hexadecimal digits.
	HexLit
	// TimestampLit is t'…' holding an RFC 3339 UTC timestamp.
	TimestampLit
)

// String returns the kind's name, e.g. "string".
func (k LiteralKind) String() string {
	switch k {
	case StringLit:
		return "string"
	case IntLit:
		return "integer"
	case FloatLit:
		return "float"
	case BoolLit:
		return "boolean"
	case BinaryLit:
		return "binary"
	case HexLit:
		return "hex"
	case TimestampLit:
		return "timestamp"
	}
	return "LiteralKind(" + strconv.Itoa(int(k)) + ")"
}

// Literal is a constant in a pattern. Text holds its value as text: the
// unescaped string (StringLit), the decimal digits with an optional leading
// '-' (IntLit, FloatLit; a FloatLit always has digits before the '.'), the
// base64 (BinaryLit), the hexadecimal digits (HexLit), or the timestamp
// between the quotes (TimestampLit). Bool holds a BoolLit's value. Use the
// constructors [Str], [Int], [Float], [Bool], [Binary], [Hex] and
// [Timestamp] to make valid literals.
type Literal struct {
	Kind LiteralKind
	Bool bool
	Text string
}

// String returns the literal as written in a pattern, e.g. 'it\'s' or
// t'2016-01-01T00:00:00Z'.
func (l Literal) String() string { return string(l.appendTo(nil)) }

func (l Literal) appendTo(b []byte) []byte {
	switch l.Kind {
	case StringLit:
		return appendQuoted(b, l.Text)
	case IntLit, FloatLit:
		return append(b, l.Text...)
	case BoolLit:
		if l.Bool {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case BinaryLit:
		b = append(b, "b'"...)
	case HexLit:
		b = append(b, "h'"...)
	case TimestampLit:
		b = append(b, "t'"...)
	default:
		return b
	}
	b = append(b, l.Text...)
	return append(b, '\'')
}

var errLiteralKind = errors.New("pattern: literal has another kind")

// Int returns the value of an IntLit; it fails for other kinds and for
// values outside the int64 range.
func (l Literal) Int() (int64, error) {
	if l.Kind != IntLit {
		return 0, errLiteralKind
	}
	return strconv.ParseInt(l.Text, 10, 64)
}

// Float returns the value of a FloatLit or IntLit.
func (l Literal) Float() (float64, error) {
	if l.Kind != FloatLit && l.Kind != IntLit {
		return 0, errLiteralKind
	}
	return strconv.ParseFloat(l.Text, 64)
}

// Bytes returns the decoded value of a BinaryLit or HexLit.
func (l Literal) Bytes() ([]byte, error) {
	switch l.Kind {
	case BinaryLit:
		return base64.StdEncoding.DecodeString(l.Text)
	case HexLit:
		return hex.DecodeString(l.Text)
	}
	return nil, errLiteralKind
}

// Time returns the value of a TimestampLit. A leap second (:60) becomes
// the first second of the next minute.
func (l Literal) Time() (time.Time, error) {
	if l.Kind != TimestampLit {
		return time.Time{}, errLiteralKind
	}
	f, ok := parseTimestamp(l.Text)
	if !ok {
		return time.Time{}, errors.New("pattern: invalid timestamp " + quoteForMsg(l.Text))
	}
	return time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], f[6], time.UTC), nil
}

// Str returns a string literal.
func Str(s string) Literal { return Literal{Kind: StringLit, Text: s} }

// Int returns an integer literal.
func Int(i int64) Literal { return Literal{Kind: IntLit, Text: strconv.FormatInt(i, 10)} }

// Float returns a float literal. NaN and infinities have no pattern form:
// they give a literal with no kind, which the builder reports.
func Float(f float64) Literal {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Literal{}
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	hasDot := false
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			hasDot = true
			break
		}
	}
	if !hasDot {
		s += ".0"
	}
	return Literal{Kind: FloatLit, Text: s}
}

// Bool returns a boolean literal.
func Bool(v bool) Literal { return Literal{Kind: BoolLit, Bool: v} }

// Binary returns a binary literal b'…' holding b in base64. An empty b has
// no pattern form (the grammar needs at least one base64 group): it gives a
// literal with no kind, which the builder reports.
func Binary(b []byte) Literal {
	if len(b) == 0 {
		return Literal{}
	}
	return Literal{Kind: BinaryLit, Text: base64.StdEncoding.EncodeToString(b)}
}

// Hex returns a hex literal h'…' holding b in lowercase hexadecimal.
func Hex(b []byte) Literal { return Literal{Kind: HexLit, Text: hex.EncodeToString(b)} }

// Timestamp returns a timestamp literal t'…' holding t in UTC with as many
// fraction digits as needed. Years outside 0000–9999 have no pattern form:
// they give a literal with no kind, which the builder reports.
func Timestamp(t time.Time) Literal {
	t = t.UTC()
	if t.Year() < 0 || t.Year() > 9999 {
		return Literal{}
	}
	return Literal{Kind: TimestampLit, Text: t.Format("2006-01-02T15:04:05.999999999Z07:00")}
}

// parseTimestamp checks the TimestampLiteral form
// YYYY-MM-DDTHH:MM:SS[.fraction]Z with field ranges and a real calendar
// day, and returns year, month, day, hour, minute, second, nanosecond.
func parseTimestamp(s string) (f [7]int, ok bool) {
	if len(s) < 20 || s[len(s)-1] != 'Z' {
		return f, false
	}
	digits := func(i, n int) (int, bool) {
		v := 0
		for j := i; j < i+n; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	if s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return f, false
	}
	for k, p := range [6][2]int{{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}} {
		v, ok := digits(p[0], p[1])
		if !ok {
			return f, false
		}
		f[k] = v
	}
	rest := s[19 : len(s)-1]
	if rest != "" {
		if rest[0] != '.' || len(rest) < 2 {
			return f, false
		}
		ns, scale := 0, 100000000
		for i := 1; i < len(rest); i++ {
			c := rest[i]
			if c < '0' || c > '9' {
				return f, false
			}
			ns += int(c-'0') * scale
			scale /= 10
		}
		f[6] = ns
	}
	year, month, day := f[0], f[1], f[2]
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return f, false
	}
	if f[3] > 23 || f[4] > 59 || f[5] > 60 {
		return f, false
	}
	return f, true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func isBase64Char(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}

// validBase64 checks the BinaryLiteral body: one or more groups of four
// base64 characters, the last of which may end in "=" or "==".
func validBase64(s string) bool {
	if len(s) == 0 || len(s)%4 != 0 {
		return false
	}
	n := len(s)
	pad := 0
	if s[n-1] == '=' {
		pad = 1
		if s[n-2] == '=' {
			pad = 2
		}
	}
	for i := 0; i < n-pad; i++ {
		if !isBase64Char(s[i]) {
			return false
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// validHex checks the HexLiteral body: pairs of hexadecimal digits.
func validHex(s string) bool {
	if len(s)%2 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return true
}
