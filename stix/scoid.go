package stix

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/stixkit/stixkit/internal/jcs"
	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/stix/stiximpl"
)

// SCONamespace is the UUIDv5 namespace of deterministic SCO identifiers.
var SCONamespace = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")

// ErrNoIDContributing is returned by DeterministicID when the object has
// none of its type's id-contributing properties (or its type has none, like
// process): its id must then be a random version 4 UUID.
var ErrNoIDContributing = errors.New("stix: no id-contributing properties")

// commonSCOProps are the properties every SCO has; they never contribute
// to the id of an unknown type.
var commonSCOProps = map[string]bool{
	"type": true, "id": true, "spec_version": true, "object_marking_refs": true,
	"granular_markings": true, "defanged": true, "extensions": true,
}

// hashPreference is the order in which one hash is chosen for the id.
var hashPreference = []string{"MD5", "SHA-1", "SHA-256", "SHA-512"}

// IDContributing returns the id-contributing properties of an SCO type.
// For a type the registry does not describe, every property except the
// common SCO ones contributes (ok is false then).
func IDContributing(obj Object) (props []string, ok bool) {
	if info, found := Info(obj.ObjectType()); found && info.Category == "sco" {
		return info.IDContributing, true
	}
	raw, err := Marshal(obj)
	if err != nil {
		return nil, false
	}
	d := jsonscan.NewDecoder(raw, jsonscan.Limits{})
	d.BeginObject()
	var key []byte
	for d.NextMember(&key) {
		if !commonSCOProps[string(key)] {
			props = append(props, string(key))
		}
		d.Skip()
	}
	return props, false
}

// DeterministicID computes an SCO's identifier as the Python stix2 library
// does: a UUIDv5 in SCONamespace over the RFC 8785 canonical JSON of the
// id-contributing properties that are present (one hash, chosen MD5 >
// SHA-1 > SHA-256 > SHA-512 > first; timestamps as formatted strings).
// It returns ErrNoIDContributing when none is present (process always).
func DeterministicID(obj Object) (Identifier, error) {
	props, _ := IDContributing(obj)
	return deterministicID(obj, props)
}

// DeterministicIDWith is DeterministicID with an explicit list of
// id-contributing properties (for custom SCO types).
func DeterministicIDWith(obj Object, props []string) (Identifier, error) {
	return deterministicID(obj, props)
}

func deterministicID(obj Object, props []string) (Identifier, error) {
	typ := obj.ObjectType()
	if len(props) == 0 {
		return "", fmt.Errorf("%w: type %s", ErrNoIDContributing, typ)
	}
	raw, err := Marshal(obj)
	if err != nil {
		return "", err
	}
	want := map[string]bool{}
	for _, p := range props {
		want[p] = true
	}
	info, _ := Info(typ)
	d := jsonscan.NewDecoder(raw, jsonscan.Limits{})
	d.BeginObject()
	out := []byte{'{'}
	var key []byte
	for d.NextMember(&key) {
		name := string(key)
		if !want[name] {
			d.Skip()
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = stiximpl.AppendString(out, name)
		out = append(out, ':')
		var pi PropertyInfo
		if info != nil {
			pi, _ = info.Property(name)
		}
		switch {
		case name == "hashes" && d.Peek() == '{':
			out = appendPreferredHash(out, decodeHashes(sd(d)))
		case pi.Kind == "timestamp":
			out = appendPyTimestamp(out, decodeTimestamp(sd(d)), pi.Timestamp)
		case name == "extensions" && d.Peek() == '{':
			out = appendIDExtensions(out, decodeExtensions(sd(d)))
		default:
			out = append(out, d.Raw()...)
		}
	}
	out = append(out, '}')
	if err := d.Err(); err != nil {
		return "", fmt.Errorf("stix: id of %s: %w", typ, err)
	}
	if len(out) == 2 {
		return "", fmt.Errorf("%w: %s has none of %s", ErrNoIDContributing, typ, strings.Join(props, ", "))
	}
	canon, err := jcs.Canonicalize(out)
	if err != nil {
		return "", fmt.Errorf("stix: id of %s: %w", typ, err)
	}
	return Identifier(typ + "--" + uuid.NewSHA1(SCONamespace, canon).String()), nil
}

// normalizeHashName maps spellings such as "sha256" to the specification's
// "SHA-256" as the Python library does before choosing.
func normalizeHashName(alg string) string {
	k := strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(alg, "-", ""), "_", ""))
	switch k {
	case "MD5", "SHA1", "SHA256", "SHA512", "SHA3256", "SHA3512", "SSDEEP", "TLSH":
		switch k {
		case "SHA1":
			return "SHA-1"
		case "SHA256":
			return "SHA-256"
		case "SHA512":
			return "SHA-512"
		case "SHA3256":
			return "SHA3-256"
		case "SHA3512":
			return "SHA3-512"
		}
		return k
	}
	return alg
}

