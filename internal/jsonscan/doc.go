// Package jsonscan is a small, allocation-conscious JSON reader used by the
// generated decoders of package stix. It reads one value at a time from a
// byte slice, keeps the first error (sticky), records where it happened as a
// JSON pointer, and enforces depth and size limits so that hostile input is
// refused with an error instead of exhausting the stack or memory.
//
// It is not API: the stix package wraps its errors in its own types.
package jsonscan
