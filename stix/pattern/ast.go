package pattern

import (
	"strconv"
	"strings"
)

// Node is any element of the syntax tree. String returns its normalized
// pattern text.
type Node interface {
	String() string
	appendTo(b []byte) []byte
}

// Pattern is a parsed or built STIX pattern.
type Pattern struct {
	// Expr is the top observation expression.
	Expr ObservationExpr

	src string // the parsed text, for error positions; "" when built
}

// String returns the normalized text of the pattern: single spaces around
// operators and keywords, none inside brackets and parentheses, "=" and "!="
// for the equality operators, canonical literals, and the parentheses of the
// source kept. Parsing the result gives an equal tree.
func (p *Pattern) String() string {
	if p == nil || p.Expr == nil {
		return ""
	}
	return string(p.AppendText(make([]byte, 0, 64)))
}

// AppendText appends the normalized text of the pattern to b.
func (p *Pattern) AppendText(b []byte) []byte {
	if p == nil || p.Expr == nil {
		return b
	}
	return p.Expr.appendTo(b)
}

// Source returns the text the pattern was parsed from ("" when built).
func (p *Pattern) Source() string { return p.src }

// ObservationExpr is an observation expression: *SimpleObservation,
// *CompoundObservation, *GroupedObservation or *QualifiedObservation.
type ObservationExpr interface {
	Node
	observationExpr()
}

// ComparisonExpr is a comparison expression inside brackets: *Comparison,
// *CompoundComparison or *GroupedComparison.
type ComparisonExpr interface {
	Node
	comparisonExpr()
}

// SimpleObservation is "[ comparison-expression ]".
type SimpleObservation struct {
	// Offset is the byte offset of '[' in the parsed text.
	Offset int
	// Expr is the comparison expression between the brackets.
	Expr ComparisonExpr
}

// ObservationOp joins observation expressions.
type ObservationOp uint8

// The observation operators, from the tightest to the loosest.
const (
	ObsAnd ObservationOp = iota + 1
	ObsOr
	ObsFollowedBy
)

// String returns the keyword: "AND", "OR" or "FOLLOWEDBY".
func (o ObservationOp) String() string {
	switch o {
	case ObsAnd:
		return "AND"
	case ObsOr:
		return "OR"
	case ObsFollowedBy:
		return "FOLLOWEDBY"
	}
	return "ObservationOp(" + strconv.Itoa(int(o)) + ")"
}

// CompoundObservation is two or more observation expressions joined by the
// same operator. The grammar makes every operator left-associative, so
// "a FOLLOWEDBY b FOLLOWEDBY c" is one node with three operands.
type CompoundObservation struct {
	Op       ObservationOp
	Operands []ObservationExpr
}

// GroupedObservation is an observation expression in parentheses.
type GroupedObservation struct {
	Expr ObservationExpr
}

// QualifierKind tells which qualifier a [Qualifier] is.
type QualifierKind uint8

// The qualifier kinds.
const (
	// Within is "WITHIN n SECONDS"; n is an IntLit or FloatLit.
	Within QualifierKind = iota + 1
	// Repeats is "REPEATS n TIMES"; n is an IntLit.
	Repeats
	// StartStop is "START t'…' STOP t'…'".
	StartStop
)

// String returns "WITHIN", "REPEATS" or "START/STOP".
func (k QualifierKind) String() string {
	switch k {
	case Within:
		return "WITHIN"
	case Repeats:
		return "REPEATS"
	case StartStop:
		return "START/STOP"
	}
	return "QualifierKind(" + strconv.Itoa(int(k)) + ")"
}

// Qualifier is one qualifier applied to an observation expression.
type Qualifier struct {
	Kind QualifierKind
	// Offset is the byte offset of the qualifier's keyword.
	Offset int
	// Value is the number of seconds (Within) or of times (Repeats).
	Value Literal
	// Start and Stop are the timestamps of a StartStop qualifier.
	Start, Stop Literal
}

// QualifiedObservation is an observation expression followed by one or more
// qualifiers, in source order.
type QualifiedObservation struct {
	Expr       ObservationExpr
	Qualifiers []Qualifier
}

// Operator is a comparison operator.
type Operator uint8

// The comparison operators.
const (
	OpEqual Operator = iota + 1
	OpNotEqual
	OpLess
	OpLessEqual
	OpGreater
	OpGreaterEqual
	OpIn
	OpLike
	OpMatches
	OpIsSubset
	OpIsSuperset
	OpExists
)

