package jsonscan

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Limits bound what a Decoder accepts. The zero value selects the defaults.
type Limits struct {
	// MaxDepth is the deepest nesting of arrays and objects accepted
	// (default DefaultMaxDepth).
	MaxDepth int
	// MaxStringBytes is the longest string value accepted, in bytes after
	// unescaping (default 0: only bounded by the input size).
	MaxStringBytes int
}

// DefaultMaxDepth is the nesting limit used when Limits.MaxDepth is 0.
const DefaultMaxDepth = 256

// Error is a JSON syntax or type error with its position.
type Error struct {
	Offset int      // byte offset in the input
	Path   []string // JSON pointer segments from the outermost value
	Msg    string

	// Set by MarkObject: the innermost object the error belongs to.
	ObjStart, ObjIndex, ObjPathLen int
	ObjMarked                      bool
}

// MarkObject records, when an error is pending and no object was marked
// yet, that it happened inside the object starting at offset start (index
// is its position in an enclosing list, or -1).
func (d *Decoder) MarkObject(start, index int) {
	if d.err != nil && !d.err.ObjMarked {
		d.err.ObjStart, d.err.ObjIndex, d.err.ObjPathLen, d.err.ObjMarked = start, index, len(d.err.Path), true
	}
}

// ObjectPointer returns the JSON pointer of the failing value relative to
// the marked object (or to the whole input when none was marked).
func (e *Error) ObjectPointer() string {
	if !e.ObjMarked {
		return e.Pointer()
	}
	inner := &Error{Path: e.Path[len(e.Path)-e.ObjPathLen:]}
	return inner.Pointer()
}

// Pointer returns the RFC 6901 JSON pointer of the failing value.
func (e *Error) Pointer() string {
	var sb strings.Builder
	for _, p := range e.Path {
		sb.WriteByte('/')
		p = strings.ReplaceAll(p, "~", "~0")
		sb.WriteString(strings.ReplaceAll(p, "/", "~1"))
	}
	return sb.String()
}

// Error gives the pointer, the message and the byte offset.
func (e *Error) Error() string {
	if len(e.Path) > 0 {
		return fmt.Sprintf("%s: %s (offset %d)", e.Pointer(), e.Msg, e.Offset)
	}
	return fmt.Sprintf("%s (offset %d)", e.Msg, e.Offset)
}

// Decoder reads JSON values from a byte slice.
// A Decoder is not safe for concurrent use.
type Decoder struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int
	maxStr   int
	err      *Error
	scratch  []byte
	rawBuf   []byte // Raw's compaction buffer
	keyRaw   []byte // the last key as written, quotes included
	kept     []KeptValue
	notes    Notes // what Any met
	keys     *Keys // Any's member names
}

// NewDecoder returns a Decoder over data.
func NewDecoder(data []byte, lim Limits) *Decoder {
	d := &Decoder{}
	d.Reset(data, lim)
	return d
}

// Reset makes d read data from the start, clearing any error.
func (d *Decoder) Reset(data []byte, lim Limits) {
	d.data, d.pos, d.depth, d.err, d.notes = data, 0, 0, nil, Notes{}
	d.kept = d.kept[:0]
	d.maxDepth = lim.MaxDepth
	if d.maxDepth <= 0 {
		d.maxDepth = DefaultMaxDepth
	}
	d.maxStr = lim.MaxStringBytes
}

// Err returns the first error met, or nil.
func (d *Decoder) Err() error {
	if d.err == nil {
		return nil
	}
	return d.err
}

// Failed reports whether an error was met.
func (d *Decoder) Failed() bool { return d.err != nil }

// Offset returns the current read position.
func (d *Decoder) Offset() int { return d.pos }

// Fail records msg as the error at the current position unless an error is
// already recorded.
func (d *Decoder) Fail(msg string) {
	if d.err == nil {
		d.err = &Error{Offset: d.pos, Msg: msg}
	}
}

// Failf is Fail with formatting.
func (d *Decoder) Failf(format string, args ...any) {
	if d.err == nil {
		d.Fail(fmt.Sprintf(format, args...))
	}
}

// FailAt records msg as the error at offset off.
func (d *Decoder) FailAt(off int, msg string) {
	if d.err == nil {
		d.err = &Error{Offset: off, Msg: msg}
	}
}

// annotate prepends a path segment to the error for the nesting level being
// left.
func (d *Decoder) annotate(seg string) {
	if d.err == nil {
		return
	}
	d.err.Path = append(d.err.Path, "")
	copy(d.err.Path[1:], d.err.Path)
	d.err.Path[0] = seg
}

