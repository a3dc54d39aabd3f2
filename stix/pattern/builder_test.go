package pattern

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestBuilder(t *testing.T) {
	t0 := time.Date(2016, 6, 1, 1, 30, 0, 0, time.UTC)
	t1 := t0.Add(50*time.Minute + 123*time.Millisecond)
	ip := func(s string) Cmp { return Equals("ipv4-addr:value", Str(s)) }
	tests := []struct {
		name string
		obs  Obs
		want string
	}{
		{"equals", Observation(ip("198.51.100.1")), "[ipv4-addr:value = '198.51.100.1']"},
		{"or", Observation(ip("1").Or(ip("2"), ip("3"))), "[ipv4-addr:value = '1' OR ipv4-addr:value = '2' OR ipv4-addr:value = '3']"},
		{"or of or flattens", Observation(ip("1").Or(ip("2")).Or(ip("3"))), "[ipv4-addr:value = '1' OR ipv4-addr:value = '2' OR ipv4-addr:value = '3']"},
		{"and of or groups", Observation(ip("1").Or(ip("2")).And(ip("3"))), "[(ipv4-addr:value = '1' OR ipv4-addr:value = '2') AND ipv4-addr:value = '3']"},
		{"or of and needs no parens", Observation(ip("1").And(ip("2")).Or(ip("3"))), "[ipv4-addr:value = '1' AND ipv4-addr:value = '2' OR ipv4-addr:value = '3']"},
		{"escaping", Observation(Equals("file:name", Str(`it's C:\x`))), `[file:name = 'it\'s C:\\x']`},
		{"quoted path", Observation(Equals("file:hashes.'SHA-256'", Str("ab"))), "[file:hashes.'SHA-256' = 'ab']"},
		{"path normalized", Observation(Equals("file : 'name'", Str("a"))), "[file:name = 'a']"},
		{"operators", Observation(NotEquals("x-a:n", Int(-3)).And(Less("x-a:n", Float(2.5)), LessOrEqual("x-a:n", Float(3)),
			Greater("x-a:n", Int(0)), GreaterOrEqual("x-a:t", Timestamp(t0)))),
			"[x-a:n != -3 AND x-a:n < 2.5 AND x-a:n <= 3.0 AND x-a:n > 0 AND x-a:t >= t'2016-06-01T01:30:00Z']"},
		{"set", Observation(In("network-traffic:dst_port", Int(80), Int(443))), "[network-traffic:dst_port IN (80, 443)]"},
		{"empty set", Observation(In("x-a:b")), "[x-a:b IN ()]"},
		{"string ops", Observation(Like("file:name", "%.exe").Or(Matches("file:name", `^a\.b$`), IsSubset("ipv4-addr:value", "10.0.0.0/8"), IsSuperset("ipv4-addr:value", "10.1.1.1"))),
			`[file:name LIKE '%.exe' OR file:name MATCHES '^a\\.b$' OR ipv4-addr:value ISSUBSET '10.0.0.0/8' OR ipv4-addr:value ISSUPERSET '10.1.1.1']`},
		{"not", Observation(Like("file:name", "%.exe").Not().And(Exists("file:size").Not())), "[file:name NOT LIKE '%.exe' AND NOT EXISTS file:size]"},
		{"not not", Observation(Exists("file:size").Not().Not()), "[EXISTS file:size]"},
		{"literals", Observation(In("x-a:b", Bool(true), Binary([]byte("hi")), Hex([]byte{0, 255}), Float(1e21), Float(-0.001))),
			"[x-a:b IN (true, b'aGk=', h'00ff', 1000000000000000000000.0, -0.001)]"},
		{"obs and/or/followedby", Observation(ip("1")).And(Observation(ip("2"))).Or(Observation(ip("3"))).FollowedBy(Observation(ip("4"))),
			"[ipv4-addr:value = '1'] AND [ipv4-addr:value = '2'] OR [ipv4-addr:value = '3'] FOLLOWEDBY [ipv4-addr:value = '4']"},
		{"obs precedence groups", Observation(ip("1")).FollowedBy(Observation(ip("2"))).Or(Observation(ip("3"))).And(Observation(ip("4"))),
			"(([ipv4-addr:value = '1'] FOLLOWEDBY [ipv4-addr:value = '2']) OR [ipv4-addr:value = '3']) AND [ipv4-addr:value = '4']"},
		{"within", Observation(ip("1")).Within(300), "[ipv4-addr:value = '1'] WITHIN 300 SECONDS"},
		{"within float", Observation(ip("1")).Within(0.5), "[ipv4-addr:value = '1'] WITHIN 0.5 SECONDS"},
		{"qualifier chain", Observation(ip("1")).Repeats(2).Within(10).StartStop(t0, t1),
			"[ipv4-addr:value = '1'] REPEATS 2 TIMES WITHIN 10 SECONDS START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00.123Z'"},
		{"duplicate qualifier groups", Observation(ip("1")).Repeats(2).Repeats(3), "([ipv4-addr:value = '1'] REPEATS 2 TIMES) REPEATS 3 TIMES"},
		{"qualified compound groups", Observation(ip("1")).And(Observation(ip("2"))).Within(5), "([ipv4-addr:value = '1'] AND [ipv4-addr:value = '2']) WITHIN 5 SECONDS"},
		{"qualified in compound", Observation(ip("1")).Within(5).And(Observation(ip("2")).Within(5)), "[ipv4-addr:value = '1'] WITHIN 5 SECONDS AND [ipv4-addr:value = '2'] WITHIN 5 SECONDS"},
		{"unicode", Observation(Equals("file:name", Str("日本'\\"))), `[file:name = '日本\'\\']`},
	}
	for _, tc := range tests {
		p, err := tc.obs.Build()
		if err != nil {
			t.Errorf("%s: Build: %v", tc.name, err)
			continue
		}
		if got := p.String(); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
		assertRoundTrip(t, tc.name, p)
		if text, err := tc.obs.Text(); err != nil || text != tc.want {
			t.Errorf("%s: Text() = %q, %v", tc.name, text, err)
		}
	}
}