var operatorText = [...]string{
	OpEqual:        "=",
	OpNotEqual:     "!=",
	OpLess:         "<",
	OpLessEqual:    "<=",
	OpGreater:      ">",
	OpGreaterEqual: ">=",
	OpIn:           "IN",
	OpLike:         "LIKE",
	OpMatches:      "MATCHES",
	OpIsSubset:     "ISSUBSET",
	OpIsSuperset:   "ISSUPERSET",
	OpExists:       "EXISTS",
}

// String returns the operator as written in a normalized pattern.
func (o Operator) String() string {
	if int(o) < len(operatorText) && o != 0 {
		return operatorText[o]
	}
	return "Operator(" + strconv.Itoa(int(o)) + ")"
}

// Comparison is one property test: "path [NOT] op value", "path [NOT] IN
// (set)" or "[NOT] EXISTS path".
type Comparison struct {
	// Offset is the byte offset of the comparison (its path, or NOT/EXISTS).
	Offset int
	Path   ObjectPath
	// Negated is true when NOT precedes the operator (or EXISTS).
	Negated bool
	Op      Operator
	// Value is the right operand, except for OpIn and OpExists.
	Value Literal
	// Set holds the members of an OpIn set (possibly none).
	Set []Literal

	steps [2]PathStep // backing store for short paths
}

// BoolOp joins comparison expressions.
type BoolOp uint8

// The comparison-expression operators; AND binds tighter than OR.
const (
	And BoolOp = iota + 1
	Or
)

// String returns "AND" or "OR".
func (o BoolOp) String() string {
	switch o {
	case And:
		return "AND"
	case Or:
		return "OR"
	}
	return "BoolOp(" + strconv.Itoa(int(o)) + ")"
}

// CompoundComparison is two or more comparison expressions joined by the
// same operator.
type CompoundComparison struct {
	Op       BoolOp
	Operands []ComparisonExpr
}

// GroupedComparison is a comparison expression in parentheses.
type GroupedComparison struct {
	Expr ComparisonExpr
}

// StepKind tells which kind of step a [PathStep] is.
type StepKind uint8

// The path step kinds.
const (
	// StepKey is a property name or dictionary key: ".name" or ".'quoted'".
	StepKey StepKind = iota + 1
	// StepIndex is a list index "[n]" (n may be negative).
	StepIndex
	// StepAnyIndex is "[*]".
	StepAnyIndex
)

// PathStep is one component of an object path after the object type.
type PathStep struct {
	Kind StepKind
	// Key is the unescaped property name or key (StepKey).
	Key string
	// Index is the list index (StepIndex).
	Index int64
}

// ObjectPath is "object-type:property" followed by keys and indexes, e.g.
// file:extensions.'windows-pebinary-ext'.sections[*].entropy. Steps[0] is
// always a StepKey (the first property).
type ObjectPath struct {
	// Offset is the byte offset of the object type in the parsed text.
	Offset     int
	ObjectType string
	Steps      []PathStep
}

// Property returns the first property name (Steps[0].Key), or "".
func (p ObjectPath) Property() string {
	if len(p.Steps) == 0 || p.Steps[0].Kind != StepKey {
		return ""
	}
	return p.Steps[0].Key
}

// String returns the path with keys quoted where needed.
func (p ObjectPath) String() string { return string(p.appendTo(nil)) }

func (p ObjectPath) appendTo(b []byte) []byte {
	b = append(b, p.ObjectType...)
	b = append(b, ':')
	for i, s := range p.Steps {
		switch s.Kind {
		case StepKey:
			if i > 0 {
				b = append(b, '.')
			}
			if isPlainKey(s.Key) {
				b = append(b, s.Key...)
			} else {
				b = appendQuoted(b, s.Key)
			}
		case StepIndex:
			b = append(b, '[')
			b = strconv.AppendInt(b, s.Index, 10)
			b = append(b, ']')
		case StepAnyIndex:
			b = append(b, "[*]"...)
		}
	}
	return b
}

// isPlainKey reports whether a property key can be written without quotes:
// an IdentifierWithoutHyphen that is not a keyword.
func isPlainKey(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	return keyword(s) == tokIdent
}

// appendQuoted appends s as a StringLiteral, escaping ' and \.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '\'')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\'' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, c)
	}
	return append(b, '\'')
}

