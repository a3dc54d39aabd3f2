package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/internal/selector"
	"github.com/stixkit/stixkit/internal/words"
	"github.com/stixkit/stixkit/schemas"
	"github.com/stixkit/stixkit/stix"
	"github.com/stixkit/stixkit/stix/pattern"
)

// ErrBuild marks problems found by Builder.Build.
var ErrBuild = errors.New("bundle: invalid bundle")

// BuildError is one problem found by Build: which object, which property,
// what was expected.
type BuildError struct {
	ObjectID stix.Identifier
	Property string
	Msg      string
}

// Error names the object and property and says what was expected.
func (e *BuildError) Error() string {
	s := "bundle: "
	if e.ObjectID != "" {
		s += string(e.ObjectID) + ": "
	}
	if e.Property != "" {
		s += e.Property + ": "
	}
	return s + e.Msg
}

// Is makes errors.Is(err, ErrBuild) hold.
func (e *BuildError) Is(target error) bool { return target == ErrBuild }

// BuilderOptions configure a Builder. The zero value works.
type BuilderOptions struct {
	// Factory makes the relationships and sightings the builder creates
	// (default stix.DefaultFactory); give it a Clock and NewID for
	// deterministic output.
	Factory *stix.Factory
	// BundleID is the bundle's id (default: a fresh one from the factory).
	BundleID stix.Identifier
	// SkipPatternCheck turns off the STIX pattern syntax check of
	// indicators.
	SkipPatternCheck bool
}

// Builder assembles a bundle fluently:
//
//	b, err := bundle.New().CreatedBy(identity).Marking(stix.TLPGreen).
//		Add(indicator, malware).Relate(indicator, "indicates", malware).Build()
//
// Each call returns the builder; problems are collected and returned joined
// by Build. A Builder is not safe for concurrent use.
type Builder struct {
	opt       BuilderOptions
	objects   []stix.Object
	index     map[stix.Identifier][]int // id → positions (several versions)
	createdBy stix.Identifier
	markings  []stix.Identifier
	external  map[stix.Identifier]bool
	errs      []error
	lastInfo  *stix.TypeInfo
}

// New returns a Builder with default options.
func New() *Builder { return NewBuilder(BuilderOptions{}) }

// NewBuilder returns a Builder with the given options.
func NewBuilder(opt BuilderOptions) *Builder {
	if opt.Factory == nil {
		opt.Factory = stix.DefaultFactory
	}
	return &Builder{opt: opt, index: map[stix.Identifier][]int{}, external: map[stix.Identifier]bool{}}
}

func (b *Builder) fail(id stix.Identifier, prop, format string, args ...any) {
	b.errs = append(b.errs, &BuildError{ObjectID: id, Property: prop, Msg: fmt.Sprintf(format, args...)})
}

// CreatedBy adds the identity to the bundle and makes it the creator
// (created_by_ref) of every SDO and SRO that has none.
func (b *Builder) CreatedBy(identity *stix.Identity) *Builder {
	if identity == nil {
		b.fail("", "created_by_ref", "CreatedBy: nil identity")
		return b
	}
	b.createdBy = identity.ID
	return b.Add(identity)
}

// Marking adds the marking definition to the bundle and to the
// object_marking_refs of every other object.
func (b *Builder) Marking(m *stix.MarkingDefinition) *Builder {
	if m == nil {
		b.fail("", "object_marking_refs", "Marking: nil marking definition")
		return b
	}
	b.markings = append(b.markings, m.ID)
	return b.Add(m)
}

// External declares ids that objects may refer to although they are not in
// the bundle.
func (b *Builder) External(ids ...stix.Identifier) *Builder {
	for _, id := range ids {
		b.external[id] = true
	}
	return b
}

