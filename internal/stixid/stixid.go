package stixid

import "strings"

// Problem returns what is wrong with the identifier s ("" when it has the
// form <type>--<uuid>).
func Problem(s string) string {
	i := strings.Index(s, "--")
	if i <= 0 || len(s)-i-2 != 36 {
		return "want <object-type>--<UUID>"
	}
	if !ValidTypeName(s[:i]) {
		return "\"" + s[:i] + "\" is not a valid object type name"
	}
	if !ValidUUID(s[i+2:]) {
		return "\"" + s[i+2:] + "\" is not an RFC 4122 UUID"
	}
	return ""
}

// ValidUUID checks 8-4-4-4-12 hex (either case) with the RFC 4122 variant.
func ValidUUID(u string) bool {
	if len(u) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := u[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	v := u[19] // variant nibble: 8, 9, a or b
	return v == '8' || v == '9' || v == 'a' || v == 'b' || v == 'A' || v == 'B'
}

// ValidTypeName reports whether s is a STIX object type name: lower-case
// ASCII letters, digits and hyphens, starting with a letter, 3–250 chars.
func ValidTypeName(s string) bool {
	if len(s) < 3 || len(s) > 250 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