func (*SimpleObservation) observationExpr()    {}
func (*CompoundObservation) observationExpr()  {}
func (*GroupedObservation) observationExpr()   {}
func (*QualifiedObservation) observationExpr() {}
func (*Comparison) comparisonExpr()            {}
func (*CompoundComparison) comparisonExpr()    {}
func (*GroupedComparison) comparisonExpr()     {}

// String returns the normalized text of the node.
func (o *SimpleObservation) String() string { return string(o.appendTo(nil)) }

// String returns the normalized text of the node.
func (o *CompoundObservation) String() string { return string(o.appendTo(nil)) }

// String returns the normalized text of the node.
func (o *GroupedObservation) String() string { return string(o.appendTo(nil)) }

// String returns the normalized text of the node.
func (o *QualifiedObservation) String() string { return string(o.appendTo(nil)) }

// String returns the normalized text of the node.
func (c *Comparison) String() string { return string(c.appendTo(nil)) }

// String returns the normalized text of the node.
func (c *CompoundComparison) String() string { return string(c.appendTo(nil)) }

// String returns the normalized text of the node.
func (c *GroupedComparison) String() string { return string(c.appendTo(nil)) }

// String returns the normalized text of the qualifier, e.g. "WITHIN 5 SECONDS".
func (q Qualifier) String() string { return string(q.appendTo(nil)) }

func appendNode(b []byte, n Node) []byte {
	if n == nil {
		return b
	}
	return n.appendTo(b)
}

func (o *SimpleObservation) appendTo(b []byte) []byte {
	if o == nil {
		return b
	}
	b = append(b, '[')
	b = appendNode(b, o.Expr)
	return append(b, ']')
}

func (o *CompoundObservation) appendTo(b []byte) []byte {
	if o == nil {
		return b
	}
	for i, e := range o.Operands {
		if i > 0 {
			b = append(b, ' ')
			b = append(b, o.Op.String()...)
			b = append(b, ' ')
		}
		b = appendNode(b, e)
	}
	return b
}

func (o *GroupedObservation) appendTo(b []byte) []byte {
	if o == nil {
		return b
	}
	b = append(b, '(')
	b = appendNode(b, o.Expr)
	return append(b, ')')
}

func (o *QualifiedObservation) appendTo(b []byte) []byte {
	if o == nil {
		return b
	}
	b = appendNode(b, o.Expr)
	for _, q := range o.Qualifiers {
		b = append(b, ' ')
		b = q.appendTo(b)
	}
	return b
}

func (q Qualifier) appendTo(b []byte) []byte {
	switch q.Kind {
	case Within:
		b = append(b, "WITHIN "...)
		b = q.Value.appendTo(b)
		b = append(b, " SECONDS"...)
	case Repeats:
		b = append(b, "REPEATS "...)
		b = q.Value.appendTo(b)
		b = append(b, " TIMES"...)
	case StartStop:
		b = append(b, "START "...)
		b = q.Start.appendTo(b)
		b = append(b, " STOP "...)
		b = q.Stop.appendTo(b)
	}
	return b
}

func (c *Comparison) appendTo(b []byte) []byte {
	if c == nil {
		return b
	}
	if c.Op == OpExists {
		if c.Negated {
			b = append(b, "NOT "...)
		}
		b = append(b, "EXISTS "...)
		return c.Path.appendTo(b)
	}
	b = c.Path.appendTo(b)
	b = append(b, ' ')
	if c.Negated {
		b = append(b, "NOT "...)
	}
	b = append(b, c.Op.String()...)
	b = append(b, ' ')
	if c.Op == OpIn {
		b = append(b, '(')
		for i, v := range c.Set {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = v.appendTo(b)
		}
		return append(b, ')')
	}
	return c.Value.appendTo(b)
}

func (c *CompoundComparison) appendTo(b []byte) []byte {
	if c == nil {
		return b
	}
	for i, e := range c.Operands {
		if i > 0 {
			b = append(b, ' ')
			b = append(b, c.Op.String()...)
			b = append(b, ' ')
		}
		b = appendNode(b, e)
	}
	return b
}

func (c *GroupedComparison) appendTo(b []byte) []byte {
	if c == nil {
		return b
	}
	b = append(b, '(')
	b = appendNode(b, c.Expr)
	return append(b, ')')
}

// quoteForMsg quotes a token for an error message.
func quoteForMsg(s string) string { return "'" + shorten(s) + "'" }

// shorten truncates source text for an error message.
func shorten(s string) string {
	const max = 40
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}
