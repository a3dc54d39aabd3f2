package stix

import "time"

// Factory makes new objects with ids and created/modified set, like the
// Python library's ObjectFactory. Its zero value works (random ids, the
// system clock, millisecond timestamps). A Factory is safe for concurrent
// use when its functions are.
type Factory struct {
	// Clock returns the current time (default time.Now). Tests inject a
	// fixed clock for deterministic output.
	Clock func() time.Time
	// NewID returns the id of a new object of the given type (default
	// NewIdentifier, a random UUIDv4).
	NewID func(objectType string) Identifier
	// CreatedBy, when set, is the created_by_ref of every new SDO/SRO.
	CreatedBy Identifier
}

// DefaultFactory is used by the package-level New… constructors.
var DefaultFactory = &Factory{}

func (f *Factory) now() Timestamp {
	clock := f.Clock
	if clock == nil {
		clock = time.Now
	}
	return NewTimestamp(clock(), Milliseconds)
}

func (f *Factory) id(typ string) Identifier {
	if f.NewID != nil {
		return f.NewID(typ)
	}
	return NewIdentifier(typ)
}

// common returns spec_version, id, created_by_ref, created and modified.
func (f *Factory) common(typ string) (Identifier, Timestamp) {
	return f.id(typ), f.now()
}

// NewIndicator returns an indicator with a STIX pattern (pattern_type
// "stix"), valid from validFrom (the clock's time when zero).
func (f *Factory) NewIndicator(pattern string, validFrom time.Time) *Indicator {
	id, now := f.common("indicator")
	vf := now
	if !validFrom.IsZero() {
		vf = NewTimestamp(validFrom, Milliseconds)
	}
	return &Indicator{SpecVersion: "2.1", ID: id, CreatedByRef: f.CreatedBy, Created: now, Modified: now,
		Pattern: pattern, PatternType: PatternTypeStix, PatternVersion: "2.1", ValidFrom: vf}
}

// NewMalware returns a malware object (a family when isFamily).
func (f *Factory) NewMalware(name string, isFamily bool) *Malware {
	id, now := f.common("malware")
	return &Malware{SpecVersion: "2.1", ID: id, CreatedByRef: f.CreatedBy, Created: now, Modified: now, Name: name, IsFamily: isFamily}
}

// NewIdentity returns an identity of the given class (e.g.
// IdentityClassOrganization).
func (f *Factory) NewIdentity(name string, class IdentityClass) *Identity {
	id, now := f.common("identity")
	return &Identity{SpecVersion: "2.1", ID: id, CreatedByRef: f.CreatedBy, Created: now, Modified: now, Name: name, IdentityClass: class}
}

// NewRelationship returns a relationship from source to target.
func (f *Factory) NewRelationship(source Identifier, relationshipType string, target Identifier) *Relationship {
	id, now := f.common("relationship")
	return &Relationship{SpecVersion: "2.1", ID: id, CreatedByRef: f.CreatedBy, Created: now, Modified: now,
		RelationshipType: relationshipType, SourceRef: source, TargetRef: target}
}

// NewSighting returns a sighting of the given SDO, seen where (identities
// or locations).
func (f *Factory) NewSighting(of Identifier, where ...Identifier) *Sighting {
	id, now := f.common("sighting")
	return &Sighting{SpecVersion: "2.1", ID: id, CreatedByRef: f.CreatedBy, Created: now, Modified: now, SightingOfRef: of, WhereSightedRefs: where}
}

// NewReport returns a report published at published (the clock's time when
// zero) referring to objects.
func (f *Factory) NewReport(name string, published time.Time, objects ...Identifier) *Report {
	id, now := f.common("report")
	pub := now
	if !published.IsZero() {
		pub = NewTimestamp(published, Milliseconds)
	}
	return &Report{SpecVersion: "2.1", ID: id, CreatedByRef: f.CreatedBy, Created: now, Modified: now, Name: name, Published: pub, ObjectRefs: objects}
}

// NewAttackPattern returns an attack pattern.
func (f *Factory) NewAttackPattern(name string) *AttackPattern {
	id, now := f.common("attack-pattern")
	return &AttackPattern{SpecVersion: "2.1", ID: id, CreatedByRef: f.CreatedBy, Created: now, Modified: now, Name: name}
}

// NewThreatActor returns a threat actor.
func (f *Factory) NewThreatActor(name string) *ThreatActor {
	id, now := f.common("threat-actor")
	return &ThreatActor{SpecVersion: "2.1", ID: id, CreatedByRef: f.CreatedBy, Created: now, Modified: now, Name: name}
}

// NewTool returns a tool.
func (f *Factory) NewTool(name string) *Tool {
	id, now := f.common("tool")
	return &Tool{SpecVersion: "2.1", ID: id, CreatedByRef: f.CreatedBy, Created: now, Modified: now, Name: name}
}

// NewVulnerability returns a vulnerability.
func (f *Factory) NewVulnerability(name string) *Vulnerability {
	id, now := f.common("vulnerability")
	return &Vulnerability{SpecVersion: "2.1", ID: id, CreatedByRef: f.CreatedBy, Created: now, Modified: now, Name: name}
}

// NewIndicator is DefaultFactory.NewIndicator.
func NewIndicator(pattern string, validFrom time.Time) *Indicator {
	return DefaultFactory.NewIndicator(pattern, validFrom)
}

// NewMalware is DefaultFactory.NewMalware.
func NewMalware(name string, isFamily bool) *Malware {
	return DefaultFactory.NewMalware(name, isFamily)
}

// NewIdentity is DefaultFactory.NewIdentity.
func NewIdentity(name string, class IdentityClass) *Identity {
	return DefaultFactory.NewIdentity(name, class)
}

// NewRelationship is DefaultFactory.NewRelationship.
func NewRelationship(source Identifier, relationshipType string, target Identifier) *Relationship {
	return DefaultFactory.NewRelationship(source, relationshipType, target)
}

// NewSighting is DefaultFactory.NewSighting.
func NewSighting(of Identifier, where ...Identifier) *Sighting {
	return DefaultFactory.NewSighting(of, where...)
}

// NewReport is DefaultFactory.NewReport.
func NewReport(name string, published time.Time, objects ...Identifier) *Report {
	return DefaultFactory.NewReport(name, published, objects...)
}
