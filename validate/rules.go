package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/stixkit/stixkit/stix"
	"github.com/stixkit/stixkit/stix/pattern"
)

// checkPattern parses STIX patterns of indicators and checks their names.
func (c *objCheck) checkPattern() {
	if c.typ != "indicator" || !c.on(CodePattern) {
		return
	}
	if pt, _ := c.m["pattern_type"].(string); pt != "stix" {
		return
	}
	src, ok := c.m["pattern"].(string)
	if !ok || c.schemaAt["/pattern"] {
		return
	}
	// As in the OASIS validator, the prefix rules apply to pattern names
	// only when extensions-use (401) is off: STIX 2.1 custom types may be
	// defined by extensions and need no prefix. They are SHOULDs.
	ext := c.on("401")
	opt := pattern.CheckOptions{SkipCustomPrefix: ext || !c.on("101"), SkipCustomPrefixLax: ext || (!c.on("102") && !c.on("101")),
		DisallowCustomTypes: c.v.opt.StrictTypes, DisallowCustomProperties: c.v.opt.StrictProperties}
	for _, err := range pattern.Validate(src, opt) {
		var se *pattern.SyntaxError
		var ce *pattern.CheckError
		switch {
		case errors.As(err, &se):
			c.add(CodePattern, "/pattern", "pattern syntax error at line %d, column %d (byte %d): %s", se.Line, se.Column, se.Offset, se.Msg)
		case errors.As(err, &ce):
			code := CodePattern
			switch ce.Rule {
			case "custom-prefix":
				code = "101"
			case "custom-prefix-lax":
				code = "102"
			case "custom-type", "custom-property":
				code = CodeCustom
			}
			if ce.Line > 0 {
				c.add(code, "/pattern", "at line %d, column %d: %s", ce.Line, ce.Column, ce.Msg)
			} else {
				c.add(code, "/pattern", "%s", ce.Msg)
			}
		default:
			c.add(CodePattern, "/pattern", "%s", err.Error())
		}
	}
}

// socketOptionPrefixes are the prefixes socket-ext options keys MUST use.
var socketOptionPrefixes = []string{"SO_", "ICMP_", "ICMP6_", "IP_", "IPV6_", "MCAST_", "TCP_", "IRLMP_"}

// checkConstraints checks the co-constraints between properties that the
// schemas leave out.
func (c *objCheck) checkConstraints() {
	m := c.m
	switch c.typ {
	case "network-traffic":
		if active, _ := m["is_active"].(bool); active {
			if _, ok := m["end"]; ok {
				c.add(CodeConstraint, "/end", "end must not be present when is_active is true")
			}
		}
		if ext, ok := m["extensions"].(map[string]any); ok {
			if se, ok := ext["socket-ext"].(map[string]any); ok {
				if opts, ok := se["options"].(map[string]any); ok {
					for k, v := range opts {
						p := "/extensions/socket-ext/options/" + escape(k)
						okp := false
						for _, pre := range socketOptionPrefixes {
							if strings.HasPrefix(k, pre) {
								okp = true
							}
						}
						if !okp {
							c.add(CodeConstraint, p, "socket option %q must start with one of %s", k, strings.Join(socketOptionPrefixes, ", "))
						}
						if n, ok := v.(jsonNumber); !ok || !isInteger(string(n)) {
							c.add(CodeConstraint, p, "socket option values must be integers")
						}
					}
				}
			}
		}
	case "email-message":
		mp, _ := m["is_multipart"].(bool)
		if _, ok := m["body"]; ok && mp {
			c.add(CodeConstraint, "/body", "body must not be present when is_multipart is true")
		}
		if _, ok := m["body_multipart"]; ok && !mp {
			c.add(CodeConstraint, "/body_multipart", "body_multipart requires is_multipart true")
		}
	case "language-content":
		if cm, ok := m["contents"].(map[string]any); ok {
			for k := range cm {
				c.lang(k, "/contents/"+escape(k))
			}
		}
	case "artifact":
		_, pb := m["payload_bin"]
		_, u := m["url"]
		if pb && u {
			c.add(CodeConstraint, "/url", "payload_bin and url are mutually exclusive")
		}
		if !pb && !u {
			c.add(CodeConstraint, "", "an artifact MUST have payload_bin or url (one of them)")
		}
	}
}

