package validate

import (
	"sort"
	"strings"
	"sync"
)

// Severity says whether a check reports errors or warnings.
type Severity int

const (
	// Must checks report errors: the content breaks a MUST of the
	// specification (or is not readable at all).
	Must Severity = iota
	// Should checks report warnings (errors under Options.Strict): the
	// content departs from a SHOULD of the specification.
	Should
)

// Check describes one check of the validator.
type Check struct {
	// Code is the stable code carried by findings: "json", "parse",
	// "schema", "must-…" for MUST checks, the OASIS validator's number
	// ("101", "202"…) for SHOULD checks.
	Code string
	// Name is the check's name ("custom-prefix"…); for MUST checks it
	// equals Code.
	Name string
	// Severity is Must or Should.
	Severity Severity
	// Doc is a one-line description.
	Doc string
	// OffByDefault marks checks that only run when enabled explicitly.
	OffByDefault bool
}

// Codes of the MUST checks and of the input layers.
const (
	CodeJSON            = "json"                  // malformed JSON: the input ends there
	CodeParse           = "parse"                 // an element that is not a decodable STIX object
	CodeSchema          = "schema"                // JSON schema (finding codes "schema/<keyword>")
	CodeID              = "must-id"               // the id does not name the object's type
	CodeSpecVersion     = "must-spec-version"     // an object's spec_version
	CodeTimestamp       = "must-timestamp"        // a timestamp that is not a real instant
	CodeTimestampOrder  = "must-timestamp-order"  // modified ≥ created, last ≥ first…
	CodeRefType         = "must-ref-type"         // a reference to a type the property does not allow
	CodeMarkingCircular = "must-marking-circular" // a marking definition marking itself
	CodeSelector        = "must-selector"         // a granular-marking selector that does not resolve
	CodeSCOIDVersion    = "must-sco-id-version"   // SCO id UUID version (v4 without id-contributing properties, process)
	CodeLang            = "must-lang"             // a language tag that is not RFC 5646
	CodePattern         = "must-pattern"          // STIX pattern syntax or names
	CodeTLP             = "must-tlp"              // a TLP marking definition that differs from the published one
	CodeConstraint      = "must-constraint"       // co-constraints between properties
	CodeBundle          = "must-bundle"           // the bundle envelope
	CodeDuplicateID     = "must-duplicate-id"     // same id and modified, different content
	CodeDanglingRef     = "must-dangling-ref"     // a reference not resolved inside the bundle (Options.EnforceRefs)
	CodeCustom          = "custom"                // custom content (Options.DisallowCustom)
	CodeRegistry        = "must-registry"         // a value the specification says MUST come from a registry
)