func (d *Decoder) skipWS() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ':
			// Indentation comes in runs of spaces: 8 at a time.
			if d.pos+8 <= len(d.data) && binary.LittleEndian.Uint64(d.data[d.pos:]) == 0x2020202020202020 {
				d.pos += 8
			} else {
				d.pos++
			}
		case '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// Kind of the next value: one of '{', '[', '"', 't', 'f', 'n', '0' (number),
// or 0 at the end of input or after an error.
func (d *Decoder) Peek() byte {
	if d.err != nil {
		return 0
	}
	d.skipWS()
	if d.pos >= len(d.data) {
		return 0
	}
	c := d.data[d.pos]
	switch c {
	case '{', '[', '"', 't', 'f', 'n':
		return c
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return '0'
	}
	return c
}

// KindName names a Peek result for messages ("an object", "a string"…).
func KindName(c byte) string { return kindName(c) }

// kindName names a Peek result for messages.
func kindName(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case '0':
		return "a number"
	case 0:
		return "end of input"
	}
	return fmt.Sprintf("invalid character %q", c)
}

// ExpectEnd fails unless only whitespace remains.
func (d *Decoder) ExpectEnd() {
	if d.err != nil {
		return
	}
	d.skipWS()
	if d.pos < len(d.data) {
		d.Failf("unexpected data after the top-level value: %q", d.data[d.pos])
	}
}

// BeginObject consumes '{'. It returns false (and records an error) when
// the next value is not an object.
func (d *Decoder) BeginObject() bool {
	if c := d.Peek(); c != '{' {
		if d.err == nil {
			d.Failf("expected an object, found %s", kindName(c))
		}
		return false
	}
	d.depth++
	if d.depth > d.maxDepth {
		d.Failf("nesting deeper than %d levels", d.maxDepth)
		return false
	}
	d.pos++
	return true
}

// NextMember advances to the next member of the current object, storing its
// key (valid until the next call on d) in *key. It returns false at the
// closing brace or on error. On error the key of the member being read is
// added to the error path.
func (d *Decoder) NextMember(key *[]byte) bool {
	if d.err != nil {
		if *key != nil {
			d.annotate(string(*key))
			*key = nil
		}
		return false
	}
	d.skipWS()
	if d.pos >= len(d.data) {
		d.Fail("unexpected end of input in object")
		return false
	}
	c := d.data[d.pos]
	if c == '}' {
		d.pos++
		d.depth--
		return false
	}
	if *key != nil { // not the first member
		if c != ',' {
			d.Failf("expected ',' or '}' after object member, found %q", c)
			return false
		}
		d.pos++
		d.skipWS()
	}
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		d.Fail("expected a string key in object")
		return false
	}
	ks := d.pos
	k, ok := d.readStringBytes(true)
	d.keyRaw = d.data[ks:d.pos]
	if !ok {
		return false
	}
	if k == nil {
		k = []byte{}
	}
	*key = k
	d.skipWS()
	if d.pos >= len(d.data) || d.data[d.pos] != ':' {
		d.Fail("expected ':' after object key")
		d.annotate(string(k))
		*key = nil
		return false
	}
	d.pos++
	return true
}

// BeginArray consumes '['.
func (d *Decoder) BeginArray() bool {
	if c := d.Peek(); c != '[' {
		if d.err == nil {
			d.Failf("expected an array, found %s", kindName(c))
		}
		return false
	}
	d.depth++
	if d.depth > d.maxDepth {
		d.Failf("nesting deeper than %d levels", d.maxDepth)
		return false
	}
	d.pos++
	return true
}

// NextElement advances to the next element of the current array; *i is the
// element index, starting at -1 before the first call. On error the index
// is added to the error path.
func (d *Decoder) NextElement(i *int) bool {
	if d.err != nil {
		if *i >= 0 {
			d.annotate(strconv.Itoa(*i))
			*i = -2
		}
		return false
	}
	d.skipWS()
	if d.pos >= len(d.data) {
		d.Fail("unexpected end of input in array")
		return false
	}
	c := d.data[d.pos]
	if c == ']' {
		d.pos++
		d.depth--
		return false
	}
	if *i >= 0 {
		if c != ',' {
			d.Failf("expected ',' or ']' after array element, found %q", c)
			return false
		}
		d.pos++
	}
	*i++
	return true
}

// IsNull consumes a null literal if one is next.
func (d *Decoder) IsNull() bool {
	if d.Peek() != 'n' {
		return false
	}
	return d.literal("null")
}

