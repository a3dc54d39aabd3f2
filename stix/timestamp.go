package stix

import (
	"errors"
	"fmt"
	"time"

	"github.com/stixkit/stixkit/stix/stiximpl"
)

// Timestamp is a STIX timestamp: a UTC instant written as
// YYYY-MM-DDTHH:MM:SS[.s+]Z. It remembers how many fraction digits it was
// given (0–9) so that it is written back exactly as read. The zero value is
// "not set".
type Timestamp struct {
	t time.Time
	// prec is 1 + the number of fraction digits; 0 means not set.
	prec uint8
}

// Timestamp precisions (number of fraction digits) for NewTimestamp.
const (
	Seconds      = 0
	Milliseconds = 3
	Microseconds = 6
	Nanoseconds  = 9
)

// ErrTimestamp is returned (wrapped) for malformed timestamps.
var ErrTimestamp = errors.New("stix: invalid timestamp")

// NewTimestamp returns t in UTC, written with digits fraction digits (0–9)
// and truncated to that precision.
func NewTimestamp(t time.Time, digits int) Timestamp {
	digits = min(max(digits, 0), 9)
	t = t.UTC().Truncate(pow10Duration(9 - digits))
	return Timestamp{t: t, prec: uint8(digits + 1)}
}

func pow10Duration(n int) time.Duration {
	d := time.Duration(1)
	for range n {
		d *= 10
	}
	return d
}

// ParseTimestamp parses a STIX timestamp. It requires the upper-case T and Z
// of RFC 3339 in UTC, 0 to 9 fraction digits and valid calendar values.
func ParseTimestamp(s string) (Timestamp, error) {
	return parseTimestamp([]byte(s))
}

func parseTimestamp(b []byte) (Timestamp, error) {
	bad := func(why string) (Timestamp, error) {
		return Timestamp{}, fmt.Errorf("%w %q: %s", ErrTimestamp, b, why)
	}
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return bad("want YYYY-MM-DDTHH:MM:SS[.fraction]Z")
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, mon, day := num(0, 4), num(5, 2), num(8, 2)
	hh, mm, ss := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || mon < 0 || day < 0 || hh < 0 || mm < 0 || ss < 0 {
		return bad("want YYYY-MM-DDTHH:MM:SS[.fraction]Z")
	}
	if b[len(b)-1] != 'Z' {
		return bad("must be in UTC and end with 'Z'")
	}
	digits, nanos := 0, 0
	if len(b) > 20 {
		if b[19] != '.' {
			return bad("want YYYY-MM-DDTHH:MM:SS[.fraction]Z")
		}
		digits = len(b) - 21
		if digits < 1 || digits > 9 {
			return bad("fraction must have 1 to 9 digits")
		}
		if nanos = num(20, digits); nanos < 0 {
			return bad("fraction must be digits")
		}
		for range 9 - digits {
			nanos *= 10
		}
	}
	if mon < 1 || mon > 12 || day < 1 || day > daysIn(mon, year) || hh > 23 || mm > 59 || ss > 59 {
		return bad("date or time out of range")
	}
	t := time.Date(year, time.Month(mon), day, hh, mm, ss, nanos, time.UTC)
	return Timestamp{t: t, prec: uint8(digits + 1)}, nil
}

func daysIn(m, y int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MustTimestamp is ParseTimestamp that panics on error; for constants and
// tests only.
func MustTimestamp(s string) Timestamp {
	t, err := ParseTimestamp(s)
	if err != nil {
		panic(err)
	}
	return t
}

// IsZero reports whether the timestamp is not set.
func (t Timestamp) IsZero() bool { return t.prec == 0 }

// Time returns the instant in UTC.
func (t Timestamp) Time() time.Time { return t.t }

// Digits returns the number of fraction digits the timestamp is written with.
func (t Timestamp) Digits() int { return int(t.prec) - 1 }

// WithDigits returns the same instant written with n fraction digits
// (truncating when n is smaller).
func (t Timestamp) WithDigits(n int) Timestamp {
	if t.IsZero() {
		return t
	}
	return NewTimestamp(t.t, n)
}

// Equal reports whether both denote the same instant (precision ignored).
func (t Timestamp) Equal(u Timestamp) bool { return t.prec != 0 && u.prec != 0 && t.t.Equal(u.t) }

// Before reports whether t is before u.
func (t Timestamp) Before(u Timestamp) bool { return t.t.Before(u.t) }

// After reports whether t is after u.
func (t Timestamp) After(u Timestamp) bool { return t.t.After(u.t) }

// String formats the timestamp, or returns "" when not set.
func (t Timestamp) String() string {
	if t.IsZero() {
		return ""
	}
	return string(t.AppendFormat(nil))
}

// AppendFormat appends the timestamp text (without quotes) to b.
func (t Timestamp) AppendFormat(b []byte) []byte {
	return appendTime(b, t.t, t.Digits())
}

// appendTime writes YYYY-MM-DDTHH:MM:SS, digits fraction digits and Z.
func appendTime(b []byte, tm time.Time, digits int) []byte {
	year, mon, day := tm.Date()
	hh, mm, ss := tm.Clock()
	b = appendPadded(b, year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(mon), 2)
	b = append(b, '-')
	b = appendPadded(b, day, 2)
	b = append(b, 'T')
	b = appendPadded(b, hh, 2)
	b = append(b, ':')
	b = appendPadded(b, mm, 2)
	b = append(b, ':')
	b = appendPadded(b, ss, 2)
	if digits > 0 {
		b = append(b, '.')
		ns := tm.Nanosecond()
		for range 9 - digits {
			ns /= 10
		}
		b = appendPadded(b, ns, digits)
	}
	return append(b, 'Z')
}

func appendPadded(b []byte, v, width int) []byte {
	var tmp [10]byte
	i := len(tmp)
	for v > 0 || i == len(tmp) {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	for n := len(tmp) - i; n < width; n++ {
		b = append(b, '0')
	}
	return append(b, tmp[i:]...)
}

// MarshalJSON writes the quoted timestamp, or null when not set.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	b := append([]byte{'"'}, t.AppendFormat(nil)...)
	return append(b, '"'), nil
}

// UnmarshalJSON parses a quoted timestamp.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("%w: %s is not a string", ErrTimestamp, b)
	}
	v, err := parseTimestamp(b[1 : len(b)-1])
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// DecodeSTIX reads a quoted timestamp (for generated decoders); a string
// that is not a STIX timestamp is an error at its offset.
func (t *Timestamp) DecodeSTIX(d *stiximpl.Decoder) {
	*t = Timestamp{}
	off := d.Offset()
	b := d.StringBytes()
	if d.Failed() {
		return
	}
	v, err := parseTimestamp(b)
	if err != nil {
		d.FailAt(off, err.Error())
		return
	}
	*t = v
}
