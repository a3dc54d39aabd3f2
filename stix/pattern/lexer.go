package pattern

import (
	"strings"
	"unicode/utf8"
)

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokLBrack
	tokRBrack
	tokLParen
	tokRParen
	tokColon
	tokDot
	tokComma
	tokAsterisk
	tokEQ
	tokNEQ
	tokLT
	tokLE
	tokGT
	tokGE
	// keywords
	tokAnd
	tokOr
	tokNot
	tokFollowedBy
	tokLike
	tokMatches
	tokIsSuperset
	tokIsSubset
	tokExists
	tokLast
	tokIn
	tokStart
	tokStop
	tokSeconds
	tokWithin
	tokRepeats
	tokTimes
	tokBool
	// identifiers and literals
	tokIdent       // [a-zA-Z_][a-zA-Z0-9_]*
	tokIdentHyphen // [a-zA-Z_][a-zA-Z0-9_-]* with at least one '-'
	tokIntPos
	tokIntNeg
	tokFloatPos
	tokFloatNeg
	tokString
	tokBinary
	tokHex
	tokTimestamp
)

var tokNames = [...]string{
	tokEOF:         "end of pattern",
	tokLBrack:      "'['",
	tokRBrack:      "']'",
	tokLParen:      "'('",
	tokRParen:      "')'",
	tokColon:       "':'",
	tokDot:         "'.'",
	tokComma:       "','",
	tokAsterisk:    "'*'",
	tokEQ:          "'='",
	tokNEQ:         "'!='",
	tokLT:          "'<'",
	tokLE:          "'<='",
	tokGT:          "'>'",
	tokGE:          "'>='",
	tokAnd:         "AND",
	tokOr:          "OR",
	tokNot:         "NOT",
	tokFollowedBy:  "FOLLOWEDBY",
	tokLike:        "LIKE",
	tokMatches:     "MATCHES",
	tokIsSuperset:  "ISSUPERSET",
	tokIsSubset:    "ISSUBSET",
	tokExists:      "EXISTS",
	tokLast:        "LAST",
	tokIn:          "IN",
	tokStart:       "START",
	tokStop:        "STOP",
	tokSeconds:     "SECONDS",
	tokWithin:      "WITHIN",
	tokRepeats:     "REPEATS",
	tokTimes:       "TIMES",
	tokBool:        "boolean",
	tokIdent:       "identifier",
	tokIdentHyphen: "identifier",
	tokIntPos:      "integer",
	tokIntNeg:      "integer",
	tokFloatPos:    "float",
	tokFloatNeg:    "float",
	tokString:      "string",
	tokBinary:      "binary literal",
	tokHex:         "hex literal",
	tokTimestamp:   "timestamp",
}

// token is one lexical token. text is the token's source text, except for
// tokString where it is the unescaped value.
type token struct {
	kind tokKind
	off  int
	end  int
	text string
}

// keyword returns the keyword token kind of an identifier, or tokIdent.
func keyword(s string) tokKind {
	switch s {
	case "AND":
		return tokAnd
	case "OR":
		return tokOr
	case "NOT":
		return tokNot
	case "FOLLOWEDBY":
		return tokFollowedBy
	case "LIKE":
		return tokLike
	case "MATCHES":
		return tokMatches
	case "ISSUPERSET":
		return tokIsSuperset
	case "ISSUBSET":
		return tokIsSubset
	case "EXISTS":
		return tokExists
	case "LAST":
		return tokLast
	case "IN":
		return tokIn
	case "START":
		return tokStart
	case "STOP":
		return tokStop
	case "SECONDS":
		return tokSeconds
	case "WITHIN":
		return tokWithin
	case "REPEATS":
		return tokRepeats
	case "TIMES":
		return tokTimes
	case "true", "false":
		return tokBool
	}
	return tokIdent
}

const (
	classIdentStart = 1 << iota // [a-zA-Z_]
	classIdentChar              // [a-zA-Z0-9_]
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' {
			t[c] = classIdentStart | classIdentChar
		} else if c >= '0' && c <= '9' {
			t[c] = classIdentChar
		}
	}
	return t
}()

