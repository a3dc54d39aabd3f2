package pattern

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Cmp is a comparison expression under construction, made by [Equals],
// [In], [Exists] and the other comparison constructors and combined with
// [Cmp.And] and [Cmp.Or]. Errors (a bad path, an invalid literal) are
// collected and reported by [Obs.Build]. A Cmp is an immutable value: the
// methods return new values and never change their receiver or arguments.
type Cmp struct {
	expr ComparisonExpr
	errs []error
}

// Obs is an observation expression under construction, made by
// [Observation] and combined with [Obs.And], [Obs.Or], [Obs.FollowedBy]
// and the qualifier methods. Like Cmp it is immutable.
type Obs struct {
	expr ObservationExpr
	errs []error
}

func buildErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBuild}, args...)...)
}

// ParsePath parses an object path such as "file:hashes.'SHA-256'" or
// "network-traffic:extensions.'http-request-ext'.request_header.Host".
func ParsePath(s string) (ObjectPath, error) {
	if len(s) > DefaultMaxBytes {
		return ObjectPath{}, newSyntaxError(s, DefaultMaxBytes, ErrLimit, "path is longer than %d bytes", DefaultMaxBytes)
	}
	if !utf8.ValidString(s) {
		return ObjectPath{}, newSyntaxError(s, 0, nil, "invalid UTF-8")
	}
	p := parser{lex: lexer{src: s}, maxDepth: DefaultMaxDepth}
	var c Comparison // path steps may point into c.steps: copied below
	err := p.run(func() {
		p.objectPath(&c)
		if p.tok.kind != tokEOF {
			p.unexpected("end of path")
		}
	})
	if err != nil {
		return ObjectPath{}, err
	}
	path := c.Path
	path.Steps = append([]PathStep(nil), path.Steps...) // detach from c.steps
	return path, nil
}

// validLiteral reports whether l prints as a literal that parses back.
func validLiteral(l Literal) error {
	bad := func(why string) error {
		return buildErr("invalid %s literal %q: %s", l.Kind, l.Text, why)
	}
	switch l.Kind {
	case StringLit:
		if !utf8.ValidString(l.Text) {
			return bad("not UTF-8")
		}
	case IntLit, FloatLit:
		s := l.Text
		if s != "" && s[0] == '-' {
			s = s[1:]
		}
		dot := -1
		for i := 0; i < len(s); i++ {
			if s[i] == '.' && dot < 0 && l.Kind == FloatLit {
				dot = i
			} else if !isDigit(s[i]) {
				return bad("not a decimal number")
			}
		}
		switch {
		case s == "":
			return bad("empty")
		case l.Kind == IntLit && len(s) > 1 && s[0] == '0':
			return bad("leading zero")
		case l.Kind == FloatLit && (dot < 1 || dot == len(s)-1):
			return bad("a float needs digits on both sides of '.'")
		}
	case BoolLit:
	case BinaryLit:
		if !validBase64(l.Text) {
			return bad("not base64")
		}
	case HexLit:
		if !validHex(l.Text) {
			return bad("not pairs of hexadecimal digits")
		}
	case TimestampLit:
		if _, ok := parseTimestamp(l.Text); !ok {
			return bad("not a valid UTC timestamp")
		}
	default:
		return buildErr("invalid literal (NaN or infinite float, empty binary, or year outside 0000-9999)")
	}
	return nil
}

func newCmp(path string, negated bool, op Operator, v Literal, set []Literal) Cmp {
	var errs []error
	p, err := ParsePath(path)
	if err != nil {
		errs = append(errs, fmt.Errorf("%w: object path %q: %w", ErrBuild, path, err))
	}
	c := &Comparison{Path: p, Negated: negated, Op: op}
	switch op {
	case OpExists:
	case OpIn:
		c.Set = append([]Literal{}, set...)
		for _, l := range set {
			if err := validLiteral(l); err != nil {
				errs = append(errs, err)
			}
		}
	default:
		c.Value = v
		if err := validLiteral(v); err != nil {
			errs = append(errs, err)
		} else if v.Kind == BoolLit && op != OpEqual && op != OpNotEqual {
			errs = append(errs, buildErr("%s cannot compare a boolean", op))
		}
	}
	return Cmp{expr: c, errs: errs}
}

// Equals returns "path = v".
func Equals(path string, v Literal) Cmp { return newCmp(path, false, OpEqual, v, nil) }

// NotEquals returns "path != v".
func NotEquals(path string, v Literal) Cmp { return newCmp(path, false, OpNotEqual, v, nil) }

// Less returns "path < v".
func Less(path string, v Literal) Cmp { return newCmp(path, false, OpLess, v, nil) }

// LessOrEqual returns "path <= v".
func LessOrEqual(path string, v Literal) Cmp { return newCmp(path, false, OpLessEqual, v, nil) }

// Greater returns "path > v".
func Greater(path string, v Literal) Cmp { return newCmp(path, false, OpGreater, v, nil) }

// GreaterOrEqual returns "path >= v".
func GreaterOrEqual(path string, v Literal) Cmp {
	return newCmp(path, false, OpGreaterEqual, v, nil)
}

