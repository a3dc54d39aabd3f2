package pyjson

import (
	"errors"
	"fmt"
)

// ErrDuplicateKey is returned by Transcoder.Append when an object repeats a
// key: Python keeps the first position with the last value, which needs
// the whole object, so the caller should use Parse and AppendDumps (as
// AppendTranscode does).
var ErrDuplicateKey = errors.New("pyjson: duplicate object key")

// Transcoder rewrites one JSON text as json.dumps(json.loads(text)) in a
// single pass, without building a Value; the output is byte-identical with
// AppendDumps(dst, Parse(text)). SortKeys is not supported (Append returns
// an error); a duplicate key makes Append return ErrDuplicateKey.
//
// Visit, when set, is called after each value of nesting depth 1 to
// VisitDepth has been written (depth 1 is a member or item of the top-level
// value), with the key (member) or index (item) and the value's span
// dst[Start:End] in the output. Events of nested values come before the
// event of their container. A Transcoder is not safe for concurrent use.
type Transcoder struct {
	Parse      ParseOptions
	Dump       DumpOptions
	VisitDepth int
	Visit      func(ev VisitEvent)
}

// VisitEvent describes one written value (see Transcoder).
type VisitEvent struct {
	Depth      int
	Kind       Kind   // the value's JSON type
	Key        string // member name (decoded) when the parent is an object
	Index      int    // position in the parent array or object
	Start, End int    // span of the value's output in the destination buffer
}

// Append appends the json.dumps form of the JSON text src to dst.
func (t *Transcoder) Append(dst, src []byte) ([]byte, error) {
	return t.AppendString(dst, string(src))
}

