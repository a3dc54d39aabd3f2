package schemas

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

// patternWords says in words what the embedded schemas' regular
// expressions expect, so that no finding shows a raw expression.
var patternWords = map[string]string{
	`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?Z$`: "a timestamp (YYYY-MM-DDTHH:mm:ss[.s+]Z, UTC)",
	`^[0-9-]+T[0-9:]+\.[0-9]{3,}Z$`:   "a timestamp with millisecond precision (YYYY-MM-DDTHH:mm:ss.sssZ)",
	`^[0-9-]+T[0-9:]+Z$`:              "a timestamp with second precision (YYYY-MM-DDTHH:mm:ssZ)",
	`^([a-z][a-z0-9_][a-z0-9_]+|id)$`: "a property name (3 to 250 lowercase letters, digits and underscores)",
	`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`:   "a type name (lowercase letters, digits and single hyphens)",
	`^[a-zA-Z0-9_-]+$`:                "a dictionary key (ASCII letters, digits, '_' and '-')",
	`^[a-fA-F0-9]{32}$`:               "a hexadecimal digest of 32 characters",
	`^[a-fA-F0-9]{40}$`:               "a hexadecimal digest of 40 characters",
	`^[a-fA-F0-9]{64}$`:               "a hexadecimal digest of 64 characters",
	`^[a-fA-F0-9]{128}$`:              "a hexadecimal digest of 128 characters",
	`^(T1)?[a-fA-F0-9]{70}$`:          "a TLSH digest (70 hexadecimal characters, optionally after T1)",
	`^([a-fA-F0-9]{2})+$`:             "hexadecimal bytes (pairs of hexadecimal digits)",
	`^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$`: "base64 (RFC 4648)",
	`^([0-9a-f]{2}:){5}[0-9a-f]{2}$`:                               "a MAC address (six lowercase hexadecimal pairs separated by ':')",
	`^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$`:                             "a CVE id (CVE-YYYY-NNNN)",
	`^CAPEC-\d+$`:                                                  "a CAPEC id (CAPEC-N)",
	`^(SO|ICMP|ICMP6|IP|IPV6|MCAST|TCP|IRLMP)_`:                    "a socket option name (SO_, ICMP_, ICMP6_, IP_, IPV6_, MCAST_, TCP_ or IRLMP_ followed by the name)",
	`^[a-zA-Z0-9/+:.]{1,128}$`:                                     "an encryption algorithm name (1 to 128 letters, digits, '/', '+', ':' and '.')",
	`^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$`:                      "a lowercase name of letters, digits and hyphens",
	`^([a-z0-9_-]{3,250}(\.(\[\d+\]|[a-z0-9_-]{1,250}))*|id)$`:     "a granular-marking selector (property names and [index] steps joined by '.')",
	`^[a-z][a-z0-9]*(-[a-z0-9]+)*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`:                            "a STIX identifier (<type>--<RFC 4122 UUID>)",
	`^[a-z][a-z0-9]*(-[a-z0-9]+)*-ext$|^extension-definition--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`: "an extension name (<name>-ext) or an extension-definition id",
}

var (
	refPattern      = regexp.MustCompile(`^\^\(([a-z0-9|-]+)\)--$`)
	prefixPattern   = regexp.MustCompile(`^\^([a-z0-9-]+)--$`)
	reservedPattern = regexp.MustCompile(`\|([a-z-]+)\[\\s\\S\]\)$`)
	ipv4Pattern     = regexp.MustCompile(`^\^\(\(25\[0-5\]`)
	ipv6Pattern     = regexp.MustCompile(`^\^\[0-9A-Fa-f\]\{0,4\}`)
)

// expectation turns a regular expression of the schemas into words.
func expectation(pattern string) string {
	if w, ok := patternWords[pattern]; ok {
		return "is not " + w
	}
	if m := refPattern.FindStringSubmatch(pattern); m != nil {
		types := strings.Split(m[1], "|")
		return "does not refer to " + article(types[0]) + " " + strings.Join(types, " or ") + " object (" + types[0] + "--…)"
	}
	if m := prefixPattern.FindStringSubmatch(pattern); m != nil {
		return "does not start with " + m[1] + "--"
	}
	if m := reservedPattern.FindStringSubmatch(pattern); m != nil {
		return fmt.Sprintf("may not be %q here", m[1])
	}
	if ipv4Pattern.MatchString(pattern) {
		return "is not an IPv4 address or CIDR block"
	}
	if ipv6Pattern.MatchString(pattern) {
		return "is not an IPv6 address or CIDR block"
	}
	return "does not have the form this property requires"
}

func article(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an"
	}
	return "a"
}

// quote renders a value for a message, truncated.
func quote(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// propName names the property at ptr: its last step, "name[3]" for an
// element of a list.
func propName(ptr string) string {
	segs := strings.Split(ptr, "/")
	last := segs[len(segs)-1]
	if _, err := strconv.Atoi(last); err == nil && len(segs) > 2 {
		last = segs[len(segs)-2] + "[" + last + "]"
	}
	return strings.ReplaceAll(strings.ReplaceAll(last, "~1", "/"), "~0", "~")
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number, float64, int:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// message words a gojsonschema error like the validator's own findings:
// the property, the offending value and what is expected.
func message(e gojsonschema.ResultError, ptr string) string {
	prop := propName(ptr)
	if prop == "" {
		prop = "the object"
	}
	d := e.Details()
	v := e.Value()
	switch e.Type() {
	case "required":
		return fmt.Sprintf("%s is required", d["property"])
	case "pattern":
		return fmt.Sprintf("%s: %s %s", prop, quote(v), expectation(fmt.Sprint(d["pattern"])))
	case "invalid_type":
		return fmt.Sprintf("%s: %s is %s, expected %s", prop, quote(v), jsonKind(v), d["expected"])
	case "enum":
		return fmt.Sprintf("%s: %s is not one of %s", prop, quote(v), d["allowed"])
	case "const":
		return fmt.Sprintf("%s: %s must be %s", prop, quote(v), d["allowed"])
	case "number_any_of":
		return fmt.Sprintf("%s: %s has none of the forms this property allows", prop, quote(v))
	case "number_one_of":
		return fmt.Sprintf("%s: %s does not have exactly one of the forms this property allows", prop, quote(v))
	case "number_not":
		return fmt.Sprintf("%s: %s is a form this property does not allow", prop, quote(v))
	case "additional_property_not_allowed":
		return fmt.Sprintf("%s is not allowed here", d["property"])
	case "invalid_property_name":
		return fmt.Sprintf("%s: key %q is not allowed", prop, d["property"])
	case "array_min_items":
		return fmt.Sprintf("%s: the list must have at least %v item(s)", prop, d["min"])
	case "array_no_additional_items", "unique":
		return fmt.Sprintf("%s: %s", prop, e.Description())
	case "string_gte":
		return fmt.Sprintf("%s: %s is shorter than %v characters", prop, quote(v), d["min"])
	case "string_lte":
		return fmt.Sprintf("%s: %s is longer than %v characters", prop, quote(v), d["max"])
	case "number_gte", "number_gt", "number_lte", "number_lt":
		return fmt.Sprintf("%s: %s %s", prop, quote(v), strings.ToLower(e.Description()))
	}
	return fmt.Sprintf("%s: %s", prop, e.Description())
}
