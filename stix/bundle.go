package stix

import (
	"fmt"
	"slices"

	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/stix/stiximpl"
)

// Bundle is a STIX bundle: a container of objects. SpecVersion is only set
// for STIX 2.0 bundles, which carry it at bundle level.
type Bundle struct {
	ID          Identifier
	SpecVersion string
	// Objects is nil when the bundle has no "objects" property, and empty
	// when it has an empty list.
	Objects []Object
	Custom  Custom

	kept stiximpl.Kept // id, spec_version or objects of the wrong type or form
}

// ObjectType returns "bundle".
func (b *Bundle) ObjectType() string { return "bundle" }

// ObjectID returns the bundle id.
func (b *Bundle) ObjectID() Identifier { return b.ID }

// MarshalJSON returns the canonical encoding; it fails when an object
// cannot be encoded (nil, or a user type whose MarshalJSON fails).
// Its value receiver makes encoding/json write STIX for a Bundle value too.
func (b Bundle) MarshalJSON() ([]byte, error) { return b.appendChecked(nil) }

// UnmarshalJSON decodes a bundle.
func (b *Bundle) UnmarshalJSON(data []byte) error { return Unmarshal(data, b) }

// DecodeSTIX reads a bundle (generated-code interface).
func (b *Bundle) DecodeSTIX(d *stiximpl.Decoder) {
	*b = Bundle{}
	if !d.BeginObject() {
		return
	}
	var seen stiximpl.Presence
	var key []byte
	for d.NextMember(&key) {
		switch string(key) {
		case "type":
			seen.Mark(d, 0)
			stiximpl.DecodeType(d, "bundle")
		case "id":
			seen.Mark(d, 1)
			m := d.Mark()
			if b.ID = stiximpl.DecodeID[Identifier](d); d.Failed() && b.kept.Keep(d, m, 1) {
				b.ID = ""
			}
		case "spec_version":
			seen.Mark(d, 2)
			m := d.Mark()
			if b.SpecVersion = d.String(); d.Failed() && b.kept.Keep(d, m, 2) {
				b.SpecVersion = ""
			}
		case "objects":
			seen.Mark(d, 3)
			if d.Peek() != '[' {
				// Not a list: kept as is. Elements that are not objects
				// stay errors.
				m := d.Mark()
				d.Fail("expected an array of objects, found " + jsonscan.KindName(d.Peek()))
				b.kept.Keep(d, m, 3)
				continue
			}
			b.Objects = decodeObjectList(jd(d))
		default:
			b.Custom.DecodeMember(d, key)
		}
	}
}

// AppendSTIX appends the canonical encoding (an object that cannot be
// encoded is written as null; MarshalJSON and Marshal report it instead).
func (b *Bundle) AppendSTIX(buf []byte) []byte {
	out, _ := b.append(buf, false)
	return out
}

func (b *Bundle) appendChecked(buf []byte) ([]byte, error) { return b.append(buf, true) }

func (b *Bundle) append(buf []byte, strict bool) ([]byte, error) {
	s := len(buf)
	buf = append(buf, `{"type":"bundle"`...)
	if b.ID != "" {
		buf = stiximpl.AppendKey(buf, s, "id")
		buf = stiximpl.AppendString(buf, string(b.ID))
	} else if b.kept.Has(1) {
		buf = stiximpl.AppendKey(buf, s, "id")
		buf = b.kept.Append(buf, 1)
	}
	if b.SpecVersion != "" {
		buf = stiximpl.AppendKey(buf, s, "spec_version")
		buf = stiximpl.AppendString(buf, b.SpecVersion)
	} else if b.kept.Has(2) {
		buf = stiximpl.AppendKey(buf, s, "spec_version")
		buf = b.kept.Append(buf, 2)
	}
	if b.Objects != nil {
		buf = stiximpl.AppendKey(buf, s, "objects")
		buf = append(buf, '[')
		start := len(buf)
		for i, o := range b.Objects {
			if i > 0 {
				buf = append(buf, ',')
			}
			if i == 64 || (i > 0 && i%4096 == 0) {
				// Grow once for the rest from the average size so far,
				// instead of re-copying a large buffer many times.
				avg := (len(buf) - start) / i
				buf = slices.Grow(buf, avg*(len(b.Objects)-i)*9/8)
			}
			next, err := AppendJSON(buf, o)
			if err != nil {
				if strict {
					return nil, fmt.Errorf("stix: bundle objects[%d]: %w", i, err)
				}
				next = append(buf, "null"...)
			}
			buf = next
		}
		buf = append(buf, ']')
	} else if b.kept.Has(3) {
		buf = stiximpl.AppendKey(buf, s, "objects")
		buf = b.kept.Append(buf, 3)
	}
	buf = b.Custom.AppendMembers(buf, s)
	return append(buf, '}'), nil
}

