package pattern

import (
	"errors"
	"strings"
	"testing"
)

// validPatterns maps input to its normalized String().
var validPatterns = []struct{ in, want string }{
	{"[ipv4-addr:value = '1.2.3.4']", "[ipv4-addr:value = '1.2.3.4']"},
	{"[ ipv4-addr:value='10.0.0.0' ]", "[ipv4-addr:value = '10.0.0.0']"},
	{"[file:size == 1280]", "[file:size = 1280]"},
	{"[file:size <> 1280]", "[file:size != 1280]"},
	{"[file:size != 1280]", "[file:size != 1280]"},
	{"[file:size < 1024]", "[file:size < 1024]"},
	{"[file:size <= 1024]", "[file:size <= 1024]"},
	{"[file:size > +1024]", "[file:size > 1024]"},
	{"[file:size >= -0]", "[file:size >= -0]"},
	{"[x-foo:ratio > .5]", "[x-foo:ratio > 0.5]"},
	{"[x-foo:ratio < -.25]", "[x-foo:ratio < -0.25]"},
	{"[x-foo:ratio = 012.50]", "[x-foo:ratio = 012.50]"},
	{"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
		"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']"},
	{"[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']", "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']"},
	{"[file:'name' = 'a']", "[file:name = 'a']"},
	{"[file:'na me'.'x' = 'a']", "[file:'na me'.x = 'a']"},
	{"[x-a:'AND'.'true' = 1]", "[x-a:'AND'.'true' = 1]"},
	{`[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\System\\Foo']`, `[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\System\\Foo']`},
	{`[file:name = 'it\'s']`, `[file:name = 'it\'s']`},
	{"[file:name = '']", "[file:name = '']"},
	{"[file:name = 'naïve 日本']", "[file:name = 'naïve 日本']"},
	{"[file:name = 'line\nbreak']", "[file:name = 'line\nbreak']"},
	{"[email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
		"[email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']"},
	{"[x-list:items[0].v[-1][+2] = 1]", "[x-list:items[0].v[-1][2] = 1]"},
	{"[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
		"[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]"},
	{"[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24']", "[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24']"},
	{"[ipv4-addr:value NOT ISSUPERSET '198.51.100.0/24']", "[ipv4-addr:value NOT ISSUPERSET '198.51.100.0/24']"},
	{"[file:name LIKE 'name%']", "[file:name LIKE 'name%']"},
	{"[file:name NOT LIKE 'name_']", "[file:name NOT LIKE 'name_']"},
	{"[file:name NOT = 'x']", "[file:name NOT = 'x']"},
	{"[file:name IN ('a', 'b')]", "[file:name IN ('a', 'b')]"},
	{"[file:size NOT IN(1,2,3)]", "[file:size NOT IN (1, 2, 3)]"},
	{"[x-a:b IN ()]", "[x-a:b IN ()]"},
	{"[x-a:b IN (true, 1, 1.5, 'x', b'AAAA', h'0aFf', t'2020-01-01T00:00:00Z')]",
		"[x-a:b IN (true, 1, 1.5, 'x', b'AAAA', h'0aFf', t'2020-01-01T00:00:00Z')]"},
	{"[EXISTS file:name]", "[EXISTS file:name]"},
	{"[NOT EXISTS file:name]", "[NOT EXISTS file:name]"},
	{"[x-a:flag = true]", "[x-a:flag = true]"},
	{"[x-a:flag != false]", "[x-a:flag != false]"},
	{"[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']"},
	{"[artifact:payload_bin = b'YQ==']", "[artifact:payload_bin = b'YQ==']"},
	{"[file:magic_number_hex = h'ffd8']", "[file:magic_number_hex = h'ffd8']"},
	{"[file:magic_number_hex = h'']", "[file:magic_number_hex = h'']"},
	{"[file:created > t'2016-02-29T23:59:60.123456Z']", "[file:created > t'2016-02-29T23:59:60.123456Z']"},
	{"[a-b:c = 1 AND d-e:f = 2 OR g-h:i = 3]", "[a-b:c = 1 AND d-e:f = 2 OR g-h:i = 3]"},
	{"[a-b:c = 1 AND (d-e:f = 2 OR g-h:i = 3)]", "[a-b:c = 1 AND (d-e:f = 2 OR g-h:i = 3)]"},
	{"[((a-b:c = 1))]", "[((a-b:c = 1))]"},
	{"[a:b = 1] AND [c:d = 2]", "[a:b = 1] AND [c:d = 2]"},
	{"[a:b = 1] OR [c:d = 2] AND [e:f = 3] FOLLOWEDBY [g:h = 4]", "[a:b = 1] OR [c:d = 2] AND [e:f = 3] FOLLOWEDBY [g:h = 4]"},
	{"([a:b = 1] OR [c:d = 2]) AND [e:f = 3]", "([a:b = 1] OR [c:d = 2]) AND [e:f = 3]"},
	{"[a:b = 1] WITHIN 5 SECONDS", "[a:b = 1] WITHIN 5 SECONDS"},
	{"[a:b = 1] WITHIN 2.5 SECONDS", "[a:b = 1] WITHIN 2.5 SECONDS"},
	{"[a:b = 1] WITHIN +5 SECONDS", "[a:b = 1] WITHIN 5 SECONDS"},
	{"[a:b = 1] REPEATS 9 TIMES", "[a:b = 1] REPEATS 9 TIMES"},
	{"[a:b = 1] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z'",
		"[a:b = 1] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z'"},
	{"[a:b = 1] REPEATS 2 TIMES WITHIN 5 SECONDS START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z'",
		"[a:b = 1] REPEATS 2 TIMES WITHIN 5 SECONDS START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z'"},
	{"([a:b = 1]) WITHIN 5 SECONDS WITHIN 6 SECONDS", "([a:b = 1]) WITHIN 5 SECONDS WITHIN 6 SECONDS"},
	{"([a:b = 1] REPEATS 2 TIMES) REPEATS 2 TIMES", "([a:b = 1] REPEATS 2 TIMES) REPEATS 2 TIMES"},
	{"[a:b = 1] WITHIN 5 SECONDS AND [c:d = 2] WITHIN 5 SECONDS", "[a:b = 1] WITHIN 5 SECONDS AND [c:d = 2] WITHIN 5 SECONDS"},
	{"( [(network-traffic:dst_port IN(443,6443,8443) AND network-traffic:src_packets != 0) ])",
		"([(network-traffic:dst_port IN (443, 6443, 8443) AND network-traffic:src_packets != 0)])"},
	{"/* leading */ [a:b /* mid */ = 1] // trailing", "[a:b = 1]"},
	{"[a:b = 1]\r\n\tAND\u00a0\u2003[c:d = 2]\u3000", "[a:b = 1] AND [c:d = 2]"},
	{"[a : b . c [ 0 ] = 1]", "[a:b.c[0] = 1]"},
	{"[File:Name = 1]", "[File:Name = 1]"},
	{"[_x:_y = 1]", "[_x:_y = 1]"},
	{"[a:b=1]AND[c:d=2]", "[a:b = 1] AND [c:d = 2]"},
}

