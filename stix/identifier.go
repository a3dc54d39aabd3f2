package stix

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/stixkit/stixkit/internal/stixid"
)

// Identifier is a STIX identifier: "<object-type>--<UUID>".
type Identifier string

// ErrIdentifier is returned (wrapped) for malformed identifiers.
var ErrIdentifier = errors.New("stix: invalid identifier")

// NewIdentifier returns a fresh identifier with a random (version 4) UUID.
// Randomness comes from crypto/rand, read in blocks for speed. Safe for
// concurrent use.
func NewIdentifier(objectType string) Identifier {
	var u uuid.UUID
	idPool.Lock()
	if idPool.pos == len(idPool.buf) {
		if _, err := rand.Read(idPool.buf[:]); err != nil {
			idPool.Unlock()
			return Identifier(objectType + "--" + uuid.NewString())
		}
		idPool.pos = 0
	}
	copy(u[:], idPool.buf[idPool.pos:idPool.pos+16])
	idPool.pos += 16
	idPool.Unlock()
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	b := make([]byte, 0, len(objectType)+38)
	b = append(b, objectType...)
	b = append(b, '-', '-')
	var txt [36]byte
	hexUUID(txt[:], u)
	return Identifier(append(b, txt[:]...))
}

var idPool struct {
	sync.Mutex
	buf [16 * 256]byte
	pos int
}

func init() { idPool.pos = len(idPool.buf) }

// hexUUID writes u as 8-4-4-4-12 lower-case hex into dst (36 bytes).
func hexUUID(dst []byte, u uuid.UUID) {
	j := 0
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst[j] = '-'
			j++
		}
		dst[j] = hexDigits[c>>4]
		dst[j+1] = hexDigits[c&0xf]
		j += 2
	}
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
	if p := stixid.Problem(string(id)); p != "" {
		return fmt.Errorf("%w %q: %s", ErrIdentifier, string(id), p)
	}
	return nil
}

func validTypeName(s string) bool { return stixid.ValidTypeName(s) }

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

const hexDigits = "0123456789abcdef"