// vocabularyCodes maps an open vocabulary (its values come from the
// schemas through stix.LookupVocabulary) to its OASIS check code.
var vocabularyCodes = map[string]string{
	"attack-motivation-ov":           "211",
	"attack-resource-level-ov":       "212",
	"identity-class-ov":              "213",
	"indicator-type-ov":              "214",
	"industry-sector-ov":             "215",
	"malware-type-ov":                "216",
	"report-type-ov":                 "218",
	"threat-actor-type-ov":           "219",
	"threat-actor-role-ov":           "220",
	"threat-actor-sophistication-ov": "221",
	"tool-type-ov":                   "222",
	"region-ov":                      "223",
	"grouping-context-ov":            "225",
	"implementation-language-ov":     "226",
	"infrastructure-type-ov":         "227",
	"malware-capabilities-ov":        "228",
	"processor-architecture-ov":      "230",
	"malware-result-ov":              "231",
	"windows-pebinary-type-ov":       "243",
	"account-type-ov":                "244",
	"pattern-type-ov":                "245",
}

var lowerHyphen = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// vocab checks values of open-vocabulary properties (111, 2xx).
func (c *objCheck) vocab(p stix.PropertyInfo, val any, ptr string) {
	var vals []string
	var ptrs []string
	switch x := val.(type) {
	case string:
		vals, ptrs = []string{x}, []string{ptr}
	case []any:
		for i, e := range x {
			if s, ok := e.(string); ok {
				vals = append(vals, s)
				ptrs = append(ptrs, ptr+"/"+strconv.Itoa(i))
			}
		}
	}
	code, known := vocabularyCodes[p.Vocab]
	voc, _ := stix.LookupVocabulary(p.Vocab)
	for i, s := range vals {
		if c.on("111") && !lowerHyphen.MatchString(s) {
			c.add("111", ptrs[i], "open vocabulary value %q should be all lowercase, with hyphens between words", s)
		}
		if known && voc != nil && c.on(code) && !has(voc.Values, s) {
			c.add(code, ptrs[i], "%q is not a value of %s", s, p.Vocab)
		}
	}
}

// killChain checks kill chain phase names (121).
func (c *objCheck) killChain(val any, ptr string) {
	l, ok := val.([]any)
	if !ok || !c.on("121") {
		return
	}
	for i, e := range l {
		kc, ok := e.(map[string]any)
		if !ok {
			continue
		}
		for _, k := range []string{"kill_chain_name", "phase_name"} {
			if s, ok := kc[k].(string); ok && !lowerHyphen.MatchString(s) {
				c.add("121", ptr+"/"+strconv.Itoa(i)+"/"+k, "%s %q should be all lowercase, with hyphens between words", k, s)
			}
		}
	}
}

// hashAlgorithms is hash-algorithm-ov.
var hashAlgorithms = []string{"MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP", "TLSH"}

func (c *objCheck) hashes(val any, ptr string) {
	hm, ok := val.(map[string]any)
	if !ok {
		return
	}
	for k := range hm {
		p := ptr + "/" + escape(k)
		if len(k) > 30 {
			c.add("150", p, "hash algorithm name %q should be at most 30 characters", k)
		}
		if !has(hashAlgorithms, k) && !strings.HasPrefix(k, "x_") {
			c.add("241", p, "%q is not a value of hash-algorithm-ov (%s)", k, strings.Join(hashAlgorithms, ", "))
		}
	}
}

// freeDicts are dictionaries whose keys come from outside STIX (header
// names, environment variables…): 142 does not apply.
var freeDicts = map[string]bool{
	"additional_header_fields": true, "request_header": true, "environment_variables": true,
	"options": true, "document_info_dict": true, "exif_tags": true, "ipfix": true,
}

var dictKey = regexp.MustCompile(`^[a-z0-9_]+$`)

func (c *objCheck) dict(p stix.PropertyInfo, val any, ptr string) {
	if c.info.Category != "sco" || freeDicts[p.Name] || !c.on("142") {
		return
	}
	dm, ok := val.(map[string]any)
	if !ok {
		return
	}
	for k := range dm {
		if !dictKey.MatchString(k) {
			c.add("142", ptr+"/"+escape(k), "dictionary key %q should hold only lowercase ASCII letters, digits and underscores", k)
		}
	}
}

// customName reports whether name has the form x<sep><source><sep><name>
// (strict) or x<sep><name> (lax), sep being '-' for types and '_' for
// properties.
func customName(name string, sep byte, strict bool) bool {
	if len(name) < 3 || name[0] != 'x' || name[1] != sep {
		return false
	}
	if !strict {
		return true
	}
	// Like ^x<sep>.+<sep>.+$: a separator after at least one character
	// and before at least one.
	return len(name) >= 5 && strings.IndexByte(name[3:len(name)-1], sep) >= 0
}

