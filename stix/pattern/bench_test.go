package pattern

import "testing"

var benchPatterns = []struct{ name, s string }{
	{"ipv4", "[ipv4-addr:value = '1.2.3.4']"},
	{"sha256", "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']"},
	{"or7", "[domain-name:value = 'www.webserver.freetcp.com' OR ipv4-addr:value = '113.10.246.30' OR ipv4-addr:value = '219.90.112.203' OR ipv4-addr:value = '202.65.220.64' OR ipv4-addr:value = '75.126.95.138' OR ipv4-addr:value = '219.90.112.197' OR ipv4-addr:value = '202.65.222.45']"},
	{"qualified", "[network-traffic:src_port = 37020 AND user-account:user_id = 'root'] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z' OR [ipv4-addr:value = '192.168.122.83'] WITHIN 300 SECONDS"},
}

// BenchmarkParse measures Parse alone.
//
//	go test -run '^$' -bench . -benchmem ./stix/pattern
func BenchmarkParse(b *testing.B) {
	for _, bp := range benchPatterns {
		b.Run(bp.name, func(b *testing.B) {
			b.SetBytes(int64(len(bp.s)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(bp.s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkValidate measures Parse plus Check, what the validator runs per
// indicator.
func BenchmarkValidate(b *testing.B) {
	for _, bp := range benchPatterns {
		b.Run(bp.name, func(b *testing.B) {
			b.SetBytes(int64(len(bp.s)))
			b.ReportAllocs()
			for b.Loop() {
				if errs := Validate(bp.s, CheckOptions{}); errs != nil {
					b.Fatal(errs)
				}
			}
		})
	}
}

// BenchmarkString measures printing a parsed pattern.
func BenchmarkString(b *testing.B) {
	p, err := Parse(benchPatterns[0].s)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = p.String()
	}
}
