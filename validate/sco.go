package validate

import (
	"regexp"
	"strconv"
	"strings"
)

// protocolName is the form of an IANA service name or protocol keyword
// (the OASIS validator's offline rule for {272}).
var protocolName = regexp.MustCompile(`^[a-zA-Z0-9-]{1,15}$`)

// ipfixName is the form of an IPFIX information element name (lower camel
// case, {273}).
var ipfixName = regexp.MustCompile(`^[a-z][a-zA-Z0-9]+$`)

// httpHeaderName is the form of a request header field name: words of
// letters and digits, each capitalised, joined by hyphens ({274}).
var httpHeaderName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*(-[A-Z0-9][A-Za-z0-9]*)*$`)

// pdfInfoKeys are the keys of a PDF document information dictionary (PDF
// 1.7, ISO 32000-1, 14.3.3).
var pdfInfoKeys = map[string]bool{"Title": true, "Author": true, "Subject": true, "Keywords": true,
	"Creator": true, "Producer": true, "CreationDate": true, "ModDate": true, "Trapped": true}

// propertyName is the form of a STIX property name.
var propertyName = regexp.MustCompile(`^[a-z0-9_]{3,250}$`)

// addrSpec is a bare email address: no display name, no angle brackets,
// no white space.
var addrSpec = regexp.MustCompile(`^[^\s<>@]+@[^\s<>@]+$`)

// cveID is the form of a CVE identifier.
var cveID = regexp.MustCompile(`^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$`)

// scoShoulds runs the checks of observable property values that the OASIS
// validator makes as SHOULDs (27x), and the MUST rules of the
// specification the schemas leave out.
func (c *objCheck) scoShoulds() {
	m := c.m
	switch c.typ {
	case "network-traffic":
		if l, ok := m["protocols"].([]any); ok && c.on("272") {
			for i, e := range l {
				s, ok := e.(string)
				if !ok {
					continue
				}
				if !protocolName.MatchString(s) {
					c.add("272", "/protocols/"+itoa(i), "protocol %q is not an IANA service name or protocol keyword (letters, digits and hyphens, at most 15)", trunc(s))
				} else if s != strings.ToLower(s) {
					c.add("272", "/protocols/"+itoa(i), "protocol %q should be lower case", trunc(s))
				}
			}
		}
		if d, ok := m["ipfix"].(map[string]any); ok && c.on("273") {
			for k := range d {
				if !ipfixName.MatchString(k) {
					c.add("273", "/ipfix/"+escape(k), "ipfix key %q is not an IPFIX information element name (lower camel case, such as minimumIpTotalLength)", trunc(k))
				}
			}
		}
		ext, _ := m["extensions"].(map[string]any)
		if se, ok := ext["socket-ext"].(map[string]any); ok && c.on("275") {
			if opts, ok := se["options"].(map[string]any); ok {
				for k := range opts {
					if !regSocketOptions.has(k) && hasSocketPrefix(k) { // a bad prefix is a MUST finding already
						c.add("275", "/extensions/socket-ext/options/"+escape(k), "socket option %q is not a known socket option name (such as SO_REUSEADDR or TCP_NODELAY)", trunc(k))
					}
				}
			}
		}
		if hr, ok := ext["http-request-ext"].(map[string]any); ok && c.on("274") {
			if h, ok := hr["request_header"].(map[string]any); ok {
				for k := range h {
					if !httpHeaderName.MatchString(k) {
						c.add("274", "/extensions/http-request-ext/request_header/"+escape(k), "request_header key %q is not an HTTP request header name as written (capitalised words joined by hyphens, such as Accept-Encoding)", trunc(k))
					}
				}
			}
		}
	case "email-addr":
		if v, ok := m["value"].(string); ok && !addrSpec.MatchString(v) {
			c.add(CodeConstraint, "/value", "value %q is not a bare email address (local-part@domain): it MUST NOT include the display name", trunc(v))
		}
	case "file":
		ext, _ := m["extensions"].(map[string]any)
		if pdf, ok := ext["pdf-ext"].(map[string]any); ok && c.on("276") {
			if d, ok := pdf["document_info_dict"].(map[string]any); ok {
				for k := range d {
					if !pdfInfoKeys[k] {
						c.add("276", "/extensions/pdf-ext/document_info_dict/"+escape(k), "document_info_dict key %q is not a PDF document information key (Title, Author, Subject, Keywords, Creator, Producer, CreationDate, ModDate, Trapped)", trunc(k))
					}
				}
			}
		}
	case "windows-registry-key":
		if k, ok := m["key"].(string); ok {
			up := strings.ToUpper(k)
			for _, abbr := range []string{"HKLM", "HKCC", "HKCR", "HKCU", "HKU"} {
				if up == abbr || strings.HasPrefix(up, abbr+`\`) {
					c.add(CodeConstraint, "/key", "key %q starts with the abbreviation %s: the specification says the full hive name MUST be used (e.g. HKEY_LOCAL_MACHINE)", trunc(k), abbr)
					break
				}
			}
		}
	case "language-content":
		if cm, ok := m["contents"].(map[string]any); ok {
			for lang, v := range cm {
				sub, ok := v.(map[string]any)
				if !ok {
					continue
				}
				for k := range sub {
					if !propertyName.MatchString(k) {
						c.add(CodeConstraint, "/contents/"+escape(lang)+"/"+escape(k), "%q is not a property name: the keys of each contents dictionary MUST be property names of the object referred to", trunc(k))
					}
				}
			}
		}
	case "vulnerability":
		if refs, ok := m["external_references"].([]any); ok {
			for i, r := range refs {
				er, _ := r.(map[string]any)
				if sn, _ := er["source_name"].(string); sn != "cve" && strings.EqualFold(sn, "cve") && c.on("vulnerability-cve") {
					c.add("vulnerability-cve", "/external_references/"+itoa(i)+"/source_name", "source_name %q should be \"cve\" (lower case) for a CVE reference", sn)
				}
				if er["source_name"] != "cve" {
					continue
				}
				id, _ := er["external_id"].(string)
				if !cveID.MatchString(id) {
					c.add(CodeConstraint, "/external_references/"+itoa(i)+"/external_id", "external_id %q of the cve reference is not a CVE id (CVE-YYYY-NNNN): with source_name cve, external_id MUST be the CVE id", trunc(id))
				}
			}
		}
	case "extension-definition":
		types, _ := m["extension_types"].([]any)
		_, hasProps := m["extension_properties"]
		top := hasString(types, "toplevel-property-extension")
		switch {
		case top && !hasProps:
			c.add("306", "/extension_properties", "extension_types has toplevel-property-extension: extension_properties MUST then be present")
		case hasProps && !top:
			c.add("306", "/extension_properties", "extension_properties MUST only be used with extension_types toplevel-property-extension")
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func hasSocketPrefix(k string) bool {
	for _, pre := range socketOptionPrefixes {
		if strings.HasPrefix(k, pre) {
			return true
		}
	}
	return false
}

// trunc shortens a value quoted in a message.
func trunc(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