// checks is the table of every check, MUST first.
var checks = []Check{
	{Code: CodeJSON, Severity: Must, Doc: "the input is well-formed JSON (RFC 8259, UTF-8, no duplicate keys)"},
	{Code: CodeParse, Severity: Must, Doc: "each element of objects is a STIX object that decodes"},
	{Code: CodeSchema, Severity: Must, Doc: "each object matches the JSON schema of its type"},
	{Code: CodeID, Severity: Must, Doc: "an id is <type>--<UUID> where <type> \"MUST be the exact value of the type property of the object being identified\""},
	{Code: CodeSpecVersion, Severity: Must, Doc: "spec_version \"MUST be 2.1 for STIX Objects defined according to this specification\" (objects without one are STIX 2.0 objects)"},
	{Code: CodeTimestamp, Severity: Must, Doc: "timestamps are real instants (RFC 3339 dates and times, \"MUST be a valid RFC 3339-formatted timestamp\")"},
	{Code: CodeTimestampOrder, Severity: Must, Doc: "orderings the specification states with MUST: modified \"MUST be later than or equal to\" created, last_seen ≥ first_seen, valid_until \"MUST be greater than\" valid_from, stop_time > start_time and the others"},
	{Code: CodeRefType, Severity: Must, Doc: "a reference points at a type its property allows (e.g. created_by_ref \"MUST\" refer to an identity, where_sighted_refs to identity or location)"},
	{Code: CodeMarkingCircular, Severity: Must, Doc: "marking definitions do not mark themselves"},
	{Code: CodeSelector, Severity: Must, Doc: "granular marking selectors resolve inside the object"},
	{Code: CodeSCOIDVersion, Severity: Must, Doc: "SCOs without id-contributing properties (and processes) use UUIDv4"},
	{Code: CodeLang, Severity: Must, Doc: "language tags are RFC 5646 tags (\"MUST be a language code conformant to [RFC5646]\") whose language, script and region subtags are registered"},
	{Code: CodePattern, Severity: Must, Doc: "STIX patterns parse and name valid object types and properties"},
	{Code: CodeTLP, Severity: Must, Doc: "the published TLP marking definitions \"MUST be used to reference or represent TLP markings\": their ids, created dates and definitions"},
	{Code: CodeConstraint, Severity: Must, Doc: "co-constraints the specification states with MUST: network-traffic end MUST NOT be present when is_active is true; socket-ext options keys MUST be SO_/ICMP_/IP_/TCP_… names with integer values; windows-registry-key key MUST use the full hive name, not HKLM…; language-content contents keys MUST be property names; email-addr value MUST NOT include the display name; an artifact MUST have one of payload_bin and url; a cve external reference's external_id MUST be the CVE id; email and artifact exclusivity rules"},
	{Code: CodeBundle, Severity: Must, Doc: "the bundle envelope: type \"MUST be bundle\", id a bundle identifier, objects (optional) an array of one or more objects, no duplicate members; with --version 2.0, a STIX 2.0 bundle's spec_version"},
	{Code: CodeDuplicateID, Severity: Must, Doc: "objects with the same id and modified have the same content (a new version \"MUST\" have a new modified timestamp)"},
	{Code: CodeDanglingRef, Severity: Must, Doc: "references resolve inside the bundle (only with EnforceRefs)"},
	{Code: CodeRegistry, Severity: Must, Doc: "values that MUST come from a registry: artifact mime_type (\"MUST be a valid MIME type as specified in the IANA Media Types registry\"), file name_enc and directory path_enc (\"MUST be specified using the corresponding name from the ... IANA character set registry\"), software languages (\"MUST be a language code conformant to ISO 639-2\"), software cpe (\"MUST be a CPE v2.3 entry\", checked for its syntax)"},
	{Code: CodeCustom, Severity: Must, Doc: "no custom content (only with --strict-types, --strict-properties or --disallow-custom)"},

	{Code: "101", Name: "custom-prefix", Severity: Should, Doc: "custom types and properties are x-<source>-<name> / x_<source>_<name>"},
	{Code: "102", Name: "custom-prefix-lax", Severity: Should, Doc: "custom types and properties start with x- / x_ (runs when 101 is off)", OffByDefault: true},
	{Code: "103", Name: "uuid-check", Severity: Should, Doc: "SCO ids are UUIDv5 computed from the id-contributing properties; other ids UUIDv4"},
	{Code: "111", Name: "open-vocab-format", Severity: Should, Doc: "open vocabulary values are lowercase with hyphens"},
	{Code: "121", Name: "kill-chain-names", Severity: Should, Doc: "kill chain and phase names are lowercase with hyphens"},
	{Code: "141", Name: "observable-object-keys", Severity: Should, Doc: "keys of observed-data objects are non-negative integers"},
	{Code: "142", Name: "observable-dictionary-keys", Severity: Should, Doc: "dictionary keys of observables are lowercase ASCII letters, digits and underscores"},
	{Code: "143", Name: "malware-analysis-product", Severity: Should, Doc: "malware-analysis product is lowercase with hyphens"},
	{Code: "149", Name: "windows-process-priority-format", Severity: Should, Doc: "windows-process-ext priority ends in _CLASS"},
	{Code: "150", Name: "hash-length", Severity: Should, Doc: "hash algorithm names are at most 30 characters"},
	{Code: "201", Name: "marking-definition-type", Severity: Should, Doc: "definition_type is tlp or statement"},
	{Code: "202", Name: "relationship-types", Severity: Should, Doc: "relationship types are those the specification defines for the source and target types"},
	{Code: "203", Name: "duplicate-ids", Severity: Should, Doc: "objects with the same id have different modified timestamps"},
	{Code: "211", Name: "attack-motivation", Severity: Should, Doc: "values from attack-motivation-ov"},
	{Code: "212", Name: "attack-resource-level", Severity: Should, Doc: "values from attack-resource-level-ov"},
	{Code: "213", Name: "identity-class", Severity: Should, Doc: "values from identity-class-ov"},
	{Code: "214", Name: "indicator-types", Severity: Should, Doc: "values from indicator-type-ov"},
	{Code: "215", Name: "industry-sector", Severity: Should, Doc: "values from industry-sector-ov"},
	{Code: "216", Name: "malware-types", Severity: Should, Doc: "values from malware-type-ov"},
	{Code: "218", Name: "report-types", Severity: Should, Doc: "values from report-type-ov"},
	{Code: "219", Name: "threat-actor-types", Severity: Should, Doc: "values from threat-actor-type-ov"},
	{Code: "220", Name: "threat-actor-role", Severity: Should, Doc: "values from threat-actor-role-ov"},
	{Code: "221", Name: "threat-actor-sophistication", Severity: Should, Doc: "values from threat-actor-sophistication-ov"},
	{Code: "222", Name: "tool-types", Severity: Should, Doc: "values from tool-type-ov"},
	{Code: "223", Name: "region", Severity: Should, Doc: "values from region-ov"},
	{Code: "225", Name: "grouping-context", Severity: Should, Doc: "values from grouping-context-ov"},
	{Code: "226", Name: "implementation-languages", Severity: Should, Doc: "values from implementation-language-ov"},
	{Code: "227", Name: "infrastructure-types", Severity: Should, Doc: "values from infrastructure-type-ov"},
	{Code: "228", Name: "malware-capabilities", Severity: Should, Doc: "values from malware-capabilities-ov"},
	{Code: "230", Name: "processor-architecture", Severity: Should, Doc: "values from processor-architecture-ov"},
	{Code: "231", Name: "malware-result", Severity: Should, Doc: "values from malware-result-ov"},
	{Code: "241", Name: "hash-algo", Severity: Should, Doc: "hash algorithm names from hash-algorithm-ov"},
	{Code: "243", Name: "windows-pebinary-type", Severity: Should, Doc: "values from windows-pebinary-type-ov"},
	{Code: "244", Name: "account-type", Severity: Should, Doc: "values from account-type-ov"},
	{Code: "245", Name: "indicator-pattern-types", Severity: Should, Doc: "values from pattern-type-ov"},
	{Code: "271", Name: "mime-type", Severity: Should, Doc: "file mime_type and email content_type values are in the IANA Media Types registry"},
	{Code: "272", Name: "protocols", Severity: Should, Doc: "network-traffic protocols are lower-case IANA service names or protocol keywords"},
	{Code: "273", Name: "ipfix", Severity: Should, Doc: "network-traffic ipfix keys are IPFIX information element names"},
	{Code: "274", Name: "http-request-headers", Severity: Should, Doc: "http-request-ext request_header keys are HTTP header names"},
	{Code: "275", Name: "socket-options", Severity: Should, Doc: "socket-ext options keys are known socket option names (Linux headers and Windows names)"},
	{Code: "276", Name: "pdf-doc-info", Severity: Should, Doc: "pdf-ext document_info_dict keys are PDF document information keys"},
	{Code: "277", Name: "countries", Severity: Should, Doc: "location country is an ISO 3166-1 alpha-2 code"},
	{Code: "301", Name: "network-traffic-ports", Severity: Should, Doc: "network-traffic has src_port and dst_port"},
	{Code: "302", Name: "extref-hashes", Severity: Should, Doc: "external references with a url have hashes"},
	{Code: "303", Name: "indicator-properties", Severity: Should, Doc: "indicators have a name and a description"},
	{Code: "304", Name: "deprecated-properties", Severity: Should, Doc: "deprecated properties (observed-data objects) are not used"},
	{Code: "305", Name: "extension-description", Severity: Should, Doc: "extension definitions have a description"},
	{Code: "306", Name: "extension-properties", Severity: Must, Doc: "extension definitions: extension_properties MUST be present with, and only with, extension_types toplevel-property-extension (an error, not the OASIS validator's warning)"},
	{Code: "401", Name: "extensions-use", Severity: Should, Doc: "custom objects and properties use extension definitions"},
	{Code: "spec-version-mixed", Severity: Should, Doc: "the objects of a bundle share one spec_version"},
	{Code: "vulnerability-cve", Severity: Should, Doc: "a CVE external reference's source_name is \"cve\" in lower case"},
	{Code: "sco-id-mismatch", Severity: Should, Doc: "an SCO's UUIDv5 id is the one computed from its id-contributing properties"},
}