func appendPreferredHash(b []byte, h Hashes) []byte {
	pick := -1
	for _, pref := range hashPreference {
		for i, e := range h {
			if normalizeHashName(e.Algorithm) == pref {
				pick = i
				break
			}
		}
		if pick >= 0 {
			break
		}
	}
	if pick < 0 && len(h) > 0 {
		pick = 0
	}
	if pick < 0 {
		return append(b, "{}"...)
	}
	e := h[pick]
	b = append(b, '{')
	b = stiximpl.AppendString(b, normalizeHashName(e.Algorithm))
	b = append(b, ':')
	b = stiximpl.AppendString(b, e.Value)
	return append(b, '}')
}

// appendIDExtensions writes extensions for the id: predefined ones with
// their timestamps formatted as Python does, others as they are.
func appendIDExtensions(b []byte, x Extensions) []byte {
	s := len(b)
	b = append(b, '{')
	for _, e := range x {
		b = stiximpl.AppendKey(b, s, e.Name)
		c, ok := e.Value.(stiximpl.Codec)
		info, _ := Info(e.Name)
		if !ok || info == nil {
			b = appendAny(b, e.Value)
			continue
		}
		raw := c.AppendSTIX(nil)
		d := jsonscan.NewDecoder(raw, jsonscan.Limits{})
		d.BeginObject()
		es := len(b)
		b = append(b, '{')
		var key []byte
		for d.NextMember(&key) {
			b = stiximpl.AppendKey(b, es, string(key))
			if pi, _ := info.Property(string(key)); pi.Kind == "timestamp" {
				b = appendPyTimestamp(b, decodeTimestamp(sd(d)), pi.Timestamp)
			} else {
				b = append(b, d.Raw()...)
			}
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendPyTimestamp writes a timestamp as the Python stix2 library formats
// it for the given precision rule (see Timestamp.AppendPython).
func appendPyTimestamp(b []byte, t Timestamp, rule string) []byte {
	b = append(b, '"')
	b = t.AppendPython(b, rule)
	return append(b, '"')
}

// AppendPython appends t formatted like the Python stix2 library: rule
// "millis-min" (created/modified: microseconds without trailing zeros, at
// least 3 digits), "millis-exact" (exactly 3 digits), "second" (no
// fraction), or "" (microseconds without trailing zeros, none when zero).
// Python keeps microseconds, so digits beyond the sixth are dropped.
func (t Timestamp) AppendPython(b []byte, rule string) []byte {
	tm := t.Time()
	us := tm.Nanosecond() / 1000
	digits := 6
	for digits > 0 && us%10 == 0 {
		us /= 10
		digits--
	}
	switch rule {
	case "millis-min":
		digits = max(digits, 3)
	case "millis-exact":
		digits = 3
	case "second":
		digits = 0
	}
	return appendTime(b, tm.Truncate(1000), digits)
}

func decodeTimestamp(d *stiximpl.Decoder) Timestamp {
	var t Timestamp
	t.DecodeSTIX(d)
	return t
}