func (d *Decoder) literal(lit string) bool {
	if len(d.data)-d.pos >= len(lit) && string(d.data[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return true
	}
	d.Fail("invalid literal")
	return false
}

// Bool reads true or false.
func (d *Decoder) Bool() bool {
	switch c := d.Peek(); c {
	case 't':
		return d.literal("true")
	case 'f':
		d.literal("false")
		return false
	default:
		if d.err == nil {
			d.Failf("expected a boolean, found %s", kindName(c))
		}
		return false
	}
}

// String reads a string value.
func (d *Decoder) String() string {
	if c := d.Peek(); c != '"' {
		if d.err == nil {
			d.Failf("expected a string, found %s", kindName(c))
		}
		return ""
	}
	b, ok := d.readStringBytes(false)
	if !ok {
		return ""
	}
	return string(b)
}

// StringBytes reads a string value; the result is only valid until the next
// call on d.
func (d *Decoder) StringBytes() []byte {
	if c := d.Peek(); c != '"' {
		if d.err == nil {
			d.Failf("expected a string, found %s", kindName(c))
		}
		return nil
	}
	b, _ := d.readStringBytes(false)
	return b
}

// readStringBytes reads the string at d.pos (which holds '"'). The result
// aliases the input when the string has no escapes, else the scratch buffer.
const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// hasZero has the high bit of some byte set if and only if w has a zero
// byte.
func hasZero(w uint64) uint64 { return (w - lows) & ^w & highs }

func (d *Decoder) readStringBytes(isKey bool) ([]byte, bool) {
	start := d.pos + 1
	i := start
	data := d.data
	for i < len(data) {
		// 8 bytes at a time while none is '"', '\\', a control character
		// or non-ASCII (a word may be flagged falsely, never missed).
		for i+8 <= len(data) {
			w := binary.LittleEndian.Uint64(data[i:])
			if (w|(w-lows*0x20)|hasZero(w^lows*'"')|hasZero(w^lows*'\\'))&highs != 0 {
				break
			}
			i += 8
		}
		if i >= len(data) {
			break
		}
		c := data[i]
		if c == '"' {
			d.pos = i + 1
			if !isKey && d.maxStr > 0 && i-start > d.maxStr {
				d.FailAt(start, fmt.Sprintf("string longer than the limit of %d bytes", d.maxStr))
				return nil, false
			}
			return data[start:i], true
		}
		if c == '\\' {
			return d.readEscaped(start, i)
		}
		if c < 0x20 {
			d.FailAt(i, "control character in string")
			return nil, false
		}
		if c >= 0x80 {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				d.FailAt(i, "invalid UTF-8 in string")
				return nil, false
			}
			i += n
			continue
		}
		i++
	}
	d.FailAt(d.pos, "unterminated string")
	return nil, false
}

func (d *Decoder) readEscaped(start, i int) ([]byte, bool) {
	data := d.data
	buf := append(d.scratch[:0], data[start:i]...)
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			d.scratch = buf
			if d.maxStr > 0 && len(buf) > d.maxStr {
				d.FailAt(start, fmt.Sprintf("string longer than the limit of %d bytes", d.maxStr))
				return nil, false
			}
			return buf, true
		case c == '\\':
			if i+1 >= len(data) {
				d.FailAt(i, "unterminated string")
				return nil, false
			}
			e := data[i+1]
			i += 2
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
				r, ok := hex4(data, i)
				if !ok {
					d.FailAt(i-2, "invalid \\u escape in string")
					return nil, false
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok2 := rune(-1), false
					if i+6 <= len(data) && data[i] == '\\' && data[i+1] == 'u' {
						r2, ok2 = hex4(data, i+2)
					}
					if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						d.FailAt(i-6, "unpaired UTF-16 surrogate in string")
						return nil, false
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				d.FailAt(i-2, fmt.Sprintf("invalid escape \\%c in string", e))
				return nil, false
			}
		case c < 0x20:
			d.FailAt(i, "control character in string")
			return nil, false
		case c >= 0x80:
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				d.FailAt(i, "invalid UTF-8 in string")
				return nil, false
			}
			buf = append(buf, data[i:i+n]...)
			i += n
		default:
			buf = append(buf, c)
			i++
		}
	}
	d.FailAt(start-1, "unterminated string")
	return nil, false
}