func TestBuilderImmutable(t *testing.T) {
	base := Observation(Exists("file:name"))
	a := base.Within(5)
	b := a.Repeats(2)
	c := a.Within(6)
	_ = base.And(Observation(Exists("file:size")))
	for _, tc := range []struct {
		o    Obs
		want string
	}{
		{base, "[EXISTS file:name]"},
		{a, "[EXISTS file:name] WITHIN 5 SECONDS"},
		{b, "[EXISTS file:name] WITHIN 5 SECONDS REPEATS 2 TIMES"},
		{c, "([EXISTS file:name] WITHIN 5 SECONDS) WITHIN 6 SECONDS"},
	} {
		if got, err := tc.o.Text(); err != nil || got != tc.want {
			t.Errorf("got %q, %v; want %q", got, err, tc.want)
		}
	}
	x := Equals("file:name", Str("a"))
	_ = x.Not()
	if x.String() != "file:name = 'a'" {
		t.Errorf("Not changed its receiver: %s", x)
	}
}

func TestBuilderErrors(t *testing.T) {
	t0 := time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		obs  Obs
		want []string // substrings, one per collected error
	}{
		{"bad path", Observation(Equals("file", Str("a"))), []string{`object path "file"`}},
		{"bad path 2", Observation(Equals("file:na-me", Str("a"))), []string{`object path "file:na-me"`}},
		{"keyword type", Observation(Equals("IN:x", Str("a"))), []string{`object path "IN:x"`}},
		{"NaN", Observation(Equals("x-a:b", Float(math.NaN()))), []string{"invalid literal"}},
		{"empty binary", Observation(Equals("x-a:b", Binary(nil))), []string{"invalid literal"}},
		{"year", Observation(Equals("x-a:b", Timestamp(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)))), []string{"invalid literal"}},
		{"bool order", Observation(Greater("x-a:b", Bool(true))), []string{"> cannot compare a boolean"}},
		{"hand-made literal", Observation(Equals("x-a:b", Literal{Kind: IntLit, Text: "01"})), []string{"leading zero"}},
		{"hand-made float", Observation(Equals("x-a:b", Literal{Kind: FloatLit, Text: "1."})), []string{"digits on both sides"}},
		{"hand-made ts", Observation(Equals("x-a:b", Literal{Kind: TimestampLit, Text: "2016"})), []string{"not a valid UTC timestamp"}},
		{"hand-made hex", Observation(Equals("x-a:b", Literal{Kind: HexLit, Text: "f"})), []string{"hexadecimal"}},
		{"hand-made b64", Observation(Equals("x-a:b", Literal{Kind: BinaryLit, Text: "a"})), []string{"not base64"}},
		{"bad utf8", Observation(Equals("x-a:b", Str("\xff"))), []string{"not UTF-8"}},
		{"bad set member", Observation(In("x-a:b", Int(1), Float(math.Inf(1)))), []string{"invalid literal"}},
		{"not compound", Observation(Exists("a-b:c").Or(Exists("a-b:d")).Not()), []string{"NOT applies to a single comparison"}},
		{"empty cmp", Observation(Cmp{}), []string{"empty comparison"}},
		{"empty cmp in and", Observation(Exists("a-b:c").And(Cmp{})), []string{"empty comparison"}},
		{"empty obs", Obs{}, []string{"empty observation"}},
		{"empty obs in or", Observation(Exists("a-b:c")).Or(Obs{}), []string{"empty observation"}},
		{"within", Observation(Exists("a-b:c")).Within(0), []string{"WITHIN needs a positive number"}},
		{"within nan", Observation(Exists("a-b:c")).Within(math.NaN()), []string{"WITHIN needs a positive number"}},
		{"repeats", Observation(Exists("a-b:c")).Repeats(0), []string{"REPEATS needs a positive count"}},
		{"start stop", Observation(Exists("a-b:c")).StartStop(t0, t0), []string{"is not after START"}},
		{"qualify empty", Obs{}.Within(1), []string{"empty observation"}},
		{"several", Observation(Equals("bad", Str("a")).And(Greater("x-a:b", Bool(false)))).Repeats(-1),
			[]string{`object path "bad"`, "cannot compare a boolean", "REPEATS needs"}},
	}
	for _, tc := range tests {
		p, err := tc.obs.Build()
		if err == nil {
			t.Errorf("%s: Build() = %q, want errors", tc.name, p)
			continue
		}
		if !errors.Is(err, ErrBuild) {
			t.Errorf("%s: %v does not wrap ErrBuild", tc.name, err)
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(tc.want) {
			t.Errorf("%s: %d errors %q, want %d", tc.name, len(lines), lines, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("%s: error %d = %q, want …%s…", tc.name, i, lines[i], w)
			}
		}
		if _, err := tc.obs.Text(); err == nil {
			t.Errorf("%s: Text() succeeded", tc.name)
		}
	}
	if err := Observation(Exists("a-b:c")).Err(); err != nil {
		t.Errorf("Err() = %v", err)
	}
	if err := Equals("bad", Int(1)).Err(); !errors.Is(err, ErrBuild) {
		t.Errorf("Cmp.Err() = %v", err)
	}
	var se *SyntaxError
	if !errors.As(Equals("bad", Int(1)).Err(), &se) {
		t.Error("a path error should carry the *SyntaxError")
	}
}