// Add adds objects. The same object (same id and modified, same content)
// added twice is kept once; the same id and modified with different content
// is an error.
func (b *Builder) Add(objs ...stix.Object) *Builder {
	for _, o := range objs {
		if isNil(o) {
			b.fail("", "", "Add: nil object")
			continue
		}
		if _, ok := o.(*stix.Bundle); ok {
			b.fail(o.ObjectID(), "", "a bundle cannot contain a bundle")
			continue
		}
		id := o.ObjectID()
		if id == "" {
			b.fail("", "id", "Add: %s object without id: make objects with the Factory (or a constructor such as stix.NewIndicator), which assigns one", o.ObjectType())
			continue
		}
		if b.isDuplicate(id, o) {
			continue
		}
		b.index[id] = append(b.index[id], len(b.objects))
		b.objects = append(b.objects, o)
	}
	return b
}

// isDuplicate reports whether an object with the same id and modified is
// already there (recording an error when its content differs). Objects are
// only encoded when their id is seen twice.
func (b *Builder) isDuplicate(id stix.Identifier, o stix.Object) bool {
	prev := b.index[id]
	if len(prev) == 0 {
		return false
	}
	enc, err := stix.Marshal(o)
	if err != nil {
		b.fail(id, "", "cannot encode: %v", err)
		return true
	}
	dup := false
	for _, i := range prev {
		if i == -1 {
			continue
		}
		other, _ := stix.Marshal(b.objects[i])
		if modifiedOf(other) != modifiedOf(enc) {
			continue
		}
		if !bytes.Equal(other, enc) {
			b.fail(id, "", "added twice with the same modified but different content")
		}
		dup = true
	}
	return dup
}