func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// NumberLiteral reads a number and returns its literal text (aliasing the
// input), checked against the JSON grammar.
func (d *Decoder) NumberLiteral() []byte {
	if c := d.Peek(); c != '0' {
		if d.err == nil {
			d.Failf("expected a number, found %s", kindName(c))
		}
		return nil
	}
	start := d.pos
	i := start
	data := d.data
	if data[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(data) && data[i] == '0' {
		i++
	} else if digits() == 0 {
		d.FailAt(start, "invalid number")
		return nil
	}
	if i < len(data) && data[i] == '.' {
		i++
		if digits() == 0 {
			d.FailAt(start, "invalid number")
			return nil
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.FailAt(start, "invalid number")
			return nil
		}
	}
	d.pos = i
	return data[start:i]
}

// Int reads an integer. A number with a fraction or exponent is accepted
// when its value is integral (48.0, 1e3), as JSON compares numbers by value.
func (d *Decoder) Int() int {
	start := d.pos
	lit := d.NumberLiteral()
	if lit == nil {
		return 0
	}
	if n, err := strconv.ParseInt(string(lit), 10, 64); err == nil && n == int64(int(n)) {
		return int(n)
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil || f != math.Trunc(f) || f > math.MaxInt64 || f < math.MinInt64 {
		d.FailAt(start, fmt.Sprintf("expected an integer, found %s", lit))
		return 0
	}
	return int(f)
}

// Float reads a number as float64.
func (d *Decoder) Float() float64 {
	start := d.pos
	lit := d.NumberLiteral()
	if lit == nil {
		return 0
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		d.FailAt(start, fmt.Sprintf("number out of range: %s", lit))
		return 0
	}
	return f
}

// Skip reads and discards one value, checking its syntax.
func (d *Decoder) Skip() {
	d.appendValue(nil, false)
}

// Raw reads one value and returns a compact copy of it (insignificant
// whitespace removed; strings, numbers and escapes kept byte for byte).
func (d *Decoder) Raw() []byte {
	if d.Peek() == '"' {
		// A string is compact as written: copy its text once.
		start := d.pos
		if _, ok := d.readStringBytes(false); !ok || d.err != nil {
			return nil
		}
		return append(make([]byte, 0, d.pos-start), d.data[start:d.pos]...)
	}
	// Compacted in a reused buffer, then copied at its exact size: one
	// allocation per value.
	d.rawBuf = d.appendValue(d.rawBuf[:0], true)
	if d.err != nil {
		return nil
	}
	out := append(make([]byte, 0, len(d.rawBuf)), d.rawBuf...)
	if cap(d.rawBuf) > 1<<20 {
		d.rawBuf = nil // do not keep a large buffer
	}
	return out
}

// appendValue validates one value; when keep is set it appends the compact
// form to dst.
func (d *Decoder) appendValue(dst []byte, keep bool) []byte {
	switch c := d.Peek(); c {
	case '{':
		if !d.BeginObject() {
			return dst
		}
		if keep {
			dst = append(dst, '{')
		}
		var key []byte
		first := true
		for d.NextMember(&key) {
			if keep {
				if !first {
					dst = append(dst, ',')
				}
				dst = append(dst, d.keyRaw...) // as written, escapes included
				dst = append(dst, ':')
			}
			first = false
			dst = d.appendValue(dst, keep)
		}
		if keep {
			dst = append(dst, '}')
		}
	case '[':
		if !d.BeginArray() {
			return dst
		}
		if keep {
			dst = append(dst, '[')
		}
		i := -1
		for d.NextElement(&i) {
			if keep && i > 0 {
				dst = append(dst, ',')
			}
			dst = d.appendValue(dst, keep)
		}
		if keep {
			dst = append(dst, ']')
		}
	case '"':
		start := d.pos
		if _, ok := d.readStringBytes(false); ok && keep {
			dst = append(dst, d.data[start:d.pos]...)
		}
	case 't', 'f':
		start := d.pos
		d.Bool()
		if keep && d.err == nil {
			dst = append(dst, d.data[start:d.pos]...)
		}
	case 'n':
		if d.literal("null") && keep {
			dst = append(dst, "null"...)
		}
	case '0':
		if lit := d.NumberLiteral(); lit != nil && keep {
			dst = append(dst, lit...)
		}
	default:
		if d.err == nil {
			d.Failf("expected a JSON value, found %s", kindName(c))
		}
	}
	return dst
}

// Seek moves the read position to off (an offset previously returned by
// Offset) and restores the nesting depth to depth.
func (d *Decoder) Seek(off, depth int) {
	d.pos, d.depth = off, depth
}

// Depth returns the current nesting depth.
func (d *Decoder) Depth() int { return d.depth }

// Data returns the input.
func (d *Decoder) Data() []byte { return d.data }

// FindString looks for a top-level member named key of the object that
// starts at the current position and returns its string value, leaving the
// position unchanged. It returns false when the value is not an object, has
// no such member, or the member is not a string. Errors met while looking
// are not recorded.
func (d *Decoder) FindString(key string) (string, bool) {
	if d.err != nil {
		return "", false
	}
	pos, depth := d.pos, d.depth
	defer func() { d.pos, d.depth, d.err = pos, depth, nil }()
	if !d.BeginObject() {
		return "", false
	}
	var k []byte
	for d.NextMember(&k) {
		if string(k) == key {
			if d.Peek() != '"' {
				return "", false
			}
			v := d.String()
			return v, d.err == nil
		}
		d.Skip()
	}
	return "", false
}

// Mark is a position to come back to with Recover.
type Mark struct {
	pos, depth int
	ok         bool
}

// Mark returns the position of the next value (whitespace skipped). The
// mark is unusable when an error is already recorded.
func (d *Decoder) Mark() Mark {
	if d.err != nil {
		return Mark{}
	}
	d.skipWS()
	return Mark{pos: d.pos, depth: d.depth, ok: true}
}

// KeptValue is a well-formed value that a typed reader refused (wrong JSON
// type or form) and that was kept verbatim by Recover.
type KeptValue struct {
	Offset int    // byte offset of the value in the input
	Msg    string // why the typed reader refused it
	Value  []byte // the value, compact

	// Set by MarkKept: the innermost object the value belongs to.
	ObjStart, ObjIndex int
	ObjMarked          bool
}

// Recover undoes a failed typed read of the value at m: when that value is
// well-formed JSON, the error is cleared, the value is read again as raw
// compact JSON, recorded in Kept and returned. Otherwise (malformed JSON,
// a limit exceeded, an error before m) the error stays and ok is false.
func (d *Decoder) Recover(m Mark) (raw []byte, ok bool) {
	if !m.ok || d.err == nil {
		return nil, false
	}
	saved := d.err
	d.err = nil
	d.pos, d.depth = m.pos, m.depth
	raw = d.Raw()
	if d.err != nil {
		d.err = saved
		return nil, false
	}
	msg := saved.Msg
	if len(saved.Path) > 0 {
		msg = "at " + saved.Pointer() + ": " + msg
	}
	d.kept = append(d.kept, KeptValue{Offset: m.pos, Msg: msg, Value: raw})
	return raw, true
}

// Kept returns the values kept by Recover since the last Reset.
func (d *Decoder) Kept() []KeptValue { return d.kept }

// MarkKept records that the kept values from index from on, when not
// marked yet, belong to the object starting at start (index is its position
// in an enclosing list, or -1).
func (d *Decoder) MarkKept(from, start, index int) {
	for i := from; i < len(d.kept); i++ {
		if k := &d.kept[i]; !k.ObjMarked {
			k.ObjStart, k.ObjIndex, k.ObjMarked = start, index, true
		}
	}
}

// PathTo returns the JSON pointer segments from the value at the start of
// data to the value starting at byte offset off (relative to data), or
// false when no value starts there. data must be well-formed.
func PathTo(data []byte, off int) ([]string, bool) {
	d := NewDecoder(data, Limits{MaxDepth: 1 << 30})
	var path []string
	var walk func() bool
	walk = func() bool {
		d.skipWS()
		if d.pos == off {
			return true
		}
		if d.pos > off {
			return false
		}
		switch d.Peek() {
		case '{':
			if !d.BeginObject() {
				return false
			}
			var key []byte
			for d.NextMember(&key) {
				k := string(key)
				d.skipWS()
				if d.pos <= off {
					path = append(path, k)
					if walk() {
						return true
					}
					path = path[:len(path)-1]
					if d.err != nil {
						return false
					}
					continue
				}
				d.Skip()
			}
		case '[':
			if !d.BeginArray() {
				return false
			}
			i := -1
			for d.NextElement(&i) {
				path = append(path, strconv.Itoa(i))
				if walk() {
					return true
				}
				path = path[:len(path)-1]
				if d.err != nil {
					return false
				}
			}
		default:
			d.Skip()
		}
		return false
	}
	if walk() {
		return path, true
	}
	return nil, false
}

// Pointer returns the RFC 6901 JSON pointer of path segments.
func Pointer(path []string) string { return (&Error{Path: path}).Pointer() }
