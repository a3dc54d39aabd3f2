package gen

import (
	"go/token"
	"strings"

	english "github.com/stixkit/stixkit/internal/words"
)

// Ctor is the constructor generated for an SDO, SRO or SCO type:
// New<Type> taking the required properties (in package stix also a
// Factory method; elsewhere New<Type>With taking the *stix.Factory).
type Ctor struct {
	Factory bool     // a Factory method (SDOs, SROs) plus a package function; else a package function (SCOs)
	Params  []*Param // in order
	Fixed   []Fixed  // fields set to a fixed value
	Doc     string
}

// Param is one constructor parameter, stored in a field.
type Param struct {
	Name     string // Go parameter name
	Type     string // Go type as written
	Field    *Field
	Variadic bool
	Time     bool // a time.Time stored as a millisecond Timestamp, the clock's time when zero
}

// Fixed sets a field to a Go expression.
type Fixed struct {
	Field string
	Expr  string
}

// ctorSpec overrides the generic rule for the constructors that existed
// before they were generated, keeping their signatures: the parameters
// (JSON names, the last may be a list taken as variadic) and fixed values.
var ctorSpec = map[string]struct {
	params []string
	fixed  []Fixed
	doc    string
}{
	"indicator": {[]string{"pattern", "valid_from"}, []Fixed{{"PatternType", "PatternTypeStix"}, {"PatternVersion", `"2.1"`}},
		"an indicator with a STIX pattern (pattern_type \"stix\", pattern_version \"2.1\"), valid from validFrom"},
	"malware":      {[]string{"name", "is_family"}, nil, "a malware object (a family when isFamily)"},
	"identity":     {[]string{"name", "identity_class"}, nil, "an identity of the given class (e.g. IdentityClassOrganization)"},
	"relationship": {[]string{"source_ref", "relationship_type", "target_ref"}, nil, "a relationship from source to target"},
	"sighting":     {[]string{"sighting_of_ref", "where_sighted_refs"}, nil, "a sighting of an SDO, seen where (identities or locations)"},
}

// commonProps are set by every constructor from the factory.
var commonProps = map[string]bool{"type": true, "spec_version": true, "id": true, "created": true, "modified": true, "created_by_ref": true}

// buildCtor decides the constructor of t, or nil. The overrides of
// ctorSpec apply to package stix only.
func buildCtor(t *Type, pkg string) *Ctor {
	if t.Category != "sdo" && t.Category != "sro" && t.Category != "sco" {
		return nil
	}
	c := &Ctor{Factory: t.Category != "sco"}
	byJSON := map[string]*Field{}
	for _, f := range t.Fields {
		byJSON[f.JSON] = f
	}
	// The constructor sets the common properties: a type without them
	// (a schema not built on core.json) gets none.
	need := []string{"spec_version", "id"}
	if c.Factory {
		need = append(need, "created", "modified", "created_by_ref")
	}
	for _, n := range need {
		if f := byJSON[n]; f == nil || (n == "spec_version" && f.GoType != "string") {
			return nil
		}
	}
	var names []string
	if spec, ok := ctorSpec[t.STIXType]; ok && pkg == "stix" {
		names, c.Fixed, c.Doc = spec.params, spec.fixed, spec.doc
	} else {
		for _, f := range t.Fields {
			if f.Required && !commonProps[f.JSON] {
				names = append(names, f.JSON)
			}
		}
	}
	used := map[string]bool{"f": true, "o": true, "id": true, "now": true, "err": true}
	for i, n := range names {
		f := byJSON[n]
		if f == nil {
			return nil
		}
		p := &Param{Name: paramName(f, used), Type: f.GoType, Field: f}
		switch f.Kind {
		case "timestamp":
			p.Type, p.Time = "time.Time", true
		case "strings", "identifiers":
			if i == len(names)-1 {
				p.Variadic = true
				p.Type = "..." + strings.TrimPrefix(f.GoType, "[]")
			}
		}
		c.Params = append(c.Params, p)
	}
	if c.Doc == "" {
		c.Doc = english.A(t.STIXType)
		if len(c.Params) > 0 {
			var ps []string
			for _, p := range c.Params {
				ps = append(ps, p.Field.JSON)
			}
			c.Doc += " with its required properties (" + strings.Join(ps, ", ") + ")"
		}
	}
	return c
}

// paramName is the Go parameter for a field: its name with a lower-case
// first word ("ValidFrom" → "validFrom", "IsFamily" → "isFamily",
// "SourceRef" → "source").
func paramName(f *Field, used map[string]bool) string {
	name := strings.TrimSuffix(strings.TrimSuffix(f.Name, "Refs"), "Ref")
	if name == "" {
		name = f.Name
	}
	if strings.HasSuffix(f.Name, "Refs") && name != f.Name {
		name += "Refs"
	}
	// Lower-case the leading upper-case run, keeping the last one when a
	// lower-case letter follows (IPv4 → ipv4, URLValue → urlValue).
	r := []rune(name)
	for i := 0; i < len(r) && r[i] >= 'A' && r[i] <= 'Z'; i++ {
		if i > 0 && i+1 < len(r) && r[i+1] >= 'a' && r[i+1] <= 'z' {
			break
		}
		r[i] += 'a' - 'A'
	}
	name = string(r)
	if token.IsKeyword(name) || used[name] {
		name += "Value"
	}
	used[name] = true
	return name
}
