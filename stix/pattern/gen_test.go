package pattern

import (
	"math/rand"
	"strings"
	"testing"
)

// gen writes random patterns that follow the grammar, as a pair: the
// source text (random spacing, comments, alternative operator spellings,
// signs, quoting) and the normalized text String must produce.
type gen struct {
	r         *rand.Rand
	norm, src strings.Builder
}

func (g *gen) both(norm, src string) {
	g.norm.WriteString(norm)
	g.src.WriteString(src)
}

// space writes optional (min=0) or mandatory (min=1) white space to src.
func (g *gen) space(min int) {
	opts := []string{"", " ", "  ", "\n", "\t", " /* c */ ", "\u00a0", "\r\n "}
	s := opts[g.r.Intn(len(opts))]
	if s == "" && min > 0 {
		s = " "
	}
	g.src.WriteString(s)
}

func (g *gen) keyword(kw string) {
	g.space(1)
	g.both(" "+kw+" ", kw)
	g.space(1)
}

func (g *gen) pick(opts ...string) string { return opts[g.r.Intn(len(opts))] }

func (g *gen) observation(level, depth int) {
	n := 1
	if depth < 4 {
		n += g.r.Intn(3)
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			g.keyword([]string{"AND", "OR", "FOLLOWEDBY"}[level])
		}
		if level > 0 {
			g.observation(level-1, depth+1)
			continue
		}
		simple := depth >= 4 || g.r.Intn(3) > 0
		if simple {
			g.both("[", "[")
			g.space(0)
			g.comparison(1, depth+1)
			g.space(0)
			g.both("]", "]")
		} else {
			g.both("(", "(")
			g.space(0)
			g.observation(2, depth+1)
			g.space(0)
			g.both(")", ")")
		}
		for _, k := range g.r.Perm(3)[:g.r.Intn(3)] {
			g.space(1)
			switch k {
			case 0:
				g.both(" WITHIN ", "WITHIN")
				g.space(1)
				v := g.pick("5", "300", "0.5", "1.25")
				g.both(v, g.pick("", "+")+v)
				g.space(1)
				g.both(" SECONDS", "SECONDS")
			case 1:
				g.both(" REPEATS ", "REPEATS")
				g.space(1)
				g.both("2", "2")
				g.space(1)
				g.both(" TIMES", "TIMES")
			case 2:
				g.both(" START ", "START")
				g.space(1)
				g.both("t'2016-06-01T01:30:00Z'", "t'2016-06-01T01:30:00Z'")
				g.keyword("STOP")
				g.both("t'2016-06-01T02:20:00.5Z'", "t'2016-06-01T02:20:00.5Z'")
			}
		}
	}
}

func (g *gen) comparison(level, depth int) {
	n := 1
	if depth < 6 {
		n += g.r.Intn(3)
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			g.keyword([]string{"AND", "OR"}[level])
		}
		switch {
		case level > 0:
			g.comparison(level-1, depth+1)
		case depth < 6 && g.r.Intn(5) == 0:
			g.both("(", "(")
			g.space(0)
			g.comparison(1, depth+1)
			g.space(0)
			g.both(")", ")")
		default:
			g.test()
		}
	}
}

func (g *gen) path() {
	typ := g.pick("file", "ipv4-addr", "x-acme-thing", "network-traffic", "_x", "A-b")
	g.both(typ, typ)
	g.space(0)
	g.both(":", ":")
	g.space(0)
	g.key()
	for j := g.r.Intn(4); j > 0; j-- {
		g.space(0)
		switch g.r.Intn(3) {
		case 0:
			g.both(".", ".")
			g.space(0)
			g.key()
		case 1:
			g.both("[*]", "[*]")
		default:
			i := g.pick("0", "7", "-1")
			g.both("["+i+"]", "["+g.pick("", " ")+i+"]")
		}
	}
}

func (g *gen) key() {
	switch g.r.Intn(4) {
	case 0:
		g.both("name", "'name'") // quoting a plain key is normalized away
	case 1:
		g.both("'SHA-256'", "'SHA-256'")
	case 2:
		g.both(`'it\'s \\ x'`, `'it\'s \\ x'`)
	default:
		k := g.pick("value", "hashes", "x_acme_y", "_z9")
		g.both(k, k)
	}
}

func (g *gen) literal(withBool bool) {
	n := 8
	if withBool {
		n = 9
	}
	switch g.r.Intn(n) {
	case 0:
		g.both("'a b'", "'a b'")
	case 1:
		g.both(`'\'\\'`, `'\'\\'`)
	case 2:
		g.both("42", g.pick("42", "+42"))
	case 3:
		g.both("-7", "-7")
	case 4:
		g.both("0.5", g.pick("0.5", ".5", "+.5", "+0.5"))
	case 5:
		g.both("-0.25", g.pick("-0.25", "-.25"))
	case 6:
		v := g.pick("b'AAAA'", "h'00ff'", "b'YQ=='", "h''")
		g.both(v, v)
	case 7:
		g.both("t'2020-02-29T23:59:60.123Z'", "t'2020-02-29T23:59:60.123Z'")
	case 8:
		v := g.pick("true", "false")
		g.both(v, v)
	}
}

func (g *gen) test() {
	op := g.r.Intn(8)
	neg := g.r.Intn(4) == 0
	if op == 7 { // EXISTS
		if neg {
			g.both("NOT ", "NOT")
			g.space(1)
		}
		g.both("EXISTS ", "EXISTS")
		g.space(1)
		g.path()
		return
	}
	g.path()
	g.space(1)
	if neg {
		g.both(" NOT", "NOT")
		g.space(1)
	}
	switch op {
	case 0:
		g.both(" = ", g.pick("=", "=="))
		g.space(0)
		g.literal(true)
	case 1:
		g.both(" != ", g.pick("!=", "<>"))
		g.space(0)
		g.literal(true)
	case 2:
		o := g.pick("<", "<=", ">", ">=")
		g.both(" "+o+" ", o)
		g.space(0)
		g.literal(false)
	case 3:
		g.both(" IN (", "IN")
		g.space(0)
		g.src.WriteString("(")
		for i, m := 0, g.r.Intn(4); i < m; i++ {
			if i > 0 {
				g.both(", ", ",")
				g.space(0)
			}
			g.literal(true)
			g.space(0)
		}
		g.both(")", ")")
	default:
		o := []string{"LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET"}[op-4]
		g.both(" "+o+" ", o)
		g.space(1)
		g.both("'x%'", "'x%'")
	}
}

// fixSpacing collapses the double spaces the generator writes to the
// normalized text where two keywords or operators meet ("NOT  =").
func fixSpacing(s string) string {
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return s
}

func TestGeneratedPatterns(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		g := &gen{r: r}
		g.space(0)
		g.observation(2, 0)
		g.space(0)
		src := g.src.String()
		p, err := Parse(src)
		if err != nil {
			t.Fatalf("#%d Parse(%q): %v", i, src, err)
		}
		assertRoundTrip(t, src, p)
		if want := fixSpacing(g.norm.String()); p.String() != want {
			t.Fatalf("#%d Parse(%q).String() =\n %q\nwant\n %q", i, src, p.String(), want)
		}
	}
}