// groups are the OASIS group codes and names: each stands for its members.
var groups = map[string]func(c Check) bool{
	"1":             func(c Check) bool { return c.Severity == Should && strings.HasPrefix(c.Code, "1") },
	"format-checks": func(c Check) bool { return c.Severity == Should && strings.HasPrefix(c.Code, "1") },
	"2":             func(c Check) bool { return c.Severity == Should && strings.HasPrefix(c.Code, "2") },
	"approved-values": func(c Check) bool {
		return c.Severity == Should && strings.HasPrefix(c.Code, "2")
	},
	"210":        func(c Check) bool { return c.Severity == Should && c.Code > "210" && c.Code < "250" },
	"all-vocabs": func(c Check) bool { return c.Severity == Should && c.Code > "210" && c.Code < "250" },
	"all":        func(c Check) bool { return c.Severity == Should },
	"schema":     func(c Check) bool { return c.Code == CodeSchema },
	"must":       func(c Check) bool { return c.Severity == Must && c.Code != CodeJSON && c.Code != CodeParse },
}

// Checks returns the table of checks, MUST checks first, then the SHOULD
// checks by code.
func Checks() []Check {
	out := append([]Check(nil), checks...)
	for i := range out {
		if out[i].Name == "" {
			out[i].Name = out[i].Code
		}
	}
	return out
}