func isIdentStart(c byte) bool { return charClass[c]&classIdentStart != 0 }

func isIdentChar(c byte) bool { return charClass[c]&classIdentChar != 0 }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lexer produces tokens on demand from src.
type lexer struct {
	src     string
	pos     int
	scanErr *SyntaxError
}

// skipSpace skips whitespace and comments. It returns a non-nil error for
// an unterminated block comment.
func (l *lexer) skipSpace() *SyntaxError {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			l.pos++
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '*':
			end := strings.Index(l.src[l.pos+2:], "*/")
			if end < 0 {
				return newSyntaxError(l.src, l.pos, nil, "unterminated comment")
			}
			l.pos += 2 + end + 2
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '/':
			end := strings.IndexAny(l.src[l.pos:], "\r\n")
			if end < 0 {
				l.pos = len(l.src)
			} else {
				l.pos += end
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(l.src[l.pos:])
			if !isUnicodeSpace(r) {
				return nil
			}
			l.pos += n
		default:
			return nil
		}
	}
	return nil
}

// isUnicodeSpace reports the non-ASCII whitespace of the grammar's WS rule.
func isUnicodeSpace(r rune) bool {
	switch r {
	case 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// next reads the next token into t.
func (l *lexer) next(t *token) *SyntaxError {
	if err := l.skipSpace(); err != nil {
		return err
	}
	start := l.pos
	src := l.src
	t.off = start
	if start >= len(src) {
		t.kind, t.end, t.text = tokEOF, start, ""
		return nil
	}
	c := src[start]
	var c1 byte
	if start+1 < len(src) {
		c1 = src[start+1]
	}
	n := 1
	var k tokKind
	switch c {
	case '[':
		k = tokLBrack
	case ']':
		k = tokRBrack
	case '(':
		k = tokLParen
	case ')':
		k = tokRParen
	case ':':
		k = tokColon
	case ',':
		k = tokComma
	case '*':
		k = tokAsterisk
	case '=':
		k = tokEQ
		if c1 == '=' {
			n = 2
		}
	case '!':
		if c1 != '=' {
			return l.badChar(start)
		}
		k, n = tokNEQ, 2
	case '<':
		switch c1 {
		case '=':
			k, n = tokLE, 2
		case '>':
			k, n = tokNEQ, 2
		default:
			k = tokLT
		}
	case '>':
		k = tokGT
		if c1 == '=' {
			k, n = tokGE, 2
		}
	case '\'':
		return l.lexString(t, start, tokString)
	case '.':
		if isDigit(c1) {
			return l.lexNumber(t, start)
		}
		k = tokDot
	case '+', '-':
		if isDigit(c1) || c1 == '.' && start+2 < len(src) && isDigit(src[start+2]) {
			return l.lexNumber(t, start)
		}
		return l.badChar(start)
	default:
		if isDigit(c) {
			return l.lexNumber(t, start)
		}
		if !isIdentStart(c) {
			return l.badChar(start)
		}
		if c1 == '\'' {
			switch c {
			case 'b':
				return l.lexString(t, start, tokBinary)
			case 'h':
				return l.lexString(t, start, tokHex)
			case 't':
				return l.lexString(t, start, tokTimestamp)
			}
		}
		l.lexIdent(t, start)
		return nil
	}
	l.pos = start + n
	t.kind, t.end, t.text = k, l.pos, src[start:l.pos]
	return nil
}

func (l *lexer) badChar(start int) *SyntaxError {
	r, _ := utf8.DecodeRuneInString(l.src[start:])
	return newSyntaxError(l.src, start, nil, "unexpected character %q", r)
}

func (l *lexer) lexIdent(t *token, start int) {
	i := start + 1
	hyphen := false
	for i < len(l.src) {
		c := l.src[i]
		if isIdentChar(c) {
			i++
		} else if c == '-' {
			hyphen = true
			i++
		} else {
			break
		}
	}
	l.pos = i
	text := l.src[start:i]
	kind := tokIdentHyphen
	if !hyphen {
		kind = keyword(text)
	}
	*t = token{kind: kind, off: start, end: i, text: text}
}

// lexNumber lexes IntPosLiteral, IntNegLiteral, FloatPosLiteral or
// FloatNegLiteral starting at start (a sign, a digit or a '.').
func (l *lexer) lexNumber(t *token, start int) *SyntaxError {
	src := l.src
	i := start
	neg := false
	if src[i] == '+' || src[i] == '-' {
		neg = src[i] == '-'
		i++
	}
	digits := i
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	intEnd := i
	if i+1 < len(src) && src[i] == '.' && isDigit(src[i+1]) {
		i += 2
		for i < len(src) && isDigit(src[i]) {
			i++
		}
		l.pos = i
		kind := tokFloatPos
		if neg {
			kind = tokFloatNeg
		}
		*t = token{kind: kind, off: start, end: i, text: src[start:i]}
		return nil
	}
	if intEnd-digits > 1 && src[digits] == '0' {
		return newSyntaxError(src, start, nil, "invalid number %s: leading zero", quoteForMsg(src[start:intEnd]))
	}
	l.pos = intEnd
	kind := tokIntPos
	if neg {
		kind = tokIntNeg
	}
	*t = token{kind: kind, off: start, end: intEnd, text: src[start:intEnd]}
	return nil
}

// lexString lexes a quoted literal starting at start: a StringLiteral
// (kind tokString, quote at start) or b'…', h'…', t'…' (quote at start+1).
// For tokString the token text is the unescaped value; for the others it is
// the body between the quotes, validated.
func (l *lexer) lexString(t *token, start int, kind tokKind) *SyntaxError {
	src := l.src
	q := start
	if kind != tokString {
		q++
	}
	i := q + 1
	escaped := false
	// Fast path: no backslash before the closing quote.
	if j := strings.IndexByte(src[i:], '\''); j >= 0 && strings.IndexByte(src[i:i+j], '\\') < 0 {
		i += j
	} else {
		i = l.scanEscaped(start, i)
		if i < 0 {
			return l.scanErr
		}
		escaped = true
	}
	end := i + 1
	body := src[q+1 : i]
	l.pos = end
	switch kind {
	case tokString:
		if escaped {
			body = unescape(body)
		}
		*t = token{kind: tokString, off: start, end: end, text: body}
		return nil
	case tokBinary:
		if escaped || !validBase64(body) {
			return newSyntaxError(src, start, nil, "invalid binary literal %s: not base64", shorten(src[start:end]))
		}
	case tokHex:
		if escaped || !validHex(body) {
			return newSyntaxError(src, start, nil, "invalid hex literal %s: not pairs of hexadecimal digits", shorten(src[start:end]))
		}
	case tokTimestamp:
		if _, ok := parseTimestamp(body); escaped || !ok {
			return newSyntaxError(src, start, nil, "invalid timestamp literal %s: want t'YYYY-MM-DDTHH:MM:SS[.s+]Z' with a valid date", shorten(src[start:end]))
		}
	}
	*t = token{kind: kind, off: start, end: end, text: body}
	return nil
}

// unescape removes the backslashes of \' and \\ (the only escapes).
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			c = s[i]
		}
		b.WriteByte(c)
	}
	return b.String()
}

// scanEscaped scans a quoted body that holds a backslash from i and returns
// the offset of the closing quote, or -1 with l.scanErr set.
func (l *lexer) scanEscaped(start, i int) int {
	src := l.src
	for {
		if i >= len(src) {
			l.scanErr = newSyntaxError(src, start, nil, "unterminated string literal")
			return -1
		}
		c := src[i]
		if c == '\'' {
			break
		}
		if c == '\\' {
			if i+1 < len(src) && (src[i+1] == '\'' || src[i+1] == '\\') {
				i += 2
				continue
			}
			l.scanErr = newSyntaxError(src, i, nil, "invalid escape sequence in string literal: only \\' and \\\\ are allowed")
			return -1
		}
		i++
	}
	return i
}