// AppendString is Append of a string (not copied).
func (t *Transcoder) AppendString(dst []byte, src string) ([]byte, error) {
	if t.Dump.SortKeys {
		return dst, errors.New("pyjson: Transcoder does not support SortKeys")
	}
	opt := t.Parse
	if opt.MaxDepth <= 0 {
		opt.MaxDepth = DefaultMaxDepth
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if len(src) > opt.MaxBytes {
		return dst, &SyntaxError{Offset: opt.MaxBytes, Msg: fmt.Sprintf("input larger than %d bytes", opt.MaxBytes), limit: true}
	}
	c := transcoder{parser: parser{s: src, opt: opt}, t: t, dst: dst, ascii: !t.Dump.NoEnsureASCII}
	if len(c.s) >= 3 && c.s[:3] == "\xef\xbb\xbf" {
		c.pos = 3
	}
	c.skipWS()
	if err := c.value(0); err != nil {
		return c.dst, err
	}
	c.skipWS()
	if c.pos != len(c.s) {
		return c.dst, c.errf("extra data after the JSON value")
	}
	return c.dst, nil
}

// AppendTranscode appends Dumps(Parse(src)) to dst: in one pass when it
// can, through a Value when src has duplicate keys or SortKeys is asked.
func AppendTranscode(dst, src []byte, popt ParseOptions, dopt DumpOptions) ([]byte, error) {
	if !dopt.SortKeys {
		t := Transcoder{Parse: popt, Dump: dopt}
		out, err := t.Append(dst, src)
		if !errors.Is(err, ErrDuplicateKey) {
			return out, err
		}
		dst = out[:len(dst)]
	}
	v, err := Parse(src, popt)
	if err != nil {
		return dst, err
	}
	return AppendDumps(dst, v, dopt), nil
}

type transcoder struct {
	parser
	t     *Transcoder
	dst   []byte
	ascii bool
	keys  []string // keys of the objects being written, innermost last
}

func (c *transcoder) newline(level int) {
	c.dst = append(c.dst, '\n')
	for i := 0; i < (level+c.t.Dump.Level)*c.t.Dump.Indent; i++ {
		c.dst = append(c.dst, ' ')
	}
}

func (c *transcoder) visit(depth int, key string, index, start int) {
	if c.t.Visit != nil && depth >= 1 && depth <= c.t.VisitDepth {
		c.t.Visit(VisitEvent{Depth: depth, Kind: kindOfText(c.dst[start:]), Key: key, Index: index, Start: start, End: len(c.dst)})
	}
}

// value writes the value at c.pos; depth is its nesting depth (0 = top).
func (c *transcoder) value(depth int) error {
	if c.pos >= len(c.s) {
		return c.errf("expecting value, found end of input")
	}
	switch ch := c.s[c.pos]; ch {
	case '"':
		// Printable ASCII without '"' or '\\' is the same in the input and
		// in json.dumps output: copy such strings in one go.
		start := c.pos + 1
		i := start
		for i < len(c.s) && safeASCII[c.s[i]] {
			i++
		}
		if i < len(c.s) && c.s[i] == '"' {
			c.dst = append(c.dst, c.s[start-1:i+1]...)
			c.pos = i + 1
			return nil
		}
		s, err := c.str()
		if err != nil {
			return err
		}
		c.dst = AppendString(c.dst, s, c.ascii)
		return nil
	case '{':
		return c.object(depth)
	case '[':
		return c.array(depth)
	default:
		v, err := c.parser.value(depth)
		if err != nil {
			return err
		}
		switch v.Kind {
		case Null:
			c.dst = append(c.dst, "null"...)
		case Bool:
			if v.Bool {
				c.dst = append(c.dst, "true"...)
			} else {
				c.dst = append(c.dst, "false"...)
			}
		default: // Number
			c.dst = append(c.dst, v.Str...)
		}
		return nil
	}
}

func (c *transcoder) array(depth int) error {
	if depth+1 > c.opt.MaxDepth {
		return c.tooDeep()
	}
	c.pos++ // [
	c.skipWS()
	if c.pos < len(c.s) && c.s[c.pos] == ']' {
		c.pos++
		c.dst = append(c.dst, "[]"...)
		return nil
	}
	c.dst = append(c.dst, '[')
	indent := c.t.Dump.Indent > 0
	for i := 0; ; i++ {
		if i > 0 {
			if indent {
				c.dst = append(c.dst, ',')
			} else {
				c.dst = append(c.dst, ", "...)
			}
		}
		if indent {
			c.newline(depth + 1)
		}
		c.skipWS()
		start := len(c.dst)
		if err := c.value(depth + 1); err != nil {
			return err
		}
		c.visit(depth+1, "", i, start)
		c.skipWS()
		if c.pos >= len(c.s) {
			return c.errf("expecting ',' or ']', found end of input")
		}
		switch c.s[c.pos] {
		case ',':
			c.pos++
			continue
		case ']':
			c.pos++
			if indent {
				c.newline(depth)
			}
			c.dst = append(c.dst, ']')
			return nil
		}
		return c.errf("expecting ',' delimiter")
	}
}

func (c *transcoder) object(depth int) error {
	if depth+1 > c.opt.MaxDepth {
		return c.tooDeep()
	}
	c.pos++ // {
	c.skipWS()
	if c.pos < len(c.s) && c.s[c.pos] == '}' {
		c.pos++
		c.dst = append(c.dst, "{}"...)
		return nil
	}
	c.dst = append(c.dst, '{')
	indent := c.t.Dump.Indent > 0
	base := len(c.keys)
	defer func() { c.keys = c.keys[:base] }()
	var index map[string]struct{}
	for i := 0; ; i++ {
		c.skipWS()
		if c.pos >= len(c.s) || c.s[c.pos] != '"' {
			return c.errf("expecting property name enclosed in double quotes")
		}
		keyAt := c.pos
		var key string
		plain := false
		if i := c.pos + 1; true {
			for i < len(c.s) && safeASCII[c.s[i]] {
				i++
			}
			if i < len(c.s) && c.s[i] == '"' {
				key, plain = c.s[c.pos+1:i], true
				c.pos = i + 1
			}
		}
		if !plain {
			var err error
			if key, err = c.str(); err != nil {
				return err
			}
		}
		if index != nil {
			if _, dup := index[key]; dup {
				return &SyntaxError{Offset: keyAt, Msg: "duplicate key " + key, dup: true}
			}
			index[key] = struct{}{}
		} else {
			for _, k := range c.keys[base:] {
				if k == key {
					return &SyntaxError{Offset: keyAt, Msg: "duplicate key " + key, dup: true}
				}
			}
			c.keys = append(c.keys, key)
			if len(c.keys)-base > dupScanLimit {
				index = make(map[string]struct{}, 2*dupScanLimit)
				for _, k := range c.keys[base:] {
					index[k] = struct{}{}
				}
			}
		}
		c.skipWS()
		if c.pos >= len(c.s) || c.s[c.pos] != ':' {
			return c.errf("expecting ':' delimiter")
		}
		c.pos++
		c.skipWS()
		if i > 0 {
			if indent {
				c.dst = append(c.dst, ',')
			} else {
				c.dst = append(c.dst, ", "...)
			}
		}
		if indent {
			c.newline(depth + 1)
		}
		if plain {
			c.dst = append(c.dst, '"')
			c.dst = append(c.dst, key...)
			c.dst = append(c.dst, '"', ':', ' ')
		} else {
			c.dst = AppendString(c.dst, key, c.ascii)
			c.dst = append(c.dst, ':', ' ')
		}
		start := len(c.dst)
		if err := c.value(depth + 1); err != nil {
			return err
		}
		c.visit(depth+1, key, i, start)
		c.skipWS()
		if c.pos >= len(c.s) {
			return c.errf("expecting ',' or '}', found end of input")
		}
		switch c.s[c.pos] {
		case ',':
			c.pos++
			continue
		case '}':
			c.pos++
			if indent {
				c.newline(depth)
			}
			c.dst = append(c.dst, '}')
			return nil
		}
		return c.errf("expecting ',' delimiter")
	}
}

// kindOfText tells the kind of a json.dumps text from its first byte.
func kindOfText(text []byte) Kind {
	if len(text) == 0 {
		return Null
	}
	switch text[0] {
	case '{':
		return Object
	case '[':
		return Array
	case '"':
		return String
	case 'n':
		return Null
	case 't', 'f':
		return Bool
	}
	return Number
}
