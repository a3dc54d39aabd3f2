package words

import "testing"

func TestA(t *testing.T) {
	for in, want := range map[string]string{
		"email-message":    "an email-message",
		"indicator":        "an indicator",
		"identity":         "an identity",
		"observed-data":    "an observed-data",
		"attack-pattern":   "an attack-pattern",
		"ipv4-addr":        "an ipv4-addr",
		"x509-certificate": "an x509-certificate",
		"x-acme-org":       "an x-acme-org",
		"url":              "a url",
		"user-account":     "a user-account",
		"malware":          "a malware",
		"file":             "a file",
		"":                 "a",
	} {
		if got := A(in); got != want {
			t.Errorf("A(%q) = %q, want %q", in, got, want)
		}
	}
}