// lookup resolves a code, name or group to the codes it stands for.
func lookup(s string) ([]string, bool) {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, "{}")
	if g, ok := groups[s]; ok {
		var out []string
		for _, c := range checks {
			if g(c) {
				out = append(out, c.Code)
			}
		}
		return out, true
	}
	for _, c := range checks {
		if c.Code == s || c.Name == s {
			return []string{c.Code}, true
		}
	}
	return nil, false
}

// config is the resolved set of enabled checks.
type config struct {
	on map[string]bool
}

// allMust reports whether every MUST check is enabled.
func (c *config) allMust() bool {
	for _, ch := range checks {
		if ch.Severity == Must && !c.on[ch.Code] {
			return false
		}
	}
	return true
}

// UnknownCheckError reports a code or name in Options.Enable or
// Options.Disable that names no check.
type UnknownCheckError struct {
	Name string
}

// Error names the unknown check.
func (e *UnknownCheckError) Error() string {
	return "validate: unknown check " + `"` + e.Name + `"` + " (see stixkit validate --list)"
}

// resolve computes the enabled checks: every check on by default (MUST
// always, SHOULD unless OffByDefault); a non-empty Enable restricts the
// SHOULD checks to those listed; Disable then turns checks off.
func resolve(enable, disable []string) (*config, error) {
	cfg := &config{on: map[string]bool{}}
	var enabled []string
	for _, e := range splitList(enable) {
		cs, ok := lookup(e)
		if !ok {
			return nil, &UnknownCheckError{Name: e}
		}
		enabled = append(enabled, cs...)
	}
	for _, c := range checks {
		switch {
		case c.Severity == Must:
			cfg.on[c.Code] = true
		case len(enabled) == 0:
			cfg.on[c.Code] = !c.OffByDefault
		}
	}
	for _, c := range enabled {
		cfg.on[c] = true
	}
	for _, d := range splitList(disable) {
		cs, ok := lookup(d)
		if !ok {
			return nil, &UnknownCheckError{Name: d}
		}
		for _, c := range cs {
			cfg.on[c] = false
		}
	}
	// The lax prefix rule stands in for the strict one when that is off.
	if !cfg.on["101"] && len(enabled) == 0 && !contains(splitList(disable), "102", "custom-prefix-lax") {
		cfg.on["102"] = true
	}
	return cfg, nil
}

func contains(list []string, names ...string) bool {
	for _, l := range list {
		for _, n := range names {
			if l == n {
				return true
			}
		}
	}
	return false
}

// splitList splits comma-separated entries and drops empty ones.
func splitList(in []string) []string {
	var out []string
	for _, s := range in {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, strings.Trim(p, "{}"))
			}
		}
	}
	return out
}

func (c *config) enabled(code string) bool { return c.on[code] }

// EnabledCodes lists the codes of the checks a given Enable/Disable pair
// turns on, sorted.
func EnabledCodes(enable, disable []string) ([]string, error) {
	cfg, err := resolve(enable, disable)
	if err != nil {
		return nil, err
	}
	var out []string
	for c, on := range cfg.on {
		if on {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out, nil
}

// severities indexes the severity of each check by code (the first entry
// of checks wins, as in a scan of the list).
var severities = sync.OnceValue(func() map[string]Severity {
	m := make(map[string]Severity, len(checks))
	for _, c := range checks {
		if _, dup := m[c.Code]; !dup {
			m[c.Code] = c.Severity
		}
	}
	return m
})

func severityOf(code string) Severity {
	if s, ok := severities()[code]; ok {
		return s
	}
	if strings.HasPrefix(code, CodeSchema) {
		return Must
	}
	return Must
}