// In returns "path IN (v1, v2, …)".
func In(path string, vs ...Literal) Cmp { return newCmp(path, false, OpIn, Literal{}, vs) }

// Like returns "path LIKE 'pattern'" (SQL LIKE: % and _ are wildcards).
func Like(path, pattern string) Cmp { return newCmp(path, false, OpLike, Str(pattern), nil) }

// Matches returns "path MATCHES 'regexp'" (PCRE syntax).
func Matches(path, regexp string) Cmp { return newCmp(path, false, OpMatches, Str(regexp), nil) }

// IsSubset returns "path ISSUBSET 'cidr'".
func IsSubset(path, cidr string) Cmp { return newCmp(path, false, OpIsSubset, Str(cidr), nil) }

// IsSuperset returns "path ISSUPERSET 'cidr'".
func IsSuperset(path, cidr string) Cmp { return newCmp(path, false, OpIsSuperset, Str(cidr), nil) }

// Exists returns "EXISTS path".
func Exists(path string) Cmp { return newCmp(path, false, OpExists, Literal{}, nil) }

// Not negates a single comparison ("path NOT op value", "NOT EXISTS path");
// negating it twice gives it back. The grammar has no NOT for compound
// expressions, so Not on one is an error reported by Build.
func (c Cmp) Not() Cmp {
	cmp, ok := c.expr.(*Comparison)
	if !ok {
		return Cmp{expr: c.expr, errs: append(cloneErrs(c.errs), buildErr("NOT applies to a single comparison, not to %s", describeExpr(c.expr)))}
	}
	n := *cmp
	n.Negated = !n.Negated
	n.Path.Steps = append([]PathStep(nil), cmp.Path.Steps...)
	return Cmp{expr: &n, errs: c.errs}
}

func describeExpr(n Node) string {
	if n == nil {
		return "an empty expression"
	}
	return "'" + n.String() + "'"
}

func cloneErrs(e []error) []error { return append([]error(nil), e...) }

// And returns "c AND o1 AND o2 …", adding parentheses around OR operands.
func (c Cmp) And(others ...Cmp) Cmp { return combineCmp(And, c, others) }

// Or returns "c OR o1 OR o2 …".
func (c Cmp) Or(others ...Cmp) Cmp { return combineCmp(Or, c, others) }

func combineCmp(op BoolOp, first Cmp, others []Cmp) Cmp {
	all := append([]Cmp{first}, others...)
	out := &CompoundComparison{Op: op}
	var errs []error
	for _, c := range all {
		errs = append(errs, c.errs...)
		switch e := c.expr.(type) {
		case nil:
			errs = append(errs, buildErr("empty comparison expression"))
		case *CompoundComparison:
			if e.Op == op {
				out.Operands = append(out.Operands, e.Operands...)
			} else if op == And {
				out.Operands = append(out.Operands, &GroupedComparison{Expr: e})
			} else {
				out.Operands = append(out.Operands, e)
			}
		default:
			out.Operands = append(out.Operands, e)
		}
	}
	if len(out.Operands) == 1 {
		return Cmp{expr: out.Operands[0], errs: errs}
	}
	return Cmp{expr: out, errs: errs}
}

// Err returns the errors collected so far, joined, or nil.
func (c Cmp) Err() error { return errors.Join(c.errs...) }

// String returns the text of the comparison expression so far.
func (c Cmp) String() string { return describeOrEmpty(c.expr) }

func describeOrEmpty(n Node) string {
	if n == nil {
		return ""
	}
	return n.String()
}

// Observation returns "[c]".
func Observation(c Cmp) Obs {
	errs := cloneErrs(c.errs)
	if c.expr == nil {
		errs = append(errs, buildErr("empty comparison expression in observation"))
	}
	return Obs{expr: &SimpleObservation{Expr: c.expr}, errs: errs}
}

// And returns "o AND o1 AND o2 …", adding parentheses around OR and
// FOLLOWEDBY operands.
func (o Obs) And(others ...Obs) Obs { return combineObs(ObsAnd, o, others) }

// Or returns "o OR o1 OR o2 …", adding parentheses around FOLLOWEDBY
// operands.
func (o Obs) Or(others ...Obs) Obs { return combineObs(ObsOr, o, others) }

// FollowedBy returns "o FOLLOWEDBY o1 FOLLOWEDBY o2 …".
func (o Obs) FollowedBy(others ...Obs) Obs { return combineObs(ObsFollowedBy, o, others) }

func combineObs(op ObservationOp, first Obs, others []Obs) Obs {
	all := append([]Obs{first}, others...)
	out := &CompoundObservation{Op: op}
	var errs []error
	for _, o := range all {
		errs = append(errs, o.errs...)
		switch e := o.expr.(type) {
		case nil:
			errs = append(errs, buildErr("empty observation expression"))
		case *CompoundObservation:
			switch {
			case e.Op == op:
				out.Operands = append(out.Operands, e.Operands...)
			case e.Op > op: // looser than op
				out.Operands = append(out.Operands, &GroupedObservation{Expr: e})
			default:
				out.Operands = append(out.Operands, e)
			}
		default:
			out.Operands = append(out.Operands, e)
		}
	}
	if len(out.Operands) == 1 {
		return Obs{expr: out.Operands[0], errs: errs}
	}
	return Obs{expr: out, errs: errs}
}

