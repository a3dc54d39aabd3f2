package stix

import "sort"

// relationships lists, per source type and relationship type, the target
// types the STIX 2.1 specification defines ("sco" stands for any
// cyber-observable). The common relationships (derived-from, duplicate-of,
// related-to) are allowed between any objects and are not listed.
var relationships = map[string]map[string][]string{
	"attack-pattern": {
		"delivers": {"malware"},
		"targets":  {"identity", "location", "vulnerability"},
		"uses":     {"malware", "tool"},
	},
	"campaign": {
		"attributed-to":   {"intrusion-set", "threat-actor"},
		"compromises":     {"infrastructure"},
		"originates-from": {"location"},
		"targets":         {"identity", "location", "vulnerability"},
		"uses":            {"attack-pattern", "infrastructure", "malware", "tool"},
	},
	"course-of-action": {
		"investigates": {"indicator"},
		"mitigates":    {"attack-pattern", "indicator", "malware", "tool", "vulnerability"},
		"remediates":   {"malware", "vulnerability"},
	},
	"identity": {
		"located-at": {"location"},
	},
	"indicator": {
		"indicates": {"attack-pattern", "campaign", "infrastructure", "intrusion-set", "malware", "threat-actor", "tool"},
		"based-on":  {"observed-data"},
	},
	"infrastructure": {
		"communicates-with": {"infrastructure", "ipv4-addr", "ipv6-addr", "domain-name", "url"},
		"consists-of":       {"infrastructure", "observed-data", "sco"},
		"controls":          {"infrastructure", "malware"},
		"delivers":          {"malware"},
		"has":               {"vulnerability"},
		"hosts":             {"tool", "malware"},
		"located-at":        {"location"},
		"uses":              {"infrastructure"},
	},
	"intrusion-set": {
		"attributed-to":   {"threat-actor"},
		"compromises":     {"infrastructure"},
		"hosts":           {"infrastructure"},
		"owns":            {"infrastructure"},
		"originates-from": {"location"},
		"targets":         {"identity", "location", "vulnerability"},
		"uses":            {"attack-pattern", "infrastructure", "malware", "tool"},
	},
	"malware": {
		"authored-by":       {"threat-actor", "intrusion-set"},
		"beacons-to":        {"infrastructure"},
		"exfiltrates-to":    {"infrastructure"},
		"communicates-with": {"ipv4-addr", "ipv6-addr", "domain-name", "url"},
		"controls":          {"malware"},
		"downloads":         {"malware", "tool", "file"},
		"drops":             {"malware", "tool", "file"},
		"exploits":          {"vulnerability"},
		"originates-from":   {"location"},
		"targets":           {"identity", "infrastructure", "location", "vulnerability"},
		"uses":              {"attack-pattern", "infrastructure", "malware", "tool"},
		"variant-of":        {"malware"},
	},
	"malware-analysis": {
		"characterizes":       {"malware"},
		"analysis-of":         {"malware"},
		"static-analysis-of":  {"malware"},
		"dynamic-analysis-of": {"malware"},
	},
	"threat-actor": {
		"attributed-to": {"identity"},
		"compromises":   {"infrastructure"},
		"hosts":         {"infrastructure"},
		"owns":          {"infrastructure"},
		"impersonates":  {"identity"},
		"located-at":    {"location"},
		"targets":       {"identity", "location", "vulnerability"},
		"uses":          {"attack-pattern", "infrastructure", "malware", "tool"},
	},
	"tool": {
		"delivers": {"malware"},
		"drops":    {"malware"},
		"has":      {"vulnerability"},
		"targets":  {"identity", "infrastructure", "location", "vulnerability"},
		"uses":     {"infrastructure"},
	},
}

// commonRelationships are allowed between any two objects.
var commonRelationships = map[string]bool{"derived-from": true, "duplicate-of": true, "related-to": true}

// specRelationshipTypes holds every relationship type the tables define.
var specRelationshipTypes = func() map[string]bool {
	m := map[string]bool{}
	for _, rels := range relationships {
		for r := range rels {
			m[r] = true
		}
	}
	return m
}()

// RelationshipAllowed reports whether the specification defines
// relationshipType from an object of type src to one of type dst. Common
// relationships are always allowed. Relationships the specification does
// not know (custom relationship types, or custom source or target types)
// are allowed too: known reports whether the verdict comes from the
// specification's tables.
func RelationshipAllowed(src, relationshipType, dst string) (allowed, known bool) {
	if commonRelationships[relationshipType] {
		return true, true
	}
	rels, ok := relationships[src]
	if !ok || !specRelationshipTypes[relationshipType] || !isSpecType(dst) {
		return true, false
	}
	for _, t := range rels[relationshipType] {
		if t == dst || (t == "sco" && isSCOType(dst)) {
			return true, true
		}
	}
	return false, true
}

// RelationshipTypes returns, sorted, the relationship types the
// specification defines from objects of type src (common ones excluded),
// and whether it lists any for src.
func RelationshipTypes(src string) ([]string, bool) {
	rels, ok := relationships[src]
	out := make([]string, 0, len(rels))
	for r := range rels {
		out = append(out, r)
	}
	sort.Strings(out)
	return out, ok
}

// CommonRelationshipTypes returns the relationship types allowed between
// any two objects.
func CommonRelationshipTypes() []string {
	return []string{"derived-from", "duplicate-of", "related-to"}
}

// RelationshipTargets returns, sorted, the target types the specification
// defines for relationshipType from src.
func RelationshipTargets(src, relationshipType string) []string {
	out := append([]string(nil), relationships[src][relationshipType]...)
	sort.Strings(out)
	return out
}

func isSpecType(t string) bool {
	info, ok := Info(t)
	return ok && info.Category != "extension" && info.Category != "embedded"
}

func isSCOType(t string) bool {
	info, ok := Info(t)
	return ok && info.Category == "sco"
}