func TestParseValid(t *testing.T) {
	for _, tc := range validPatterns {
		p, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := p.String(); got != tc.want {
			t.Errorf("Parse(%q).String() =\n  %q\nwant\n  %q", tc.in, got, tc.want)
		}
		if p.Source() != tc.in {
			t.Errorf("Source() = %q", p.Source())
		}
		assertRoundTrip(t, tc.in, p)
	}
}

// assertRoundTrip checks that the normalized text parses to the same text.
func assertRoundTrip(t *testing.T, in string, p *Pattern) {
	t.Helper()
	s := p.String()
	p2, err := Parse(s)
	if err != nil {
		t.Fatalf("round trip of %q: Parse(%q): %v", in, s, err)
	}
	if s2 := p2.String(); s2 != s {
		t.Fatalf("round trip of %q: %q then %q", in, s, s2)
	}
}

var invalidPatterns = []struct {
	in        string
	line, col int
	msg       string // substring of Msg
}{
	{"", 1, 1, "expected '[' or '(' but found end of pattern"},
	{"   ", 1, 4, "expected '[' or '(' but found end of pattern"},
	{"file:size = 1280", 1, 1, "expected '[' or '(' but found identifier 'file'"},
	{"[file:size = ]", 1, 14, "expected a literal value but found ']'"},
	{"[file:size = 1", 1, 15, "expected ']' but found end of pattern"},
	{"[url:value = 'a'", 1, 17, "expected ']' but found end of pattern"},
	{"[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]", 1, 20, "expected a literal value but found identifier"},
	{"[file.size = 1280]", 1, 6, "expected ':' after the object type but found '.'"},
	{"[file:name MATCHES /.*\\.dll/]", 1, 20, "unexpected character '/'"},
	{"[file:name MATCHES 1]", 1, 20, "expected a string after MATCHES but found integer '1'"},
	{"[file:name LIKE b'AAAA']", 1, 17, "expected a string after LIKE"},
	{"[a:b = 1] WITHIN ]", 1, 18, "expected a positive number after WITHIN but found ']'"},
	{"[a:b = 1] WITHIN 5 HOURS", 1, 20, "expected SECONDS but found identifier 'HOURS'"},
	{"[a:b = 1] WITHIN -5 SECONDS", 1, 18, "expected a positive number after WITHIN but found integer '-5'"},
	{"[a:b = 1] REPEATS 1.5 TIMES", 1, 19, "expected a positive integer after REPEATS"},
	{"[a:b = 1] REPEATS 2", 1, 20, "expected TIMES but found end of pattern"},
	{"[a:b = 1] START t'2016-06-01T01:30:00Z'", 1, 40, "expected STOP but found end of pattern"},
	{"[a:b = 1] START '2016-06-01T01:30:00Z' STOP t'2016-06-01T01:30:00Z'", 1, 17, "expected a timestamp t'…' after START but found string '2016-06-01T01:30:00Z'"},
	{"[network-traffic:dst_ref.value ISSUBSET ]", 1, 41, "expected a string after ISSUBSET but found ']'"},
	{"[file:hashes.MD5 =? 'cead']", 1, 19, "unexpected character '?'"},
	{"[x_whatever:detected == t'2457-73-22T32:81:84.1Z']", 1, 25, "invalid timestamp literal t'2457-73-22T32:81:84.1Z'"},
	{"[x:d = t'2016-02-30T00:00:00Z']", 1, 8, "invalid timestamp literal"},
	{"[x:d = t'2015-02-29T00:00:00Z']", 1, 8, "invalid timestamp literal"},
	{"[x:d = t'2016-01-01T00:00:00']", 1, 8, "invalid timestamp literal"},
	{"[x:d = t'2016-01-01T00:00:00+01:00']", 1, 8, "invalid timestamp literal"},
	{"[x:d = t'2016-01-01T00:00:00.Z']", 1, 8, "invalid timestamp literal"},
	{"[x:d = t'2016-01-01 00:00:00Z']", 1, 8, "invalid timestamp literal"},
	{"[artifact:payload_bin = b'====']", 1, 25, "invalid binary literal b'===='"},
	{"[artifact:payload_bin = b'']", 1, 25, "invalid binary literal"},
	{"[artifact:payload_bin = b'YQ=']", 1, 25, "invalid binary literal"},
	{"[artifact:payload_bin = b'Y=Q=']", 1, 25, "invalid binary literal"},
	{"[file:magic_number_hex = h'abc']", 1, 26, "invalid hex literal"},
	{"[file:magic_number_hex = h'zz']", 1, 26, "invalid hex literal"},
	{"[foo:bar=1] within 2 seconds", 1, 13, "expected AND, OR, FOLLOWEDBY, a qualifier or end of pattern but found identifier 'within'"},
	{"[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS", 1, 28, "duplicate WITHIN qualifier"},
	{"([a:b = 1] REPEATS 2 TIMES REPEATS 3 TIMES)", 1, 28, "duplicate REPEATS qualifier"},
	{"[a:b = 1] START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z' START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z'",
		1, 70, "duplicate START/STOP qualifier"},
	{"[a:b = 'unterminated]", 1, 8, "unterminated string literal"},
	{`[a:b = 'bad \n escape']`, 1, 13, "invalid escape sequence"},
	{"[a:b = 01]", 1, 8, "leading zero"},
	{"[a:b = 1.]", 1, 9, "expected ']' but found '.'"},
	{"[a:b = 1e5]", 1, 9, "expected ']' but found identifier 'e5'"},
	{"[a:b = -]", 1, 8, "unexpected character '-'"},
	{"[a:b > true]", 1, 8, "a boolean cannot be compared"},
	{"[a:b = TRUE]", 1, 8, "expected a literal value but found identifier 'TRUE'"},
	{"[a:b-c = 1]", 1, 4, "expected a property name but found identifier 'b-c'"},
	{"[a:b.c-d = 1]", 1, 6, "expected a property name after '.' but found identifier 'c-d'"},
	{"[a:b.5 = 1]", 1, 5, "expected a comparison operator but found float '.5'"},
	{"[a:b[x] = 1]", 1, 6, "expected a list index or '*'"},
	{"[a:b[1 = 1]", 1, 8, "expected ']' after the list index but found '='"},
	{"[a:b[99999999999999999999] = 1]", 1, 6, "list index '99999999999999999999' out of range"},
	{"[a:b IN 'x']", 1, 9, "expected '(' starting a set"},
	{"[a:b IN ('x' 'y')]", 1, 14, "expected ',' or ')' but found string 'y'"},
	{"[a:b IN ('x',)]", 1, 14, "expected a literal value but found ')'"},
	{"[a:b NOT]", 1, 9, "expected a comparison operator after NOT but found ']'"},
	{"[NOT a:b = 1]", 1, 6, "expected EXISTS after NOT but found identifier 'a'"},
	{"[EXISTS]", 1, 8, "expected an object type but found ']'"},
	{"[a:b = 1 AND]", 1, 13, "expected an object path, EXISTS or '(' but found ']'"},
	{"[a:b = 1] AND", 1, 14, "expected '[' or '(' but found end of pattern"},
	{"[a:b = 1] [c:d = 2]", 1, 11, "expected AND, OR, FOLLOWEDBY, a qualifier or end of pattern but found '['"},
	{"[a:b = 1]]", 1, 10, "but found ']'"},
	{"([a:b = 1]", 1, 11, "expected ')' but found end of pattern"},
	{"[(a:b = 1]", 1, 10, "expected ')' but found ']'"},
	{"[]", 1, 2, "expected an object path"},
	{"[IN:b = 1]", 1, 2, "expected an object path, EXISTS or '(' but found IN"},
	{"[a:true = 1]", 1, 4, "expected a property name but found boolean 'true'"},
	{"[a:b = 1] LAST 5 SECONDS", 1, 11, "found LAST"},
	{"[a:b = 1] /* open", 1, 11, "unterminated comment"},
	{"[a:b = 1]\n  AND x", 2, 7, "expected '[' or '(' but found identifier 'x'"},
	{"[a:b = 'é'] AND é", 1, 17, "unexpected character 'é'"},
	{"[a:b = 1] AND\n[c:d = 2] OR\n  [e:f = ]", 3, 10, "expected a literal value"},
	{"[a:b = '\xff']", 1, 9, "invalid UTF-8"},
}

