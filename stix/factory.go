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

// DefaultFactory is used by the package-level New… constructors of SDOs
// and SROs. The constructors (generated with the types) take the required
// properties.
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

// Common returns the id of a new object of the given type and the
// clock's time at millisecond precision: the id, created and modified the
// constructors set (those generated for users' types included).
func (f *Factory) Common(objectType string) (Identifier, Timestamp) {
	return f.id(objectType), f.now()
}
