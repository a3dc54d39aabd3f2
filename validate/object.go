package validate

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/internal/selector"
	"github.com/stixkit/stixkit/internal/words"
	"github.com/stixkit/stixkit/stix"
)

// objCheck carries the state of the checks of one object.
type objCheck struct {
	v        *validator
	index    int
	id, typ  string
	m        map[string]any
	info     *stix.TypeInfo
	findings []*Finding
	refs     []ref
	schemaAt map[string]bool // pointers with a schema finding
	// v20 marks a STIX 2.0 object: no spec_version (and not an SCO), or
	// Options.Version "2.0".
	v20 bool
	// newType: the object declares a new-sdo/new-sco/new-sro extension
	// (its type is defined by an extension definition, not custom);
	// toplevel: it declares a toplevel-property-extension (its extra
	// top-level properties are defined by it, not custom).
	newType, toplevel bool
	// typedNeeded: a check met a value the typed decoding may refuse.
	typedNeeded bool
}

func (c *objCheck) add(code, ptr, format string, args ...any) {
	if !c.v.cfg.enabled(code) {
		return
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	c.findings = append(c.findings, &Finding{ObjectID: c.id, Index: c.index, Pointer: ptr, Code: code, Message: msg})
}

// addMsg is add with a message already made.
func (c *objCheck) addMsg(code, ptr, msg string) {
	if !c.v.cfg.enabled(code) {
		return
	}
	c.findings = append(c.findings, &Finding{ObjectID: c.id, Index: c.index, Pointer: ptr, Code: code, Message: msg})
}

func (c *objCheck) on(code string) bool { return c.v.cfg.enabled(code) }

// object runs every per-object check on one job.
//
// The checks read the object's generic form. The typed decoding of the
// object (stix.DecodeOptions.ParseObject, what a user of the stix package
// gets) is made only where it can add something: the reason an element is
// not an object, a repeated member, a number that is not a plain integer
// (the typed model may not hold it), a malformed reference (the schema's
// pattern is looser than stix.Identifier), the id computed from an SCO's
// id-contributing properties, DisallowCustom, and any object with an error.
// Otherwise (every MUST check on, the embedded schemas, no error found) the
// typed decoding has nothing to report: tests compare the reports of both
// ways on the corpus, mutations of it and fuzzed input.
func (v *validator) object(j *job, keys *jsonscan.Keys) objResult {
	res := objResult{}
	c := &objCheck{v: v, index: j.index}
	doc, notes, err := decodeValue(j.raw, keys)
	if err != nil {
		c.parseFailure(j, "not valid JSON: "+err.Error())
		res.findings = c.findings
		return res
	}
	m, ok := doc.(map[string]any)
	if !ok {
		c.parseFailure(j, "an element of objects is not a JSON object")
		res.findings = c.findings
		return res
	}
	c.m = m
	res.sum = contentSum(m)
	c.id, _ = m["id"].(string)
	c.typ, _ = m["type"].(string)
	res.id, res.typ = c.id, c.typ
	res.modified, _ = m["modified"].(string)
	res.specVersion, _ = m["spec_version"].(string)
	if c.typ == "" {
		v.parse(j)
		c.parseFinding(j.parseErr, `the object has no string "type" property`)
		res.findings = c.findings
		return res
	}
	if c.typ == "bundle" {
		c.add(CodeParse, "/type", "a bundle inside a bundle: objects holds STIX objects, not bundles")
		res.findings = c.findings
		return res
	}

	// The specification: "If objects are found where this property is
	// not present, the implicit value for all STIX Objects other than SCOs
	// is 2.0".
	_, hasSV := m["spec_version"]
	_, cr := m["created"]
	_, mo := m["modified"]
	c.v20 = v.opt.Version == "2.0" || (!hasSV && (cr || mo))
	if sv, ok := m["spec_version"].(string); ok && sv == "2.0" {
		c.add("101", "/spec_version", "spec_version \"2.0\" on an object: STIX 2.0 objects carry no spec_version (it is on the bundle) and STIX 2.1 objects carry \"2.1\"")
	}
	c.newType, c.toplevel = extensionKinds(m)

	// Schema layer. STIX 2.0 objects are checked against the 2.1 schemas
	// without the properties STIX 2.1 made required.
	c.schemaAt = nil // made on the first schema finding
	if v.schema != nil && c.on(CodeSchema) {
		for _, e := range v.schema.ValidateValue(m) {
			if c.v20 && e.Code == "schema/required" && required21[e.Pointer] {
				continue
			}
			if c.schemaAt == nil {
				c.schemaAt = map[string]bool{}
			}
			c.schemaAt[e.Pointer] = true
			c.findings = append(c.findings, &Finding{ObjectID: c.id, Index: c.index, Pointer: e.Pointer, Code: e.Code, Message: e.Msg})
		}
	}

	info, known := stix.Info(c.typ)
	if !known || info.Category == "extension" {
		info = customInfo(m)
	}
	c.info = info
	c.checkID(known)
	c.walk(info, m, "", true, known)
	c.checkOrderings()
	c.checkMarkings()
	c.checkConstraints()
	c.scoShoulds()
	c.registries()
	c.checkSCOID(j, known)
	c.checkPattern()
	c.checkTLP()
	c.shoulds(known)
	if v.opt.DisallowCustom {
		c.checkNoCustom(j)
	}
	if v.opt.StrictTypes && !known && !c.newType {
		c.add(CodeCustom, "/type", "%s is a custom object type (not defined by the specification nor by a new-sdo, new-sco or new-sro extension) and --strict-types forbids them", c.typ)
	}
	// A decode error the checks above did not already explain.
	if notes.Repeated || notes.NonInteger || c.typedNeeded || !v.typedOptional || c.hasError() {
		v.parse(j)
	}
	var pe *stix.ParseError
	errors.As(j.parseErr, &pe)
	if j.parseErr != nil && pe != nil && !c.covers(pe.Pointer) {
		c.add(CodeParse, pe.Pointer, "%s", pe.Msg)
	} else if j.parseErr != nil && pe == nil {
		c.add(CodeParse, "", "%s", j.parseErr.Error())
	}
	// One finding per defect: where a MUST check explains a value, the
	// schema finding about the same value goes.
	c.dropSchemaDuplicates()
	// Deterministic order: by pointer, then as found.
	sort.SliceStable(c.findings, func(a, b int) bool { return c.findings[a].Pointer < c.findings[b].Pointer })
	res.findings = c.findings
	sort.Slice(c.refs, func(a, b int) bool { return c.refs[a].pointer < c.refs[b].pointer })
	res.refs = c.refs
	return res
}

func (c *objCheck) dropSchemaDuplicates() {
	var must map[string]bool
	for _, f := range c.findings {
		if !strings.HasPrefix(f.Code, "schema/") && severityOf(f.Code) == Must {
			if must == nil {
				must = map[string]bool{}
			}
			must[f.Pointer] = true
		}
	}
	if must == nil {
		return
	}
	out := c.findings[:0]
	for _, f := range c.findings {
		if strings.HasPrefix(f.Code, "schema/") && must[f.Pointer] {
			continue
		}
		out = append(out, f)
	}
	c.findings = out
}

// covers reports whether an error finding already sits at ptr, inside it
// or at a parent of it.
func (c *objCheck) covers(ptr string) bool {
	for _, f := range c.findings {
		if severityOf(f.Code) != Must {
			continue
		}
		p := f.Pointer
		if p == ptr || strings.HasPrefix(p, ptr+"/") || strings.HasPrefix(ptr, p+"/") || (p != "" && ptr == "") {
			return true
		}
	}
	return false
}

// parseFailure reports an element the generic decoding refused, with the
// typed decoding's reason where it has one.
func (c *objCheck) parseFailure(j *job, fallback string) {
	c.v.parse(j)
	var pe *stix.ParseError
	if errors.As(j.parseErr, &pe) && pe.ObjectID != "" {
		c.id = string(pe.ObjectID)
	}
	c.parseFinding(j.parseErr, fallback)
}

// hasError reports whether a finding of a MUST check was made.
func (c *objCheck) hasError() bool {
	for _, f := range c.findings {
		if severityOf(f.Code) == Must {
			return true
		}
	}
	return false
}

func (c *objCheck) parseFinding(err error, fallback string) {
	var pe *stix.ParseError
	if errors.As(err, &pe) {
		c.add(CodeParse, pe.Pointer, "%s", pe.Msg)
		return
	}
	c.add(CodeParse, "", "%s", fallback)
}

// Common properties of objects whose type has no metadata (custom types).
var (
	commonOnce           sync.Once
	commonSDO, commonSCO *stix.TypeInfo
	commonSDONames       = []string{"type", "spec_version", "id", "created_by_ref", "created", "modified", "revoked", "labels", "confidence", "lang", "external_references", "object_marking_refs", "granular_markings", "extensions"}
	commonSCONames       = []string{"type", "spec_version", "id", "object_marking_refs", "granular_markings", "defanged", "extensions"}
	propIndex            sync.Map // *stix.TypeInfo → map[string]stix.PropertyInfo
)

func filterInfo(from string, names []string) *stix.TypeInfo {
	src, ok := stix.Info(from)
	out := &stix.TypeInfo{Type: "custom", Category: "custom"}
	if !ok {
		return out
	}
	for _, n := range names {
		if p, ok := src.Property(n); ok {
			p.Required = false
			out.Properties = append(out.Properties, p)
		}
	}
	return out
}

// customInfo returns the metadata of the common properties for an object of
// a type without metadata of its own.
func customInfo(m map[string]any) *stix.TypeInfo {
	commonOnce.Do(func() {
		commonSDO = filterInfo("campaign", commonSDONames)
		commonSCO = filterInfo("ipv4-addr", commonSCONames)
	})
	_, c := m["created"]
	_, mo := m["modified"]
	if c || mo {
		return commonSDO
	}
	return commonSCO
}

func props(info *stix.TypeInfo) map[string]stix.PropertyInfo {
	if v, ok := propIndex.Load(info); ok {
		return v.(map[string]stix.PropertyInfo)
	}
	idx := make(map[string]stix.PropertyInfo, len(info.Properties))
	for _, p := range info.Properties {
		idx[p.Name] = p
	}
	propIndex.Store(info, idx)
	return idx
}

// escape escapes one JSON pointer segment.
func escape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// walk checks the properties of m (an object or an embedded struct)
// against info: timestamps, references, languages, vocabularies, nested
// structs and extensions.
func (c *objCheck) walk(info *stix.TypeInfo, m map[string]any, ptr string, top, known bool) {
	idx := props(info)
	for name, val := range m {
		p, ok := idx[name]
		if ok && !walkChecks(p, name) {
			continue // nothing below looks at it: no pointer to build
		}
		pp := ptr + "/" + escape(name)
		if !ok {
			switch {
			case top && known:
				c.customProperty(name, val, pp)
			case !top && known:
				c.nestedCustomProperty(name, val, pp)
			case isRefName(name):
				c.customRefs(val, pp)
			}
			continue
		}
		switch p.Kind {
		case "timestamp":
			c.timestamp(val, pp)
		case "identifier":
			if s, ok := val.(string); ok && name != "id" {
				c.reference(p, s, pp)
			}
		case "identifiers":
			if l, ok := val.([]any); ok {
				for i, e := range l {
					if s, ok := e.(string); ok {
						c.reference(p, s, pp+"/"+strconv.Itoa(i))
					}
				}
			}
		case "struct":
			if sm, ok := val.(map[string]any); ok {
				if si, ok := stix.InfoByGoName(p.Elem); ok {
					c.walk(si, sm, pp, false, known)
				}
			}
		case "structs":
			if l, ok := val.([]any); ok {
				if si, ok := stix.InfoByGoName(p.Elem); ok {
					for i, e := range l {
						if sm, ok := e.(map[string]any); ok {
							c.walk(si, sm, pp+"/"+strconv.Itoa(i), false, known)
						}
					}
				}
			}
		case "extensions":
			if em, ok := val.(map[string]any); ok {
				for k, e := range em {
					sm, ok := e.(map[string]any)
					if !ok {
						continue
					}
					if xi, ok := stix.Info(k); ok && xi.Category == "extension" {
						c.walk(xi, sm, pp+"/"+escape(k), false, known)
					} else if !strings.HasPrefix(k, "extension-definition--") {
						c.customExtension(k, pp+"/"+escape(k))
					}
				}
			}
		case "hashes":
			c.hashes(val, pp)
		case "dict":
			c.dict(p, val, pp)
		}
		if name == "lang" {
			if s, ok := val.(string); ok {
				c.lang(s, pp)
			}
		}
		if p.Vocab != "" && strings.HasSuffix(p.Vocab, "-ov") {
			c.vocab(p, val, pp)
		}
		if p.Elem == "KillChainPhase" {
			c.killChain(val, pp)
		}
	}
}

// walkChecks reports whether walk checks anything about a property that
// info defines (it must mirror the cases of walk).
func walkChecks(p stix.PropertyInfo, name string) bool {
	switch p.Kind {
	case "timestamp", "identifiers", "struct", "structs", "extensions", "hashes", "dict":
		return true
	case "identifier":
		if name != "id" {
			return true
		}
	}
	return name == "lang" || p.Vocab != "" && strings.HasSuffix(p.Vocab, "-ov") || p.Elem == "KillChainPhase"
}

func isRefName(name string) bool {
	return strings.HasSuffix(name, "_ref") || strings.HasSuffix(name, "_refs")
}

// customRefs records references held by custom properties (for EnforceRefs).
func (c *objCheck) customRefs(val any, ptr string) {
	if !c.v.opt.EnforceRefs {
		return
	}
	switch x := val.(type) {
	case string:
		if stix.Identifier(x).Validate() == nil {
			c.refs = append(c.refs, ref{target: x, pointer: ptr})
		}
	case []any:
		for i, e := range x {
			if s, ok := e.(string); ok && stix.Identifier(s).Validate() == nil {
				c.refs = append(c.refs, ref{target: s, pointer: ptr + "/" + strconv.Itoa(i)})
			}
		}
	}
}

func (c *objCheck) timestamp(val any, ptr string) {
	s, ok := val.(string)
	if !ok || c.schemaAt[ptr] {
		return
	}
	if _, err := stix.ParseTimestamp(s); err != nil {
		c.add(CodeTimestamp, ptr, "%q is not a valid timestamp: %s", s, strings.TrimPrefix(err.Error(), "stix: "))
	}
}

// categoryOf returns the category of a type: sdo, sro, sco, meta, or ""
// for types without metadata (custom types).
func categoryOf(typ string) string {
	switch typ {
	case "bundle":
		return "bundle"
	}
	if i, ok := stix.Info(typ); ok {
		return i.Category
	}
	return ""
}

// reference checks the target type of a reference.
func (c *objCheck) reference(p stix.PropertyInfo, s, ptr string) {
	id := stix.Identifier(s)
	if id.Validate() != nil {
		// The typed decoding keeps it verbatim and says why.
		c.typedNeeded = true
	}
	if c.v.opt.EnforceRefs {
		c.refs = append(c.refs, ref{target: s, pointer: ptr})
	}
	if len(p.RefTypes) == 0 || c.schemaAt[ptr] {
		return
	}
	t := id.Type()
	if t == "" {
		return // malformed: the schema reports it
	}
	if bundle.RefTargetAllowed(t, p.RefTypes) {
		return
	}
	c.add(CodeRefType, ptr, "%s may not refer to %s object (allowed: %s)", p.Name, words.A(t), strings.Join(p.RefTypes, ", "))
}

func (c *objCheck) lang(s, ptr string) {
	switch {
	case !validLangTag(s):
		c.add(CodeLang, ptr, "%q is not an RFC 5646 language tag", trunc(s))
	case !registeredLangTag(s):
		c.add(CodeLang, ptr, "%q is not a registered language tag (its language, script or region subtag is in no registry)", trunc(s))
	}
}

// checkID checks that the id names the object's type.
func (c *objCheck) checkID(known bool) {
	if c.id == "" || c.schemaAt["/id"] {
		return
	}
	id := stix.Identifier(c.id)
	if id.Type() != c.typ {
		c.add(CodeID, "/id", "id %q does not start with %q", c.id, c.typ+"--")
		return
	}
	if err := id.Validate(); err != nil {
		c.add(CodeID, "/id", "%s", strings.TrimPrefix(err.Error(), "stix: "))
	}
}

// orderings lists the pairs of timestamps that must be ordered.
var orderings = []struct {
	types       []string // nil: every type
	first, last string
	strict      bool
}{
	{nil, "created", "modified", false},
	{[]string{"campaign", "intrusion-set", "threat-actor", "infrastructure", "malware", "sighting"}, "first_seen", "last_seen", false},
	{[]string{"observed-data"}, "first_observed", "last_observed", false},
	{[]string{"indicator"}, "valid_from", "valid_until", true},
	{[]string{"relationship"}, "start_time", "stop_time", true},
	{[]string{"network-traffic"}, "start", "end", false},
	{[]string{"malware-analysis"}, "analysis_started", "analysis_ended", false},
	{[]string{"x509-certificate"}, "validity_not_before", "validity_not_after", false},
}

func (c *objCheck) ts(name string) (stix.Timestamp, bool) {
	s, ok := c.m[name].(string)
	if !ok {
		return stix.Timestamp{}, false
	}
	t, err := stix.ParseTimestamp(s)
	return t, err == nil
}

func (c *objCheck) checkOrderings() {
	for _, o := range orderings {
		if o.types != nil && !has(o.types, c.typ) {
			continue
		}
		a, ok1 := c.ts(o.first)
		b, ok2 := c.ts(o.last)
		if !ok1 || !ok2 {
			continue
		}
		if b.Before(a) || (o.strict && !a.Before(b)) {
			rel := "later than or equal to"
			if o.strict {
				rel = "later than"
			}
			c.add(CodeTimestampOrder, "/"+o.last, "%s (%s) must be %s %s (%s)", o.last, c.m[o.last], rel, o.first, c.m[o.first])
		}
	}
}

func has(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// checkMarkings checks marking cycles and granular-marking selectors.
func (c *objCheck) checkMarkings() {
	if c.typ == "marking-definition" && c.id != "" {
		if l, ok := c.m["object_marking_refs"].([]any); ok {
			for i, e := range l {
				if e == c.id {
					c.add(CodeMarkingCircular, "/object_marking_refs/"+strconv.Itoa(i), "a marking definition may not mark itself")
				}
			}
		}
	}
	gms, ok := c.m["granular_markings"].([]any)
	if !ok {
		return
	}
	for i, g := range gms {
		gm, ok := g.(map[string]any)
		if !ok {
			continue
		}
		gp := "/granular_markings/" + strconv.Itoa(i)
		if c.typ == "marking-definition" && c.id != "" && gm["marking_ref"] == c.id {
			c.add(CodeMarkingCircular, gp+"/marking_ref", "a marking definition may not mark itself")
		}
		if gl, ok := gm["lang"].(string); ok {
			c.lang(gl, gp+"/lang")
		}
		sels, _ := gm["selectors"].([]any)
		for k, s := range sels {
			sel, ok := s.(string)
			if !ok {
				continue
			}
			if !resolveSelector(c.m, sel) {
				c.add(CodeSelector, gp+"/selectors/"+strconv.Itoa(k), "selector %q does not resolve to a property of this object", sel)
			}
		}
	}
}

// resolveSelector follows a granular-marking selector ("description",
// "external_references.[0].url") through the object.
func resolveSelector(m map[string]any, sel string) bool {
	_, ok := selector.Resolve(selector.Any, any(m), sel)
	return ok
}

// uuidVersion returns the version nibble of an identifier's UUID, or -1.
func uuidVersion(id string) int {
	i := strings.Index(id, "--")
	if i < 0 || len(id) < i+2+15 {
		return -1
	}
	c := id[i+2+14]
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// checkSCOID checks the UUID version of ids: SCOs without id-contributing
// properties (and processes) MUST use v4; SCOs with them SHOULD use v5,
// and the v5 SHOULD be the one computed from them; other objects SHOULD
// use v4.
func (c *objCheck) checkSCOID(j *job, known bool) {
	if c.id == "" || c.schemaAt["/id"] || stix.Identifier(c.id).Validate() != nil {
		return
	}
	ver := uuidVersion(c.id)
	if !known || c.info.Category != "sco" {
		if known && ver != 4 && c.on("103") {
			if _, tlp := stix.TLPMarkings[stix.Identifier(c.id)]; !tlp {
				c.add("103", "/id", "the UUID of %s id should be version 4 (it is version %d)", words.A(c.typ), ver)
			}
		}
		return
	}
	present := false
	for _, p := range c.info.IDContributing {
		if _, ok := c.m[p]; ok {
			present = true
			break
		}
	}
	if !present {
		if ver != 4 {
			why := "it has none of its id-contributing properties"
			if c.typ == "process" {
				why = "process ids are always random"
			}
			c.add(CodeSCOIDVersion, "/id", "the id of this %s must use a version 4 UUID (%s); it is version %d", c.typ, why, ver)
		}
		return
	}
	if ver != 5 {
		c.add("103", "/id", "the id of %s with id-contributing properties (%s) should be a version 5 UUID; it is version %d", words.A(c.typ), strings.Join(c.info.IDContributing, ", "), ver)
		return
	}
	if !c.on("sco-id-mismatch") {
		return
	}
	c.v.parse(j)
	if obj := j.obj; obj != nil {
		want, err := stix.DeterministicID(obj)
		if err == nil && string(want) != c.id && !strings.EqualFold(string(want), c.id) {
			c.add("sco-id-mismatch", "/id", "the id computed from the id-contributing properties is %s", want)
		}
	}
}

// checkTLP compares TLP marking definitions with the published ones.
func (c *objCheck) checkTLP() {
	if c.typ != "marking-definition" || !c.on(CodeTLP) {
		return
	}
	id := stix.Identifier(c.id)
	created, _ := c.m["created"].(string)
	if want, ok := stix.TLPMarkings[id]; ok {
		if t, err := stix.ParseTimestamp(created); err == nil && !t.Equal(want.Created) {
			c.add(CodeTLP, "/created", "%s is a TLP marking definition: created must be %s", want.Name, want.Created)
		}
		if want.DefinitionType != "" {
			if dt, ok := c.m["definition_type"].(string); ok && dt != want.DefinitionType {
				c.add(CodeTLP, "/definition_type", "%s is a TLP marking definition: definition_type must be %q", want.Name, want.DefinitionType)
			}
			if color, ok := tlpColor(c.m); ok {
				if wc, _ := want.Definition.GetString("tlp"); wc != color {
					c.add(CodeTLP, "/definition/tlp", "%s is the TLP %s marking definition, not %s", c.id, wc, color)
				}
			}
		}
		return
	}
	if dt, _ := c.m["definition_type"].(string); dt == "tlp" {
		color, ok := tlpColor(c.m)
		if !ok {
			return
		}
		for tid, md := range stix.TLPMarkings {
			if wc, _ := md.Definition.GetString("tlp"); md.DefinitionType == "tlp" && strings.EqualFold(wc, color) {
				c.add(CodeTLP, "/id", "a TLP %s marking definition must have the id %s", color, tid)
				return
			}
		}
	}
}

func tlpColor(m map[string]any) (string, bool) {
	def, ok := m["definition"].(map[string]any)
	if !ok {
		return "", false
	}
	s, ok := def["tlp"].(string)
	return s, ok
}

// checkNoCustom implements Options.DisallowCustom with the stix package's
// strict decoding (the Python library's allow_custom=False).
func (c *objCheck) checkNoCustom(j *job) {
	if j.bundleSpec != "" && c.m["spec_version"] == "2.1" {
		c.add(CodeCustom, "/spec_version", "a 2.1 object in a bundle with spec_version %q (STIX 2.1 bundles have none)", j.bundleSpec)
	}
	c.v.parse(j)
	if j.obj == nil {
		return
	}
	_, err := stix.DecodeOptions{DisallowCustom: true}.ParseObject(j.raw)
	var pe *stix.ParseError
	if errors.Is(err, stix.ErrCustom) && errors.As(err, &pe) {
		c.add(CodeCustom, pe.Pointer, "%s", pe.Msg)
	}
}