func TestParseInvalid(t *testing.T) {
	for _, tc := range invalidPatterns {
		p, err := Parse(tc.in)
		if err == nil {
			t.Errorf("Parse(%q) = %q, want an error", tc.in, p)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error %T %v is not a *SyntaxError", tc.in, err, err)
			continue
		}
		if !errors.Is(err, ErrSyntax) || errors.Is(err, ErrLimit) {
			t.Errorf("Parse(%q) error does not wrap ErrSyntax alone", tc.in)
		}
		if se.Line != tc.line || se.Column != tc.col || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("Parse(%q) = %d:%d: %s\nwant %d:%d: …%s…", tc.in, se.Line, se.Column, se.Msg, tc.line, tc.col, tc.msg)
		}
		if want := strings.Split(tc.in, "\n"); se.Line == 1 && se.Offset > len(want[0]) {
			t.Errorf("Parse(%q): offset %d beyond line 1", tc.in, se.Offset)
		}
	}
}

func TestSyntaxErrorText(t *testing.T) {
	_, err := Parse("[url:value = 'a'")
	if got, want := err.Error(), "1:17: expected ']' but found end of pattern"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var se *SyntaxError
	if !errors.As(err, &se) || se.Offset != 16 {
		t.Errorf("Offset = %d, want 16", se.Offset)
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("(", 200) + "[a:b = 1]" + strings.Repeat(")", 200)
	_, err := Parse(deep)
	if !errors.Is(err, ErrLimit) {
		t.Fatalf("deep nesting: err = %v, want ErrLimit", err)
	}
	if _, err := ParseWithOptions(deep, ParseOptions{MaxDepth: 300}); err != nil {
		t.Fatalf("deep nesting with MaxDepth 300: %v", err)
	}
	deepCmp := "[" + strings.Repeat("(", 200) + "a:b = 1" + strings.Repeat(")", 200) + "]"
	if _, err := Parse(deepCmp); !errors.Is(err, ErrLimit) {
		t.Fatalf("deep comparison nesting: err = %v, want ErrLimit", err)
	}
	long := "[a:b = '" + strings.Repeat("x", 100) + "']"
	_, err = ParseWithOptions(long, ParseOptions{MaxBytes: 50})
	var se *SyntaxError
	if !errors.As(err, &se) || !errors.Is(err, ErrLimit) || !errors.Is(err, ErrSyntax) || se.Offset != 50 {
		t.Fatalf("long input: err = %v, want ErrLimit at offset 50", err)
	}
	// A long flat chain is fine: operators are not nested.
	var b strings.Builder
	b.WriteString("[a:b = 0")
	for i := 0; i < 20000; i++ {
		b.WriteString(" OR a:b = 1")
	}
	b.WriteString("]")
	p, err := Parse(b.String())
	if err != nil {
		t.Fatalf("long OR chain: %v", err)
	}
	n := 0
	Walk(p, func(*Comparison) bool { n++; return true })
	if n != 20001 {
		t.Fatalf("Walk visited %d comparisons, want 20001", n)
	}
}

func TestTree(t *testing.T) {
	p, err := Parse("[a:b = 1 OR c:d = 2 AND c:e = 3] FOLLOWEDBY ([f:g[*].'h i' NOT LIKE 'x%'] OR [EXISTS j:k]) WITHIN 10 SECONDS")
	if err != nil {
		t.Fatal(err)
	}
	fb, ok := p.Expr.(*CompoundObservation)
	if !ok || fb.Op != ObsFollowedBy || len(fb.Operands) != 2 {
		t.Fatalf("top = %#v", p.Expr)
	}
	first := fb.Operands[0].(*SimpleObservation)
	or := first.Expr.(*CompoundComparison)
	if or.Op != Or || len(or.Operands) != 2 {
		t.Fatalf("first = %#v", first.Expr)
	}
	if and := or.Operands[1].(*CompoundComparison); and.Op != And || len(and.Operands) != 2 {
		t.Fatalf("AND operand = %#v", and)
	}
	c := or.Operands[0].(*Comparison)
	if c.Path.ObjectType != "a" || c.Path.Property() != "b" || c.Op != OpEqual || c.Value.Kind != IntLit || c.Value.Text != "1" || c.Offset != 1 {
		t.Fatalf("a:b = 1 → %#v", c)
	}
	q := fb.Operands[1].(*QualifiedObservation)
	if len(q.Qualifiers) != 1 || q.Qualifiers[0].Kind != Within || q.Qualifiers[0].Value.Text != "10" {
		t.Fatalf("qualifier = %#v", q.Qualifiers)
	}
	g := q.Expr.(*GroupedObservation).Expr.(*CompoundObservation)
	like := g.Operands[0].(*SimpleObservation).Expr.(*Comparison)
	wantSteps := []PathStep{{Kind: StepKey, Key: "g"}, {Kind: StepAnyIndex}, {Kind: StepKey, Key: "h i"}}
	if !like.Negated || like.Op != OpLike || len(like.Path.Steps) != 3 {
		t.Fatalf("like = %#v", like)
	}
	for i, s := range wantSteps {
		if like.Path.Steps[i] != s {
			t.Errorf("step %d = %#v, want %#v", i, like.Path.Steps[i], s)
		}
	}
	ex := g.Operands[1].(*SimpleObservation).Expr.(*Comparison)
	if ex.Op != OpExists || ex.Negated || ex.Path.String() != "j:k" {
		t.Fatalf("exists = %#v", ex)
	}
}

func TestLiteralValues(t *testing.T) {
	p, err := Parse("[x-a:b IN (-12, 2.5, -.5, b'aGk=', h'00ff', t'2016-12-31T23:59:60.5Z', 'q\\'\\\\', false)]")
	if err != nil {
		t.Fatal(err)
	}
	set := p.Expr.(*SimpleObservation).Expr.(*Comparison).Set
	if i, err := set[0].Int(); err != nil || i != -12 {
		t.Errorf("Int = %d, %v", i, err)
	}
	if f, err := set[1].Float(); err != nil || f != 2.5 {
		t.Errorf("Float = %v, %v", f, err)
	}
	if f, err := set[2].Float(); err != nil || f != -0.5 || set[2].Text != "-0.5" {
		t.Errorf("Float = %v %q, %v", f, set[2].Text, err)
	}
	if b, err := set[3].Bytes(); err != nil || string(b) != "hi" {
		t.Errorf("Bytes = %q, %v", b, err)
	}
	if b, err := set[4].Bytes(); err != nil || string(b) != "\x00\xff" {
		t.Errorf("hex Bytes = %q, %v", b, err)
	}
	tm, err := set[5].Time()
	if err != nil || tm.Format("2006-01-02T15:04:05.000Z") != "2017-01-01T00:00:00.500Z" {
		t.Errorf("Time = %v, %v", tm, err)
	}
	if set[6].Kind != StringLit || set[6].Text != `q'\` {
		t.Errorf("string = %#v", set[6])
	}
	if set[7].Kind != BoolLit || set[7].Bool {
		t.Errorf("bool = %#v", set[7])
	}
	if _, err := set[6].Int(); err == nil {
		t.Error("Int on a string should fail")
	}
	if _, err := set[0].Time(); err == nil {
		t.Error("Time on an int should fail")
	}
	if _, err := set[0].Bytes(); err == nil {
		t.Error("Bytes on an int should fail")
	}
	if f, err := set[0].Float(); err != nil || f != -12 {
		t.Errorf("Float on an int = %v, %v", f, err)
	}
}

func TestInspect(t *testing.T) {
	p, err := Parse("([a:b = 1] AND [c:d = 2 OR (e:f = 3)]) REPEATS 2 TIMES")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	Inspect(p.Expr, func(n Node) bool {
		switch n.(type) {
		case *SimpleObservation:
			kinds = append(kinds, "simple")
		case *CompoundObservation:
			kinds = append(kinds, "cobs")
		case *GroupedObservation:
			kinds = append(kinds, "gobs")
		case *QualifiedObservation:
			kinds = append(kinds, "qobs")
		case *Comparison:
			kinds = append(kinds, "cmp")
		case *CompoundComparison:
			kinds = append(kinds, "ccmp")
			return false // skip children
		case *GroupedComparison:
			kinds = append(kinds, "gcmp")
		}
		return true
	})
	want := "qobs gobs cobs simple cmp simple ccmp"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("Inspect order = %s, want %s", got, want)
	}
	var paths []string
	Walk(p, func(c *Comparison) bool {
		paths = append(paths, c.Path.String())
		return len(paths) < 2
	})
	if got := strings.Join(paths, " "); got != "a:b c:d" {
		t.Errorf("Walk with early stop = %s", got)
	}
}
