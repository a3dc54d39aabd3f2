package helper

import (
	"errors"

	"github.com/stixkit/stixkit/helper/internal/wire"
)

// ErrBundle is matched (errors.Is) by errors about the bundle's content:
// the cases where pycti raises (a missing id, type or objects member, a
// report referencing an object absent from the bundle, text that is not
// JSON) and a few it would mishandle silently (ids that are not strings).
var ErrBundle = errors.New("helper: unusable bundle")

// BundleError names the object and property that make a bundle unusable.
type BundleError struct {
	Index    int    // position of the object in "objects", -1 for the bundle itself
	ObjectID string // the object's id when known
	Property string // the offending property
	Msg      string
}

// Error implements error (the wording is the wire packages').
func (e *BundleError) Error() string {
	return "helper: " + (&wire.Error{Index: e.Index, ObjectID: e.ObjectID, Property: e.Property, Msg: e.Msg}).Error()
}

// Is matches ErrBundle.
func (e *BundleError) Is(target error) bool { return target == ErrBundle }

// publicError turns the wire packages' errors into the package's own.
func publicError(err error) error {
	var we *wire.Error
	if errors.As(err, &we) {
		return &BundleError{Index: we.Index, ObjectID: we.ObjectID, Property: we.Property, Msg: we.Msg}
	}
	return err
}
