package pattern

import (
	"strconv"
	"unicode/utf8"
)

// Default limits of [ParseOptions].
const (
	// DefaultMaxBytes is the default limit on the length of a pattern.
	DefaultMaxBytes = 1 << 20
	// DefaultMaxDepth is the default limit on nested parentheses and
	// brackets.
	DefaultMaxDepth = 100
)

// ParseOptions sets the limits of [ParseWithOptions]. The zero value uses
// the defaults.
type ParseOptions struct {
	// MaxBytes is the longest pattern accepted, in bytes
	// (0 means DefaultMaxBytes).
	MaxBytes int
	// MaxDepth is the deepest nesting of parentheses and brackets accepted
	// (0 means DefaultMaxDepth).
	MaxDepth int
}

// Parse parses a STIX 2.1 pattern with the default limits. A syntax error
// is returned as a [*SyntaxError] wrapping [ErrSyntax] (or [ErrLimit]).
func Parse(s string) (*Pattern, error) {
	return ParseWithOptions(s, ParseOptions{})
}

// ParseWithOptions parses a STIX 2.1 pattern with the given limits.
func ParseWithOptions(s string, opt ParseOptions) (*Pattern, error) {
	maxBytes, maxDepth := opt.MaxBytes, opt.MaxDepth
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	if len(s) > maxBytes {
		return nil, newSyntaxError(s, maxBytes, ErrLimit, "pattern is longer than %d bytes", maxBytes)
	}
	if !utf8.ValidString(s) {
		off := 0
		for off < len(s) {
			r, n := utf8.DecodeRuneInString(s[off:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			off += n
		}
		return nil, newSyntaxError(s, off, nil, "invalid UTF-8")
	}
	p := parser{lex: lexer{src: s}, maxDepth: maxDepth, first: new(firstBlock)}
	expr, err := p.parse()
	if err != nil {
		return nil, err
	}
	p.first.pat = Pattern{Expr: expr, src: s}
	return &p.first.pat, nil
}

type parser struct {
	lex      lexer
	tok      token
	depth    int
	maxDepth int

	// operand stacks shared by nested compound expressions
	ostack []ObservationExpr
	cstack []ComparisonExpr

	// allocation: the first observation and comparison live in one block
	// with the Pattern; later ones come from growing slabs.
	first   *firstBlock
	usedObs bool
	usedCmp bool
	obsSlab []SimpleObservation
	cmpSlab []Comparison
}

type firstBlock struct {
	pat Pattern
	obs SimpleObservation
	cmp Comparison
}

func (p *parser) newSimpleObservation() *SimpleObservation {
	if !p.usedObs {
		p.usedObs = true
		return &p.first.obs
	}
	if len(p.obsSlab) == cap(p.obsSlab) {
		p.obsSlab = make([]SimpleObservation, 0, min(2*cap(p.obsSlab)+1, 64))
	}
	p.obsSlab = p.obsSlab[:len(p.obsSlab)+1]
	return &p.obsSlab[len(p.obsSlab)-1]
}

func (p *parser) newComparison() *Comparison {
	if !p.usedCmp {
		p.usedCmp = true
		return &p.first.cmp
	}
	if len(p.cmpSlab) == cap(p.cmpSlab) {
		p.cmpSlab = make([]Comparison, 0, min(2*cap(p.cmpSlab)+1, 64))
	}
	p.cmpSlab = p.cmpSlab[:len(p.cmpSlab)+1]
	return &p.cmpSlab[len(p.cmpSlab)-1]
}

// bail is used to unwind the parser on the first error.
type bail struct{ err *SyntaxError }

func (p *parser) parse() (expr ObservationExpr, err error) {
	err = p.run(func() {
		expr = p.observationExprs()
		if p.tok.kind != tokEOF {
			p.unexpected("AND, OR, FOLLOWEDBY, a qualifier or end of pattern")
		}
	})
	if err != nil {
		return nil, err
	}
	return expr, nil
}

func (p *parser) fail(off int, format string, args ...any) {
	panic(bail{newSyntaxError(p.lex.src, off, nil, format, args...)})
}

func (p *parser) advance() {
	if err := p.lex.next(&p.tok); err != nil {
		panic(bail{err})
	}
}

// describe names the current token for an error message.
func (p *parser) describe() string {
	t := p.tok
	switch t.kind {
	case tokEOF:
		return "end of pattern"
	case tokString:
		return "string " + shorten(p.lex.src[t.off:t.end])
	case tokIdent, tokIdentHyphen, tokIntPos, tokIntNeg, tokFloatPos, tokFloatNeg, tokBool:
		return tokNames[t.kind] + " " + quoteForMsg(t.text)
	case tokBinary, tokHex, tokTimestamp:
		return tokNames[t.kind] + " " + shorten(p.lex.src[t.off:t.end])
	}
	return tokNames[t.kind]
}

func (p *parser) unexpected(want string) {
	p.fail(p.tok.off, "expected %s but found %s", want, p.describe())
}

func (p *parser) expect(k tokKind, want string) token {
	if p.tok.kind != k {
		p.unexpected(want)
	}
	t := p.tok
	p.advance()
	return t
}

func (p *parser) enter(off int) {
	p.depth++
	if p.depth > p.maxDepth {
		panic(bail{newSyntaxError(p.lex.src, off, ErrLimit, "nesting deeper than %d levels", p.maxDepth)})
	}
}

// observationExprs: FOLLOWEDBY of ORs of ANDs of qualified observations.
func (p *parser) observationExprs() ObservationExpr {
	return p.observationLevel(ObsFollowedBy)
}

// observationLevel parses operands of op joined by op's keyword; the
// operands are the next tighter level.
func (p *parser) observationLevel(op ObservationOp) ObservationExpr {
	var tk tokKind
	switch op {
	case ObsFollowedBy:
		tk = tokFollowedBy
	case ObsOr:
		tk = tokOr
	default:
		tk = tokAnd
	}
	first := p.observationOperand(op)
	if p.tok.kind != tk {
		return first
	}
	if p.ostack == nil {
		p.ostack = make([]ObservationExpr, 0, 8)
	}
	mark := len(p.ostack)
	p.ostack = append(p.ostack, first)
	for p.tok.kind == tk {
		p.advance()
		p.ostack = append(p.ostack, p.observationOperand(op))
	}
	operands := append([]ObservationExpr(nil), p.ostack[mark:]...)
	clear(p.ostack[mark:])
	p.ostack = p.ostack[:mark]
	return &CompoundObservation{Op: op, Operands: operands}
}

func (p *parser) observationOperand(op ObservationOp) ObservationExpr {
	if op == ObsAnd {
		return p.qualifiedObservation()
	}
	return p.observationLevel(op - 1)
}

func (p *parser) qualifiedObservation() ObservationExpr {
	base := p.observationPrimary()
	k := p.tok.kind
	if k != tokWithin && k != tokRepeats && k != tokStart {
		return base
	}
	_, simple := base.(*SimpleObservation)
	q := &QualifiedObservation{Expr: base}
	var seen [StartStop + 1]bool
	for {
		var qual Qualifier
		qual.Offset = p.tok.off
		switch p.tok.kind {
		case tokWithin:
			p.advance()
			qual.Kind = Within
			switch p.tok.kind {
			case tokIntPos:
				qual.Value = intLiteral(p.tok.text)
			case tokFloatPos:
				qual.Value = floatLiteral(p.tok.text)
			default:
				p.unexpected("a positive number after WITHIN")
			}
			p.advance()
			p.expect(tokSeconds, "SECONDS")
		case tokRepeats:
			p.advance()
			qual.Kind = Repeats
			if p.tok.kind != tokIntPos {
				p.unexpected("a positive integer after REPEATS")
			}
			qual.Value = intLiteral(p.tok.text)
			p.advance()
			p.expect(tokTimes, "TIMES")
		case tokStart:
			p.advance()
			qual.Kind = StartStop
			qual.Start = Literal{Kind: TimestampLit, Text: p.expect(tokTimestamp, "a timestamp t'…' after START").text}
			p.expect(tokStop, "STOP")
			qual.Stop = Literal{Kind: TimestampLit, Text: p.expect(tokTimestamp, "a timestamp t'…' after STOP").text}
		default:
			return q
		}
		if simple {
			if seen[qual.Kind] {
				p.fail(qual.Offset, "duplicate %s qualifier on the same observation expression", qual.Kind)
			}
			seen[qual.Kind] = true
		}
		q.Qualifiers = append(q.Qualifiers, qual)
	}
}

func (p *parser) observationPrimary() ObservationExpr {
	switch p.tok.kind {
	case tokLBrack:
		off := p.tok.off
		p.enter(off)
		p.advance()
		o := p.newSimpleObservation()
		o.Offset = off
		o.Expr = p.comparisonOr()
		p.expect(tokRBrack, "']'")
		p.depth--
		return o
	case tokLParen:
		p.enter(p.tok.off)
		p.advance()
		g := &GroupedObservation{Expr: p.observationExprs()}
		p.expect(tokRParen, "')'")
		p.depth--
		return g
	}
	p.unexpected("'[' or '('")
	return nil
}

func (p *parser) comparisonOr() ComparisonExpr { return p.comparisonLevel(Or) }

// comparisonLevel parses operands of op joined by op's keyword: ANDs of
// comparisons for Or, comparisons for And.
func (p *parser) comparisonLevel(op BoolOp) ComparisonExpr {
	tk := tokOr
	if op == And {
		tk = tokAnd
	}
	first := p.comparisonOperand(op)
	if p.tok.kind != tk {
		return first
	}
	if p.cstack == nil {
		p.cstack = make([]ComparisonExpr, 0, 16)
	}
	mark := len(p.cstack)
	p.cstack = append(p.cstack, first)
	for p.tok.kind == tk {
		p.advance()
		p.cstack = append(p.cstack, p.comparisonOperand(op))
	}
	operands := append([]ComparisonExpr(nil), p.cstack[mark:]...)
	clear(p.cstack[mark:])
	p.cstack = p.cstack[:mark]
	return &CompoundComparison{Op: op, Operands: operands}
}

func (p *parser) comparisonOperand(op BoolOp) ComparisonExpr {
	if op == Or {
		return p.comparisonLevel(And)
	}
	return p.comparison()
}

func (p *parser) comparison() ComparisonExpr {
	off := p.tok.off
	switch p.tok.kind {
	case tokLParen:
		p.enter(off)
		p.advance()
		g := &GroupedComparison{Expr: p.comparisonOr()}
		p.expect(tokRParen, "')'")
		p.depth--
		return g
	case tokNot, tokExists:
		c := p.newComparison()
		c.Offset, c.Op = off, OpExists
		if p.tok.kind == tokNot {
			c.Negated = true
			p.advance()
			if p.tok.kind != tokExists {
				p.unexpected("EXISTS after NOT")
			}
		}
		p.advance()
		p.objectPath(c)
		return c
	case tokIdent, tokIdentHyphen:
	default:
		p.unexpected("an object path, EXISTS or '('")
	}
	c := p.newComparison()
	c.Offset = off
	p.objectPath(c)
	if p.tok.kind == tokNot {
		c.Negated = true
		p.advance()
	}
	switch p.tok.kind {
	case tokEQ:
		c.Op = OpEqual
	case tokNEQ:
		c.Op = OpNotEqual
	case tokLT:
		c.Op = OpLess
	case tokLE:
		c.Op = OpLessEqual
	case tokGT:
		c.Op = OpGreater
	case tokGE:
		c.Op = OpGreaterEqual
	case tokIn:
		c.Op = OpIn
	case tokLike:
		c.Op = OpLike
	case tokMatches:
		c.Op = OpMatches
	case tokIsSubset:
		c.Op = OpIsSubset
	case tokIsSuperset:
		c.Op = OpIsSuperset
	default:
		if c.Negated {
			p.unexpected("a comparison operator after NOT")
		}
		p.unexpected("a comparison operator")
	}
	p.advance()
	switch c.Op {
	case OpEqual, OpNotEqual:
		c.Value = p.literal(true)
	case OpLess, OpLessEqual, OpGreater, OpGreaterEqual:
		c.Value = p.literal(false)
	case OpIn:
		p.expect(tokLParen, "'(' starting a set")
		c.Set = []Literal{}
		if p.tok.kind != tokRParen {
			for {
				c.Set = append(c.Set, p.literal(true))
				if p.tok.kind != tokComma {
					break
				}
				p.advance()
			}
		}
		p.expect(tokRParen, "',' or ')'")
	default:
		if p.tok.kind != tokString {
			p.unexpected("a string after " + c.Op.String())
		}
		c.Value = Literal{Kind: StringLit, Text: p.tok.text}
		p.advance()
	}
	return c
}

// literal parses a primitiveLiteral (withBool) or an orderableLiteral.
func (p *parser) literal(withBool bool) Literal {
	t := p.tok
	var l Literal
	switch t.kind {
	case tokString:
		l = Literal{Kind: StringLit, Text: t.text}
	case tokIntPos, tokIntNeg:
		l = intLiteral(t.text)
	case tokFloatPos, tokFloatNeg:
		l = floatLiteral(t.text)
	case tokBinary:
		l = Literal{Kind: BinaryLit, Text: t.text}
	case tokHex:
		l = Literal{Kind: HexLit, Text: t.text}
	case tokTimestamp:
		l = Literal{Kind: TimestampLit, Text: t.text}
	case tokBool:
		if !withBool {
			p.fail(t.off, "a boolean cannot be compared with <, <=, > or >=")
		}
		l = Literal{Kind: BoolLit, Bool: t.text == "true"}
	default:
		if withBool {
			p.unexpected("a literal value")
		}
		p.unexpected("an orderable literal (number, string, binary, hex or timestamp)")
	}
	p.advance()
	return l
}

func intLiteral(text string) Literal {
	if text[0] == '+' {
		text = text[1:]
	}
	return Literal{Kind: IntLit, Text: text}
}

func floatLiteral(text string) Literal {
	neg := false
	switch text[0] {
	case '+':
		text = text[1:]
	case '-':
		neg = true
		text = text[1:]
	}
	if text[0] == '.' {
		text = "0" + text
	}
	if neg {
		text = "-" + text
	}
	return Literal{Kind: FloatLit, Text: text}
}

// objectPath parses objectType ':' firstPathComponent objectPathComponent*
// into c.Path.
func (p *parser) objectPath(c *Comparison) {
	t := p.tok
	if t.kind != tokIdent && t.kind != tokIdentHyphen {
		p.unexpected("an object type")
	}
	c.Path.Offset = t.off
	c.Path.ObjectType = t.text
	p.advance()
	p.expect(tokColon, "':' after the object type")
	steps := c.steps[:0]
	switch p.tok.kind {
	case tokIdent, tokString:
		steps = append(steps, PathStep{Kind: StepKey, Key: p.tok.text})
	default:
		p.unexpected("a property name")
	}
	p.advance()
	for {
		switch p.tok.kind {
		case tokDot:
			p.advance()
			switch p.tok.kind {
			case tokIdent, tokString:
				steps = append(steps, PathStep{Kind: StepKey, Key: p.tok.text})
			default:
				p.unexpected("a property name after '.'")
			}
			p.advance()
		case tokLBrack:
			p.advance()
			switch p.tok.kind {
			case tokAsterisk:
				steps = append(steps, PathStep{Kind: StepAnyIndex})
			case tokIntPos, tokIntNeg:
				text := p.tok.text
				if text[0] == '+' {
					text = text[1:]
				}
				n, err := strconv.ParseInt(text, 10, 64)
				if err != nil {
					p.fail(p.tok.off, "list index %s out of range", quoteForMsg(p.tok.text))
				}
				steps = append(steps, PathStep{Kind: StepIndex, Index: n})
			default:
				p.unexpected("a list index or '*'")
			}
			p.advance()
			p.expect(tokRBrack, "']' after the list index")
		default:
			c.Path.Steps = steps
			return
		}
	}
}

// run calls f after reading the first token, turning a bail into an error.
func (p *parser) run(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			err = b.err
		}
	}()
	p.advance()
	f()
	return nil
}
