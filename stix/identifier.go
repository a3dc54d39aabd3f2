package stix

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Identifier is a STIX identifier: "<object-type>--<UUID>".
type Identifier string

// ErrIdentifier is returned (wrapped) for malformed identifiers.
var ErrIdentifier = errors.New("stix: invalid identifier")

// NewIdentifier returns a fresh identifier with a random (version 4) UUID.
func NewIdentifier(objectType string) Identifier {
	return Identifier(objectType + "--" + uuid.NewString())
}

// ParseIdentifier checks that s has the form <type>--<uuid> (RFC 4122
// variant; hexadecimal digits of either case, as the Python stix2 library
// accepts them, though the specification asks for lower case) and returns it.
func ParseIdentifier(s string) (Identifier, error) {
	id := Identifier(s)
	if err := id.Validate(); err != nil {
		return "", err
	}
	return id, nil
}

// Validate checks the form of the identifier.
func (id Identifier) Validate() error {
	s := string(id)
	i := strings.Index(s, "--")
	if i <= 0 || len(s)-i-2 != 36 {
		return fmt.Errorf("%w %q: want <object-type>--<UUID>", ErrIdentifier, s)
	}
	if !validTypeName(s[:i]) {
		return fmt.Errorf("%w %q: %q is not a valid object type name", ErrIdentifier, s, s[:i])
	}
	if !validUUID(s[i+2:]) {
		return fmt.Errorf("%w %q: %q is not an RFC 4122 UUID", ErrIdentifier, s, s[i+2:])
	}
	return nil
}

// validUUID checks 8-4-4-4-12 hex with the RFC 4122 variant.
func validUUID(u string) bool {
	if len(u) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := u[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	v := u[19] // variant nibble: 8, 9, a or b
	return v == '8' || v == '9' || v == 'a' || v == 'b' || v == 'A' || v == 'B'
}

// validTypeName reports whether s is a STIX object type name: lower-case
// ASCII letters, digits and hyphens, starting with a letter, 3–250 chars.
func validTypeName(s string) bool {
	if len(s) < 3 || len(s) > 250 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Type returns the object type part of the identifier.
func (id Identifier) Type() string {
	s := string(id)
	if i := strings.Index(s, "--"); i >= 0 {
		return s[:i]
	}
	return ""
}

// UUID returns the UUID part of the identifier.
func (id Identifier) UUID() (uuid.UUID, error) {
	s := string(id)
	i := strings.Index(s, "--")
	if i < 0 {
		return uuid.UUID{}, fmt.Errorf("%w %q", ErrIdentifier, s)
	}
	return uuid.Parse(s[i+2:])
}

// String returns the identifier text.
func (id Identifier) String() string { return string(id) }
