package pattern

import (
	"strings"
	"testing"
	"time"
)

func TestNodeStrings(t *testing.T) {
	p, err := Parse("([a:b = 1 AND (c:d = 'x' OR c:e = 2)] OR [f:g = 3]) FOLLOWEDBY [h:i = 4] REPEATS 3 TIMES")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	Inspect(p.Expr, func(n Node) bool {
		got = append(got, n.String())
		return true
	})
	want := []string{
		"([a:b = 1 AND (c:d = 'x' OR c:e = 2)] OR [f:g = 3]) FOLLOWEDBY [h:i = 4] REPEATS 3 TIMES",
		"([a:b = 1 AND (c:d = 'x' OR c:e = 2)] OR [f:g = 3])",
		"[a:b = 1 AND (c:d = 'x' OR c:e = 2)] OR [f:g = 3]",
		"[a:b = 1 AND (c:d = 'x' OR c:e = 2)]",
		"a:b = 1 AND (c:d = 'x' OR c:e = 2)",
		"a:b = 1",
		"(c:d = 'x' OR c:e = 2)",
		"c:d = 'x' OR c:e = 2",
		"c:d = 'x'",
		"c:e = 2",
		"[f:g = 3]",
		"f:g = 3",
		"[h:i = 4] REPEATS 3 TIMES",
		"[h:i = 4]",
		"h:i = 4",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("node strings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	q := p.Expr.(*CompoundObservation).Operands[1].(*QualifiedObservation).Qualifiers[0]
	if q.String() != "REPEATS 3 TIMES" {
		t.Errorf("Qualifier.String = %q", q.String())
	}
}

func TestEnumStrings(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{ObsAnd.String(), "AND"}, {ObsOr.String(), "OR"}, {ObsFollowedBy.String(), "FOLLOWEDBY"},
		{ObservationOp(9).String(), "ObservationOp(9)"},
		{And.String(), "AND"}, {Or.String(), "OR"}, {BoolOp(0).String(), "BoolOp(0)"},
		{Within.String(), "WITHIN"}, {Repeats.String(), "REPEATS"}, {StartStop.String(), "START/STOP"},
		{QualifierKind(7).String(), "QualifierKind(7)"},
		{OpEqual.String(), "="}, {OpIsSuperset.String(), "ISSUPERSET"}, {OpExists.String(), "EXISTS"},
		{Operator(0).String(), "Operator(0)"}, {Operator(99).String(), "Operator(99)"},
		{StringLit.String(), "string"}, {IntLit.String(), "integer"}, {FloatLit.String(), "float"},
		{BoolLit.String(), "boolean"}, {BinaryLit.String(), "binary"}, {HexLit.String(), "hex"},
		{TimestampLit.String(), "timestamp"}, {LiteralKind(0).String(), "LiteralKind(0)"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestLiteralConstructors(t *testing.T) {
	for _, tc := range []struct {
		l    Literal
		want string
	}{
		{Str(`a'b\c`), `'a\'b\\c'`},
		{Int(-42), "-42"},
		{Float(3), "3.0"},
		{Float(-0.25), "-0.25"},
		{Bool(false), "false"},
		{Binary([]byte{0xff, 0xfe}), "b'//4='"},
		{Hex([]byte{0xAB}), "h'ab'"},
		{Hex(nil), "h''"},
		{Timestamp(time.Date(2020, 2, 29, 1, 2, 3, 4000000, time.FixedZone("x", 3600))), "t'2020-02-29T00:02:03.004Z'"},
		{Literal{}, ""},
	} {
		if got := tc.l.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.l, got, tc.want)
		}
	}
	if _, err := Str("x").Float(); err == nil {
		t.Error("Float on a string should fail")
	}
	if _, err := (Literal{Kind: TimestampLit, Text: "bad"}).Time(); err == nil {
		t.Error("Time on a bad timestamp should fail")
	}
}

// Hand-made trees with missing parts print and walk without panicking.
func TestNilSafety(t *testing.T) {
	var nilPattern *Pattern
	if nilPattern.String() != "" || string(nilPattern.AppendText(nil)) != "" {
		t.Error("nil pattern prints something")
	}
	Walk(nil, func(*Comparison) bool { t.Error("visited"); return true })
	trees := []ObservationExpr{
		&SimpleObservation{},
		&SimpleObservation{Expr: (*Comparison)(nil)},
		&GroupedObservation{},
		&QualifiedObservation{},
		&CompoundObservation{Op: ObsAnd, Operands: []ObservationExpr{nil, (*SimpleObservation)(nil)}},
		&SimpleObservation{Expr: &CompoundComparison{Op: And, Operands: []ComparisonExpr{nil, (*GroupedComparison)(nil), &GroupedComparison{}}}},
		(*GroupedObservation)(nil),
	}
	for _, e := range trees {
		p := &Pattern{Expr: e}
		_ = p.String()
		Walk(p, func(*Comparison) bool { return true })
		Inspect(e, func(Node) bool { return true })
		_ = Check(p, CheckOptions{})
	}
}
