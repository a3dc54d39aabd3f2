package stix

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/stix/stiximpl"
)

// Property is one JSON member kept as raw, compact JSON.
type Property struct {
	Name  string
	Value json.RawMessage
}

// Custom holds the members of an object that the specification does not
// define (custom properties such as x_mitre_version, or unknown ones), in the
// order they were read. They are written after the defined properties.
type Custom []Property

// Get returns the raw value of the named property.
func (c Custom) Get(name string) (json.RawMessage, bool) {
	for _, p := range c {
		if p.Name == name {
			return p.Value, true
		}
	}
	return nil, false
}

// Set stores v (marshalled with encoding/json, compacted) under name,
// replacing an existing value in place.
func (c *Custom) Set(name string, v any) error {
	raw, err := marshalCompact(v)
	if err != nil {
		return fmt.Errorf("stix: custom property %q: %w", name, err)
	}
	for i := range *c {
		if (*c)[i].Name == name {
			(*c)[i].Value = raw
			return nil
		}
	}
	*c = append(*c, Property{Name: name, Value: raw})
	return nil
}

// Delete removes the named property.
func (c *Custom) Delete(name string) {
	for i, p := range *c {
		if p.Name == name {
			*c = append((*c)[:i:i], (*c)[i+1:]...)
			return
		}
	}
}

