package words

// A returns noun with its indefinite article, chosen by how STIX type
// names are read: "an indicator", "an x509-certificate", "an x-acme-org",
// but "a url", "a user-account", "a malware".
func A(noun string) string {
	if noun == "" {
		return "a"
	}
	switch noun[0] {
	case 'a', 'e', 'i', 'o', 'x', 'A', 'E', 'I', 'O', 'X':
		return "an " + noun
	}
	return "a " + noun
}