// customProperty handles a top-level property that the object's type does
// not define (101, 102, 401).
func (c *objCheck) customProperty(name string, val any, ptr string) {
	if isRefName(name) {
		c.customRefs(val, ptr)
	}
	if c.v.opt.StrictProperties {
		c.add(CodeCustom, ptr, "%s is not a property the specification defines and --strict-properties forbids such properties", name)
	}
	if c.toplevel || c.schemaAt[ptr] {
		// Declared by a toplevel-property-extension, or an invalid name
		// the schema reports already.: no prefix needed, no
		// extension-definition missing.
		if c.info.Category == "sco" {
			c.customDictKeys(val, ptr)
		}
		return
	}
	if c.on("101") && !customName(name, '_', true) {
		c.add("101", ptr, "custom property %q should have the form x_<source>_<name>", name)
	} else if !c.on("101") && c.on("102") && !customName(name, '_', false) {
		c.add("102", ptr, "custom property %q should start with x_", name)
	}
	if c.on("401") && !c.v20 && stix.Identifier(c.id).Type() != "" && c.typ != "marking-definition" {
		// (strconv.Quote is what %q does with a string, without the
		// formatting cost: this is the most frequent finding.)
		c.addMsg("401", ptr, "custom property "+strconv.Quote(name)+" should be defined by an extension-definition (toplevel-property-extension)")
	}
	if c.info.Category == "sco" {
		c.customDictKeys(val, ptr)
	}
}

// nestedCustomProperty handles a property that an embedded type or a
// predefined extension does not define (101, 102, 401, strict
// properties).
func (c *objCheck) nestedCustomProperty(name string, val any, ptr string) {
	if isRefName(name) {
		c.customRefs(val, ptr)
	}
	if c.on("101") && !customName(name, '_', true) {
		c.add("101", ptr, "custom property %q should have the form x_<source>_<name>", name)
	} else if !c.on("101") && c.on("102") && !customName(name, '_', false) {
		c.add("102", ptr, "custom property %q should start with x_", name)
	}
	if c.on("401") && !c.v20 {
		c.add("401", ptr, "custom property %q should be defined by an extension-definition (property-extension)", name)
	}
	if c.v.opt.StrictProperties {
		c.add(CodeCustom, ptr, "%s is a custom property and --strict-properties forbids them", name)
	}
}

// customExtension handles an extensions key that is neither a predefined
// extension nor an extension-definition id.
func (c *objCheck) customExtension(key, ptr string) {
	if c.on("101") && !strictCustomExt(key) {
		c.add("101", ptr, "custom extension %q should have the form x-<source>-<name>-ext", key)
	} else if !c.on("101") && c.on("102") && !(strings.HasPrefix(key, "x-") && strings.HasSuffix(key, "-ext") && len(key) > 6) {
		c.add("102", ptr, "custom extension %q should have the form x-<name>-ext", key)
	}
	if c.on("401") && !c.v20 {
		c.add("401", ptr, "custom extension %q should be an extension-definition id", key)
	}
	if c.v.opt.StrictProperties {
		c.add(CodeCustom, ptr, "%s is a custom extension and --strict-properties forbids them", key)
	}
}

// strictCustomExt matches ^x-.+-.+-ext$.
func strictCustomExt(k string) bool {
	if !strings.HasPrefix(k, "x-") || !strings.HasSuffix(k, "-ext") || len(k) < 9 {
		return false
	}
	mid := k[2 : len(k)-4]
	return strings.IndexByte(mid[1:len(mid)-1], '-') >= 0
}

// customDictKeys applies the dictionary key rule (142) to a custom
// property of an SCO holding a dictionary.
func (c *objCheck) customDictKeys(val any, ptr string) {
	dm, ok := val.(map[string]any)
	if !ok || !c.on("142") {
		return
	}
	for k := range dm {
		if !dictKey.MatchString(k) {
			c.add("142", ptr+"/"+escape(k), "dictionary key %q should hold only lowercase ASCII letters, digits and underscores", k)
		}
	}
}

// required21 are the properties STIX 2.1 made required that STIX 2.0
// objects lack.
var required21 = map[string]bool{"/spec_version": true, "/is_family": true, "/pattern_type": true}

// extensionKinds reads the extension_type of the object's extension
// definitions: newType for new-sdo/new-sco/new-sro, toplevel for
// toplevel-property-extension.
func extensionKinds(m map[string]any) (newType, toplevel bool) {
	ext, ok := m["extensions"].(map[string]any)
	if !ok {
		return false, false
	}
	for k, e := range ext {
		if !strings.HasPrefix(k, "extension-definition--") {
			continue
		}
		em, _ := e.(map[string]any)
		switch em["extension_type"] {
		case "new-sdo", "new-sco", "new-sro":
			newType = true
		case "toplevel-property-extension":
			toplevel = true
		}
	}
	return newType, toplevel
}

