package stiximpl

import "sync"

// TypeInfo describes a generated type: its properties in specification
// order with what the schema says of them. Validation and the
// Python-compatible writer read it (package stix exposes it as
// stix.TypeInfo).
type TypeInfo struct {
	Type     string // STIX type or extension name; the Go name for embedded types
	GoName   string
	Category string // sdo, sro, sco, meta, extension, embedded
	// IDContributing lists, for SCOs, the properties the deterministic id
	// is computed from.
	IDContributing []string
	Properties     []PropertyInfo
}

// PropertyInfo describes one property of a generated type.
type PropertyInfo struct {
	Name      string
	Kind      string // type string bool int float timestamp identifier strings identifiers hashes dict extensions struct structs raw
	Required  bool
	Default   string   // JSON text of the specification default, if any
	Timestamp string   // precision rule: "", "millis-min", "millis-exact", "second"
	Elem      string   // Go name of the element/struct type, for struct(s) and vocabularies
	Vocab     string   // vocabulary name, e.g. "indicator-type-ov"
	RefTypes  []string // allowed target types of references ("sdo", "sco", "sro" or type names)
}

// Property returns the named property's info.
func (t *TypeInfo) Property(name string) (PropertyInfo, bool) {
	for _, p := range t.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return PropertyInfo{}, false
}

var infos = struct {
	sync.RWMutex
	byType, byGo map[string]*TypeInfo
}{byType: map[string]*TypeInfo{}, byGo: map[string]*TypeInfo{}}

// RegisterInfo records the metadata of a generated type.
func RegisterInfo(info *TypeInfo) {
	infos.Lock()
	defer infos.Unlock()
	if info.Category != "embedded" {
		infos.byType[info.Type] = info
	}
	infos.byGo[info.GoName] = info
}

// Info returns the metadata of a registered STIX type or extension name.
func Info(typ string) (*TypeInfo, bool) {
	infos.RLock()
	defer infos.RUnlock()
	t, ok := infos.byType[typ]
	return t, ok
}

// InfoByGoName returns the metadata of a generated type by its Go name.
func InfoByGoName(name string) (*TypeInfo, bool) {
	infos.RLock()
	defer infos.RUnlock()
	t, ok := infos.byGo[name]
	return t, ok
}

// Vocabulary is a vocabulary of the schemas: its values and whether it is
// open (other values allowed) or closed (an enumeration).
type Vocabulary struct {
	Name   string // e.g. "indicator-type-ov"
	Open   bool
	Values []string
}

var vocabularies = struct {
	sync.RWMutex
	m map[string]*Vocabulary
}{m: map[string]*Vocabulary{}}

// RegisterVocabulary records a vocabulary.
func RegisterVocabulary(name string, open bool, values []string) {
	vocabularies.Lock()
	defer vocabularies.Unlock()
	vocabularies.m[name] = &Vocabulary{Name: name, Open: open, Values: values}
}

// LookupVocabulary returns a vocabulary by its schema name.
func LookupVocabulary(name string) (*Vocabulary, bool) {
	vocabularies.RLock()
	defer vocabularies.RUnlock()
	v, ok := vocabularies.m[name]
	return v, ok
}