func TestParsePath(t *testing.T) {
	p, err := ParsePath("file:extensions.'windows-pebinary-ext'.sections[*].hashes[-1]")
	if err != nil {
		t.Fatal(err)
	}
	if p.ObjectType != "file" || p.Property() != "extensions" || len(p.Steps) != 6 ||
		p.Steps[1].Key != "windows-pebinary-ext" || p.Steps[3].Kind != StepAnyIndex ||
		p.Steps[5].Kind != StepIndex || p.Steps[5].Index != -1 {
		t.Fatalf("ParsePath = %#v", p)
	}
	if s := p.String(); s != "file:extensions.'windows-pebinary-ext'.sections[*].hashes[-1]" {
		t.Errorf("String = %s", s)
	}
	for _, bad := range []string{"", "file", "file:", "file:a b", "file:a.", "file:a[", "[file:a]", "file:a\xff"} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) succeeded", bad)
		}
	}
	if (ObjectPath{}).Property() != "" {
		t.Error("empty path has a property")
	}
}

func TestBuilderDepth(t *testing.T) {
	o := Observation(Exists("a-b:c"))
	for i := 0; i < DefaultMaxDepth+5; i++ {
		o = o.And(Observation(Exists("a-b:d"))).Or(Observation(Exists("a-b:e")))
	}
	if _, err := o.Build(); err == nil || !strings.Contains(err.Error(), "levels deep") {
		t.Errorf("deep builder: %v", err)
	}
}
