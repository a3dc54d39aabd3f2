package gen

// IR is everything the templates print: all names and Go types decided.
type IR struct {
	Package string // Go package name of the output
	// Qual is the qualifier of the stix runtime ("" inside package stix,
	// "stix." elsewhere).
	Qual string
	// SourcePrefix is prepended to Type.Source in generated comments.
	SourcePrefix string
	Types        []*Type
	Vocabs       []*Vocab
}

// Type is one generated struct.
type Type struct {
	Name     string // Go name
	STIXType string // "indicator", "archive-ext"; "" for embedded types
	Category string // sdo, sro, sco, meta, extension, embedded
	Source   string // schema path the type comes from, relative to the schema root
	Doc      string
	Fields   []*Field
	// IDContributing lists the JSON names of the properties an SCO's
	// deterministic id is computed from.
	IDContributing []string
	// External types are defined by the base package and not generated.
	External bool
	// Ctor is the constructor of an SDO, SRO or SCO of package stix.
	Ctor *Ctor
}

// Field is one property of a Type.
type Field struct {
	JSON     string
	Name     string // Go field name
	Doc      string
	Kind     string // string bool int float timestamp identifier strings identifiers hashes dict extensions struct structs raw type
	GoType   string // Go type as written in the struct
	Elem     string // element type for strings/structs/struct kinds
	Required bool
	Default  string // JSON literal of the spec default, if any
	// Timestamp precision tag: "", "millis-min", "millis-exact", "second".
	Timestamp string
	RefTypes  []string
	Vocab     string // vocabulary key ("indicator-type-ov"), if any
	Fixed     string // the required value of "type"
	Index     int    // presence bit
}

// Vocab is a named string type with constants (open vocabulary or enum).
type Vocab struct {
	Name   string // Go type name
	Key    string // definition name, e.g. "indicator-type-ov"
	Open   bool
	Doc    string
	Source string
	Values []VocabValue
}

// VocabValue is one constant of a Vocab.
type VocabValue struct {
	Const string // Go constant name
	Value string
}