// Get returns the first object with the given id, or nil.
func (b *Bundle) Get(id Identifier) Object {
	for _, o := range b.Objects {
		if o.ObjectID() == id {
			return o
		}
	}
	return nil
}

// Generic is an object of a type the registry does not know (for example
// ATT&CK's x-mitre-tactic). It keeps every property, in input order.
type Generic struct {
	Type string
	ID   Identifier
	// Properties holds every member except type and id, in input order.
	Properties Custom
	// typePos and idPos are the positions (in Properties) before which
	// type and id were read, and idFirst whether id came before type, so
	// that input order is kept exactly.
	typePos, idPos int
	idFirst        bool
	idRead         bool // an id was read, possibly ""
}

// ObjectType returns the object's type.
func (g *Generic) ObjectType() string { return g.Type }

// ObjectID returns the object's id.
func (g *Generic) ObjectID() Identifier { return g.ID }

// SetObjectID sets the object's id.
func (g *Generic) SetObjectID(id Identifier) { g.ID = id }

// MarshalJSON returns the encoding: every property in input order (type
// and id first for values built in Go).
// Its value receiver makes encoding/json write STIX for a Generic value too.
func (g Generic) MarshalJSON() ([]byte, error) { return g.AppendSTIX(nil), nil }

// UnmarshalJSON decodes any JSON object with a string type.
func (g *Generic) UnmarshalJSON(data []byte) error { return Unmarshal(data, g) }

// DecodeSTIX reads any object (generated-code interface).
func (g *Generic) DecodeSTIX(d *stiximpl.Decoder) {
	*g = Generic{}
	if !d.BeginObject() {
		return
	}
	var seen stiximpl.Presence
	var key []byte
	for d.NextMember(&key) {
		switch string(key) {
		case "type":
			seen.Mark(d, 0)
			g.Type = d.String()
			g.typePos = len(g.Properties)
		case "id":
			seen.Mark(d, 1)
			if d.Peek() == '"' {
				g.ID = Identifier(d.String())
				g.idPos = len(g.Properties)
				g.idFirst = !seen.Has(0)
				g.idRead = true
				continue
			}
			g.Properties.DecodeMember(d, key) // keep a non-string id as is
		default:
			g.Properties.DecodeMember(d, key)
		}
	}
}

// AppendSTIX appends the object with its members in input order.
func (g *Generic) AppendSTIX(b []byte) []byte {
	s := len(b)
	b = append(b, '{')
	n := len(g.Properties)
	for i := 0; i <= n; i++ {
		atType, atID := i == min(g.typePos, n), i == min(g.idPos, n) && (g.ID != "" || g.idRead)
		if atID && g.idFirst {
			b = stiximpl.AppendKey(b, s, "id")
			b = stiximpl.AppendString(b, string(g.ID))
			atID = false
		}
		if atType {
			b = stiximpl.AppendKey(b, s, "type")
			b = stiximpl.AppendString(b, g.Type)
		}
		if atID {
			b = stiximpl.AppendKey(b, s, "id")
			b = stiximpl.AppendString(b, string(g.ID))
		}
		if i < len(g.Properties) {
			p := g.Properties[i]
			b = stiximpl.AppendKey(b, s, p.Name)
			b = stiximpl.AppendRaw(b, p.Value)
		}
	}
	return append(b, '}')
}