// qualify applies q, adding parentheses around a compound expression and
// around a simple observation that already has a qualifier of q's kind.
func (o Obs) qualify(q Qualifier, err error) Obs {
	errs := cloneErrs(o.errs)
	if err != nil {
		errs = append(errs, err)
	}
	switch e := o.expr.(type) {
	case nil:
		errs = append(errs, buildErr("empty observation expression"))
		return Obs{errs: errs}
	case *CompoundObservation:
		return Obs{expr: &QualifiedObservation{Expr: &GroupedObservation{Expr: e}, Qualifiers: []Qualifier{q}}, errs: errs}
	case *QualifiedObservation:
		dup := false
		if _, simple := e.Expr.(*SimpleObservation); simple {
			for _, have := range e.Qualifiers {
				dup = dup || have.Kind == q.Kind
			}
		}
		if dup {
			return Obs{expr: &QualifiedObservation{Expr: &GroupedObservation{Expr: e}, Qualifiers: []Qualifier{q}}, errs: errs}
		}
		qs := append(append([]Qualifier(nil), e.Qualifiers...), q)
		return Obs{expr: &QualifiedObservation{Expr: e.Expr, Qualifiers: qs}, errs: errs}
	default:
		return Obs{expr: &QualifiedObservation{Expr: e, Qualifiers: []Qualifier{q}}, errs: errs}
	}
}

// Within returns "o WITHIN seconds SECONDS". seconds must be positive and
// finite; whole numbers print as integers, others as decimals.
func (o Obs) Within(seconds float64) Obs {
	var err error
	var v Literal
	switch {
	case math.IsNaN(seconds) || math.IsInf(seconds, 0) || seconds <= 0:
		err = buildErr("WITHIN needs a positive number of seconds, not %v", seconds)
	case seconds == math.Trunc(seconds) && seconds < 1e18:
		v = Literal{Kind: IntLit, Text: strconv.FormatInt(int64(seconds), 10)}
	default:
		v = Float(seconds)
	}
	return o.qualify(Qualifier{Kind: Within, Value: v}, err)
}

// Repeats returns "o REPEATS n TIMES"; n must be at least 1.
func (o Obs) Repeats(n int) Obs {
	var err error
	if n < 1 {
		err = buildErr("REPEATS needs a positive count, not %d", n)
	}
	return o.qualify(Qualifier{Kind: Repeats, Value: Int(int64(n))}, err)
}

// StartStop returns "o START t'start' STOP t'stop'"; stop must be after
// start.
func (o Obs) StartStop(start, stop time.Time) Obs {
	q := Qualifier{Kind: StartStop, Start: Timestamp(start), Stop: Timestamp(stop)}
	var err error
	switch {
	case q.Start.Kind == 0 || q.Stop.Kind == 0:
		err = buildErr("START/STOP timestamps need years 0000-9999")
	case !stop.After(start):
		err = buildErr("STOP %s is not after START %s", q.Stop.Text, q.Start.Text)
	}
	return o.qualify(q, err)
}

// Err returns the errors collected so far, joined, or nil.
func (o Obs) Err() error { return errors.Join(o.errs...) }

// Build returns the pattern, or every collected error joined with
// errors.Join (each wraps [ErrBuild]).
func (o Obs) Build() (*Pattern, error) {
	errs := o.errs
	if o.expr == nil && len(errs) == 0 {
		errs = append(cloneErrs(errs), buildErr("empty observation expression"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if d := depth(o.expr); d > DefaultMaxDepth {
		return nil, buildErr("pattern nests %d levels deep, more than %d", d, DefaultMaxDepth)
	}
	return &Pattern{Expr: o.expr}, nil
}

// Text returns the text of the built pattern, or the errors of Build.
func (o Obs) Text() (string, error) {
	p, err := o.Build()
	if err != nil {
		return "", err
	}
	return p.String(), nil
}

// depth returns the nesting depth of brackets and parentheses under n.
func depth(n Node) int {
	max := 0
	var rec func(n Node, d int)
	rec = func(n Node, d int) {
		if d > max {
			max = d
		}
		if d > DefaultMaxDepth {
			return
		}
		switch n := n.(type) {
		case *SimpleObservation:
			rec(n.Expr, d+1)
		case *GroupedObservation:
			rec(n.Expr, d+1)
		case *GroupedComparison:
			rec(n.Expr, d+1)
		case *QualifiedObservation:
			rec(n.Expr, d)
		case *CompoundObservation:
			for _, e := range n.Operands {
				rec(e, d)
			}
		case *CompoundComparison:
			for _, e := range n.Operands {
				rec(e, d)
			}
		}
	}
	rec(n, 0)
	return max
}