// shoulds runs the object-level SHOULD checks that are not tied to one
// property kind.
func (c *objCheck) shoulds(known bool) {
	m := c.m
	if !known && !c.newType {
		if c.on("101") && !customName(c.typ, '-', true) {
			c.add("101", "/type", "custom object type %q should have the form x-<source>-<name>", c.typ)
		} else if !c.on("101") && c.on("102") && !customName(c.typ, '-', false) {
			c.add("102", "/type", "custom object type %q should start with x-", c.typ)
		}
		if c.on("401") && !c.v20 && !usesNewObjectExtension(m) {
			c.add("401", "/type", "custom object type %q should be defined by an extension-definition (new-sdo, new-sco or new-sro)", c.typ)
		}
	}
	switch c.typ {
	case "relationship":
		c.relationshipType()
	case "indicator":
		_, n := m["name"]
		_, d := m["description"]
		if !n || !d {
			c.add("303", "", "an indicator should have both a name and a description")
		}
	case "marking-definition":
		if dt, ok := m["definition_type"].(string); ok && dt != "tlp" && dt != "statement" {
			c.add("201", "/definition_type", "definition_type %q should be tlp or statement", dt)
		}
	case "observed-data":
		if objs, ok := m["objects"].(map[string]any); ok {
			c.add("304", "/objects", "observed-data objects is deprecated in STIX 2.1: use object_refs")
			for k := range objs {
				if n, err := strconv.Atoi(k); err != nil || n < 0 || strconv.Itoa(n) != k {
					c.add("141", "/objects/"+escape(k), "observed-data objects keys should be non-negative integers, not %q", k)
				}
			}
		}
	case "network-traffic":
		_, s := m["src_port"]
		_, d := m["dst_port"]
		if !s || !d {
			c.add("301", "", "network-traffic should have both src_port and dst_port")
		}
	case "malware-analysis":
		if p, ok := m["product"].(string); ok && !lowerHyphen.MatchString(p) {
			c.add("143", "/product", "product %q should be all lowercase, with hyphens between words", p)
		}
	case "process":
		if ext, ok := m["extensions"].(map[string]any); ok {
			if wp, ok := ext["windows-process-ext"].(map[string]any); ok {
				if pr, ok := wp["priority"].(string); ok && !strings.HasSuffix(pr, "_CLASS") {
					c.add("149", "/extensions/windows-process-ext/priority", "priority %q should end in _CLASS", pr)
				}
			}
		}
	case "extension-definition":
		if _, ok := m["description"]; !ok {
			c.add("305", "", "an extension-definition should have a description")
		}

	}
	if c.on("302") {
		if refs, ok := m["external_references"].([]any); ok {
			for i, r := range refs {
				er, ok := r.(map[string]any)
				if !ok {
					continue
				}
				if _, u := er["url"]; u {
					if _, h := er["hashes"]; !h {
						c.add("302", "/external_references/"+strconv.Itoa(i), "an external reference with a url should have hashes")
					}
				}
			}
		}
	}
}

func hasString(v any, s string) bool {
	l, _ := v.([]any)
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

// usesNewObjectExtension tells whether an object declares an
// extension-definition (how STIX 2.1 defines new object types).
func usesNewObjectExtension(m map[string]any) bool {
	ext, ok := m["extensions"].(map[string]any)
	if !ok {
		return false
	}
	for k := range ext {
		if strings.HasPrefix(k, "extension-definition--") {
			return true
		}
	}
	return false
}

func (c *objCheck) relationshipType() {
	if !c.on("202") {
		return
	}
	rt, _ := c.m["relationship_type"].(string)
	common := stix.CommonRelationshipTypes()
	if rt == "" || has(common, rt) {
		return
	}
	src, _ := c.m["source_ref"].(string)
	dst, _ := c.m["target_ref"].(string)
	st, tt := stix.Identifier(src).Type(), stix.Identifier(dst).Type()
	if allowed, known := stix.RelationshipAllowed(st, rt, tt); allowed && known {
		return // a relationship of the specification's table
	}
	if _, listed := stix.RelationshipTypes(st); !listed {
		if cat := categoryOf(st); cat == "sdo" || cat == "sco" {
			c.add("202", "/relationship_type", "the specification defines no relationship type %q for source type %s (only %s)", rt, st, strings.Join(common, ", "))
		}
		return
	}
	targets := stix.RelationshipTargets(st, rt)
	if len(targets) == 0 {
		c.add("202", "/relationship_type", "%q is not a relationship type the specification defines for source type %s", rt, st)
		return
	}
	if categoryOf(tt) == "" {
		return // custom target
	}
	if allowed, _ := stix.RelationshipAllowed(st, rt, tt); !allowed {
		c.add("202", "/target_ref", "the specification defines %s %s for target types %s, not %s", st, rt, strings.Join(targets, ", "), tt)
	}
}

// isInteger reports whether a JSON number literal is an integer.
func isInteger(s string) bool {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return true
	}
	return false
}

type jsonNumber = json.Number

var _ = fmt.Sprintf