func marshalCompact(v any) (json.RawMessage, error) {
	if raw, ok := v.(json.RawMessage); ok {
		d := jsonscan.NewDecoder(raw, jsonscan.Limits{})
		out := d.Raw()
		d.ExpectEnd()
		return out, d.Err()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return marshalCompact(json.RawMessage(b))
}

// DecodeMember reads the current member's value raw and appends it (for
// generated decoders).
func (c *Custom) DecodeMember(d *stiximpl.Decoder, key []byte) {
	name := string(key)
	for _, p := range *c {
		if p.Name == name {
			d.Failf("duplicate property %q", name)
			return
		}
	}
	v := d.Raw()
	if !d.Failed() {
		*c = append(*c, Property{Name: name, Value: v})
	}
}

// AppendMembers appends the properties as members of the object that
// starts at b[start] (for generated encoders).
func (c Custom) AppendMembers(b []byte, start int) []byte {
	for _, p := range c {
		b = stiximpl.AppendKey(b, start, p.Name)
		b = stiximpl.AppendRaw(b, p.Value)
	}
	return b
}

// Hash is one entry of a hashes dictionary.
type Hash struct {
	Algorithm string
	Value     string
}

// Hashes is a STIX hashes dictionary, kept in input order.
type Hashes []Hash

// Get returns the value for an algorithm name (exact match).
func (h Hashes) Get(alg string) (string, bool) {
	for _, e := range h {
		if e.Algorithm == alg {
			return e.Value, true
		}
	}
	return "", false
}

// Set stores a hash, replacing an existing value of the same algorithm.
func (h *Hashes) Set(alg, value string) {
	for i := range *h {
		if (*h)[i].Algorithm == alg {
			(*h)[i].Value = value
			return
		}
	}
	*h = append(*h, Hash{alg, value})
}

// DecodeSTIX reads a hashes dictionary (for generated decoders).
func (h *Hashes) DecodeSTIX(d *stiximpl.Decoder) { *h = decodeHashes(d) }

func decodeHashes(d *stiximpl.Decoder) Hashes {
	if !d.BeginObject() {
		return nil
	}
	out := Hashes{}
	var key []byte
	for d.NextMember(&key) {
		alg := string(key)
		if _, dup := out.Get(alg); dup {
			d.Failf("duplicate hash algorithm %q", alg)
		}
		out = append(out, Hash{alg, d.String()})
	}
	return out
}

// AppendSTIX appends the dictionary in its order.
func (h Hashes) AppendSTIX(b []byte) []byte {
	s := len(b)
	b = append(b, '{')
	for _, e := range h {
		b = stiximpl.AppendKey(b, s, e.Algorithm)
		b = stiximpl.AppendString(b, e.Value)
	}
	return append(b, '}')
}

// DictEntry is one member of a Dict.
type DictEntry struct {
	Key   string
	Value json.RawMessage
}

// Dict is a STIX dictionary (or any JSON object kept as is), in input
// order, with raw values.
type Dict []DictEntry

// Get returns the raw value for key.
func (m Dict) Get(key string) (json.RawMessage, bool) {
	for _, e := range m {
		if e.Key == key {
			return e.Value, true
		}
	}
	return nil, false
}

// GetString returns the value for key when it is a JSON string.
func (m Dict) GetString(key string) (string, bool) {
	raw, ok := m.Get(key)
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// Set stores v (marshalled with encoding/json) under key, in place when the
// key exists.
func (m *Dict) Set(key string, v any) error {
	raw, err := marshalCompact(v)
	if err != nil {
		return fmt.Errorf("stix: dictionary key %q: %w", key, err)
	}
	for i := range *m {
		if (*m)[i].Key == key {
			(*m)[i].Value = raw
			return nil
		}
	}
	*m = append(*m, DictEntry{key, raw})
	return nil
}

// DecodeSTIX reads any JSON object as a Dict (for generated decoders).
func (m *Dict) DecodeSTIX(d *stiximpl.Decoder) { *m = decodeDict(d) }

func decodeDict(d *stiximpl.Decoder) Dict {
	if !d.BeginObject() {
		return nil
	}
	out := Dict{}
	var key []byte
	for d.NextMember(&key) {
		k := string(key)
		if _, dup := out.Get(k); dup {
			d.Failf("duplicate key %q", k)
		}
		out = append(out, DictEntry{k, d.Raw()})
	}
	return out
}

// AppendSTIX appends the dictionary in its order.
func (m Dict) AppendSTIX(b []byte) []byte {
	s := len(b)
	b = append(b, '{')
	for _, e := range m {
		b = stiximpl.AppendKey(b, s, e.Key)
		b = stiximpl.AppendRaw(b, e.Value)
	}
	return append(b, '}')
}

// Extension is one entry of an object's extensions dictionary. Value is a
// pointer to the generated struct for predefined extensions (for example
// *ArchiveExt) and a Dict for any other extension.
type Extension struct {
	Name  string
	Value any
}

// Extensions is a STIX extensions dictionary, in input order.
type Extensions []Extension

// Get returns the value of the named extension.
func (x Extensions) Get(name string) (any, bool) {
	for _, e := range x {
		if e.Name == name {
			return e.Value, true
		}
	}
	return nil, false
}

// Set stores an extension value (a predefined extension struct pointer, a
// Dict, or any value encoding/json can marshal), replacing in place.
func (x *Extensions) Set(name string, v any) {
	for i := range *x {
		if (*x)[i].Name == name {
			(*x)[i].Value = v
			return
		}
	}
	*x = append(*x, Extension{name, v})
}

// extensionTypes maps predefined extension names to constructors of their
// generated structs (filled by generated code).
var (
	extMu          sync.RWMutex
	extensionTypes = map[string]func() stiximpl.Codec{}
)

// DecodeSTIX reads an extensions dictionary, decoding predefined
// extensions into their generated structs (for generated decoders).
func (x *Extensions) DecodeSTIX(d *stiximpl.Decoder) { *x = decodeExtensions(d) }

func decodeExtensions(d *stiximpl.Decoder) Extensions {
	if !d.BeginObject() {
		return nil
	}
	out := Extensions{}
	var key []byte
	for d.NextMember(&key) {
		name := string(key)
		if _, dup := out.Get(name); dup {
			d.Failf("duplicate extension %q", name)
		}
		extMu.RLock()
		mk, ok := extensionTypes[name]
		extMu.RUnlock()
		if ok && d.Peek() == '{' {
			v := mk()
			v.DecodeSTIX(d)
			out = append(out, Extension{name, v})
			continue
		}
		if d.Peek() == '{' {
			out = append(out, Extension{name, decodeDict(d)})
		} else {
			out = append(out, Extension{name, json.RawMessage(d.Raw())})
		}
	}
	return out
}

// AppendSTIX appends the dictionary in its order.
func (x Extensions) AppendSTIX(b []byte) []byte {
	s := len(b)
	b = append(b, '{')
	for _, e := range x {
		b = stiximpl.AppendKey(b, s, e.Name)
		b = appendAny(b, e.Value)
	}
	return append(b, '}')
}

// decodeWhole runs read over data as one JSON document.
func decodeWhole(data []byte, read func(d *stiximpl.Decoder)) error {
	d := jsonscan.NewDecoder(data, jsonscan.Limits{})
	read(sd(d))
	d.ExpectEnd()
	if err := d.Err(); err != nil {
		return toParseError(err, data)
	}
	return nil
}

// MarshalJSON writes the properties as a JSON object, in order.
func (c Custom) MarshalJSON() ([]byte, error) {
	b := append([]byte(nil), '{')
	b = c.AppendMembers(b, 0)
	return append(b, '}'), nil
}

// UnmarshalJSON reads a JSON object into properties, in order.
func (c *Custom) UnmarshalJSON(data []byte) error {
	return decodeWhole(data, func(d *stiximpl.Decoder) {
		*c = nil
		if !d.BeginObject() {
			return
		}
		var key []byte
		for d.NextMember(&key) {
			c.DecodeMember(d, key)
		}
	})
}

// MarshalJSON writes the dictionary as a JSON object, in order.
func (h Hashes) MarshalJSON() ([]byte, error) { return h.AppendSTIX(nil), nil }

// UnmarshalJSON reads a hashes dictionary, in order.
func (h *Hashes) UnmarshalJSON(data []byte) error {
	return decodeWhole(data, func(d *stiximpl.Decoder) { *h = decodeHashes(d) })
}

// MarshalJSON writes the dictionary as a JSON object, in order.
func (m Dict) MarshalJSON() ([]byte, error) { return m.AppendSTIX(nil), nil }

// UnmarshalJSON reads any JSON object, in order.
func (m *Dict) UnmarshalJSON(data []byte) error {
	return decodeWhole(data, func(d *stiximpl.Decoder) { *m = decodeDict(d) })
}

// MarshalJSON writes the dictionary as a JSON object, in order.
func (x Extensions) MarshalJSON() ([]byte, error) { return x.AppendSTIX(nil), nil }

// UnmarshalJSON reads an extensions dictionary, decoding predefined
// extensions into their generated structs.
func (x *Extensions) UnmarshalJSON(data []byte) error {
	return decodeWhole(data, func(d *stiximpl.Decoder) { *x = decodeExtensions(d) })
}
