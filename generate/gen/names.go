package gen

import (
	"strings"
	"unicode"
)

// words maps lower-case words of JSON and type names to their Go spelling
// (initialisms and compound words). It is the single naming table.
var words = map[string]string{
	"id": "ID", "ids": "IDs", "url": "URL", "uri": "URI", "ip": "IP", "ipv4": "IPv4", "ipv6": "IPv6",
	"mac": "MAC", "cpe": "CPE", "swid": "SWID", "pdf": "PDF", "ntfs": "NTFS", "http": "HTTP",
	"icmp": "ICMP", "tcp": "TCP", "udp": "UDP", "x509": "X509", "pid": "PID", "cwd": "CWD",
	"mime": "MIME", "tlp": "TLP", "pe": "PE", "pebinary": "PEBinary", "api": "API", "dns": "DNS",
	"gid": "GID", "uid": "UID", "os": "OS", "sha256": "SHA256", "md5": "MD5", "ssl": "SSL",
	"tls": "TLS", "sco": "SCO", "sdo": "SDO", "sro": "SRO", "json": "JSON", "v3": "V3",
	"ov": "OV", "dll": "DLL", "ttl": "TTL", "utc": "UTC", "lsb": "LSB", "msb": "MSB", "iso": "ISO",
}

// goName turns a JSON property or STIX type name into an exported Go name:
// words split at '_', '-', '.', ' ' and ':' are capitalised, initialisms
// spelled from the words table; a leading digit gets a 'V' prefix.
func goName(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '_' || r == '-' || r == '.' || r == ' ' || r == ':' || r == '/' || r == '+'
	}) {
		lw := strings.ToLower(w)
		if sp, ok := words[lw]; ok {
			b.WriteString(sp)
			continue
		}
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	out := b.String()
	// keep only letters and digits
	out = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, out)
	if out == "" {
		return "X"
	}
	if unicode.IsDigit([]rune(out)[0]) {
		out = "V" + out
	}
	return out
}

// vocabName names the Go type of a vocabulary definition:
// "indicator-type-ov" → IndicatorType, "opinion-enum" → Opinion.
func vocabName(def string) string {
	def = strings.TrimSuffix(strings.TrimSuffix(def, "-ov"), "-enum")
	return goName(def)
}