func isNil(o stix.Object) bool {
	if o == nil {
		return true
	}
	v := reflect.ValueOf(o)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// Relate adds a relationship of the given type from src to dst (both are
// added to the bundle too). Like the specification, it accepts types and
// endpoints outside the specification's relationship tables (OpenCTI's
// indicator "based-on" observable, custom types); validate warns about
// them (check 202).
func (b *Builder) Relate(src stix.Object, relationshipType string, dst stix.Object) *Builder {
	if src == nil || dst == nil {
		b.fail("", "", "Relate(%q): nil source or target", relationshipType)
		return b
	}
	b.Add(src, dst)
	return b.Add(b.opt.Factory.NewRelationship(src.ObjectID(), relationshipType, dst.ObjectID()))
}

// Sighting adds a sighting of the SDO of, seen where (identities or
// locations; they are added to the bundle too).
func (b *Builder) Sighting(of stix.Object, where ...stix.Object) *Builder {
	if of == nil {
		b.fail("", "sighting_of_ref", "Sighting: nil object")
		return b
	}
	b.Add(of)
	var ids []stix.Identifier
	for _, w := range where {
		b.Add(w)
		if w != nil {
			ids = append(ids, w.ObjectID())
		}
	}
	return b.Add(b.opt.Factory.NewSighting(of.ObjectID(), ids...))
}

// Build returns the bundle and every problem found, joined (errors.Is
// ErrBuild; each is a *BuildError).
//
// Build modifies the objects added: it appends the builder's markings
// (Markings) to their object_marking_refs and sets created_by_ref (CreatedBy)
// on SDOs and SROs that have none. The bundle holds the caller's objects
// themselves, not copies; copy an object before adding it to keep the
// original unchanged.
func (b *Builder) Build() (*stix.Bundle, error) {
	errs := append([]error(nil), b.errs...)
	objs := make([]stix.Object, len(b.objects))
	copy(objs, b.objects)
	for i, o := range objs {
		objs[i] = b.decorate(o)
	}
	c := newChecker(b)
	for _, o := range objs {
		c.check(o)
	}
	errs = append(errs, c.errs...)
	id := b.opt.BundleID
	if id == "" {
		if b.opt.Factory.NewID != nil {
			id = b.opt.Factory.NewID("bundle")
		} else {
			id = stix.NewIdentifier("bundle")
		}
	}
	bundle := &stix.Bundle{ID: id, Objects: objs}
	if len(errs) > 0 {
		return bundle, errors.Join(errs...)
	}
	return bundle, nil
}

// decorate applies the builder's creator and markings to o (in place: the
// builder owns the objects given to it).
func (b *Builder) decorate(o stix.Object) stix.Object {
	if len(b.markings) > 0 && o.ObjectType() != "marking-definition" {
		if m, ok := o.(stix.Marked); ok {
			refs := m.MarkingRefs()
			for _, id := range b.markings {
				if !slices.Contains(*refs, id) {
					*refs = append(*refs, id)
				}
			}
		}
	}
	if b.createdBy != "" && o.ObjectID() != b.createdBy {
		if info, ok := b.info(o.ObjectType()); ok && (info.Category == "sdo" || info.Category == "sro") {
			if c, ok := o.(stix.Created); ok && *c.CreatorRef() == "" {
				*c.CreatorRef() = b.createdBy
			}
		}
	}
	return o
}

// checker validates objects one after another; its reference visitor is
// made once per Build, so that checking an object allocates nothing when
// it has no problem.
type checker struct {
	b     *Builder
	id    stix.Identifier
	info  *stix.TypeInfo
	errs  []error
	visit func(prop string, target stix.Identifier)
}

func newChecker(b *Builder) *checker {
	c := &checker{b: b}
	c.visit = func(prop string, target stix.Identifier) {
		if _, in := b.index[target]; !in && !b.external[target] && !isTLP(target) {
			c.add(prop, "refers to %s, which is neither in the bundle nor declared external", target)
		}
		if p, ok := c.info.Property(prop); ok && len(p.RefTypes) > 0 && !refTypeAllowed(target.Type(), p.RefTypes) {
			c.add(prop, "refers to %s; expected %s", words.A(target.Type()), strings.Join(p.RefTypes, " or "))
		}
	}
	return c
}

// conditions applies the schema's conditional requirements (malware: name
// when is_family is true; network-traffic: no end when is_active…).
func (c *checker) conditions(o stix.Object, conds []schemas.Condition) {
	m := decoded(o)
	if m == nil {
		return
	}
	for _, cd := range conds {
		if cd.Holds(m) {
			for _, p := range cd.Required {
				if _, ok := m[p]; !ok {
					c.add(p, "required property missing (required when %s is %v)", cd.If, cd.Value)
				}
			}
			for _, p := range cd.Forbidden {
				if _, ok := m[p]; ok {
					c.add(p, "must not be present when %s is %v", cd.If, cd.Value)
				}
			}
			continue
		}
		for _, p := range cd.ElseForbidden {
			if _, ok := m[p]; ok {
				c.add(p, "must not be present unless %s is %v", cd.If, cd.Value)
			}
		}
	}
}

// selectors checks that the granular-marking selectors of o resolve
// inside it (the rule validate applies, internal/selector).
func (c *checker) selectors(o stix.Object) {
	m := decoded(o)
	gms, _ := m["granular_markings"].([]any)
	for _, g := range gms {
		gm, _ := g.(map[string]any)
		sels, _ := gm["selectors"].([]any)
		for _, s := range sels {
			if sel, ok := s.(string); ok {
				if _, ok := selector.Resolve(selector.Any, any(m), sel); !ok {
					c.add("granular_markings", "selector %q does not resolve inside the object", sel)
				}
			}
		}
	}
}

// decoded returns o as decoded JSON, or nil when it does not marshal
// (reported when the bundle is encoded).
func decoded(o stix.Object) map[string]any {
	raw, err := stix.Marshal(o)
	if err != nil {
		return nil
	}
	v, err := jsonscan.DecodeAny(raw, jsonscan.Limits{})
	m, _ := v.(map[string]any)
	if err != nil {
		return nil
	}
	return m
}

func (c *checker) add(prop, format string, args ...any) {
	c.errs = append(c.errs, &BuildError{ObjectID: c.id, Property: prop, Msg: fmt.Sprintf(format, args...)})
}

// check validates one object: required properties, references, indicator
// patterns, granular-marking selectors, the characters of relationship
// types.
func (c *checker) check(o stix.Object) {
	b := c.b
	info, ok := b.info(o.ObjectType())
	if !ok {
		return
	}
	c.id, c.info = o.ObjectID(), info
	if err := c.id.Validate(); err != nil {
		c.add("id", "%v", err)
	} else if c.id.Type() != o.ObjectType() {
		c.add("id", "prefix %q does not match type %q", c.id.Type(), o.ObjectType())
	}
	if has, ok := o.(interface{ Has(string) bool }); ok {
		for _, p := range info.Properties {
			if p.Required && !has.Has(p.Name) {
				c.add(p.Name, "required property missing")
			}
		}
		if has.Has("granular_markings") {
			c.selectors(o)
		}
	}
	if conds := schemas.Conditions(o.ObjectType()); len(conds) > 0 {
		c.conditions(o, conds)
	}
	if r, ok := o.(stix.Referrer); ok {
		r.EachRef(c.visit)
	}
	switch x := o.(type) {
	case *stix.Indicator:
		if x.PatternType == stix.PatternTypeStix && !b.opt.SkipPatternCheck {
			if errs := pattern.Validate(x.Pattern, pattern.CheckOptions{}); len(errs) > 0 {
				c.add("pattern", "invalid STIX pattern: %v", errs[0])
			}
		}
		if !x.ValidUntil.IsZero() && !x.ValidUntil.After(x.ValidFrom) {
			c.add("valid_until", "must be later than valid_from")
		}
	case *stix.Relationship:
		// The specification's relationship tables are SHOULDs ("Relationship
		// types not in this list MAY be used"; validate warns, code 202),
		// so any type and pair of endpoints is accepted; only the MUST on
		// the characters of relationship_type is checked.
		if x.RelationshipType != "" && !relationshipTypeChars(x.RelationshipType) {
			c.add("relationship_type", "%q must contain only a-z, 0-9 and '-'", x.RelationshipType)
		}
	}
}

// relationshipTypeChars reports whether t holds only the characters the
// specification allows in relationship_type (lower-case ASCII letters,
// digits and hyphens).
func relationshipTypeChars(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// info is stix.Info with a one-entry cache (bundles are often long runs of
// one type).
func (b *Builder) info(typ string) (*stix.TypeInfo, bool) {
	if b.lastInfo != nil && b.lastInfo.Type == typ {
		return b.lastInfo, true
	}
	info, ok := stix.Info(typ)
	if ok {
		b.lastInfo = info
	}
	return info, ok
}

func isTLP(id stix.Identifier) bool { _, ok := stix.TLPMarkings[id]; return ok }

func refTypeAllowed(t string, allowed []string) bool { return RefTargetAllowed(t, allowed) }

// RefTargetAllowed reports whether an object of type t may be the target of
// a reference property whose allowed targets (stix.PropertyInfo.RefTypes)
// are allowed: a listed type name, or the category ("sdo", "sco", "sro")
// of a type the specification defines. A custom type (one without type
// information) may stand where any SDO or SCO is allowed, since its id
// does not say which it is, but not where a specific type (identity, for
// created_by_ref) or an SRO is required. bundle.Builder and the validate
// package both use this rule.
func RefTargetAllowed(t string, allowed []string) bool {
	if t == "bundle" {
		return false // a bundle is not an object anything refers to
	}
	info, known := stix.Info(t)
	for _, a := range allowed {
		switch {
		case a == t:
			return true
		case known && a == info.Category:
			return true
		case !known && (a == "sdo" || a == "sco"):
			return true
		}
	}
	return false
}

// modifiedOf extracts "modified" from a canonical encoding.
func modifiedOf(enc []byte) string {
	i := bytes.Index(enc, []byte(`"modified":"`))
	if i < 0 {
		return ""
	}
	rest := enc[i+len(`"modified":"`):]
	if j := bytes.IndexByte(rest, '"'); j >= 0 {
		return string(rest[:j])
	}
	return ""
}
