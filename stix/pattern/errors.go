package pattern

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Sentinel errors; every error returned by this package wraps one of them.
var (
	// ErrSyntax is wrapped by every [*SyntaxError].
	ErrSyntax = errors.New("pattern: syntax error")
	// ErrLimit is also wrapped by a [*SyntaxError] reporting that the input
	// is longer or nests deeper than [ParseOptions] allow.
	ErrLimit = errors.New("pattern: limit exceeded")
	// ErrCheck is wrapped by every [*CheckError] returned by [Check].
	ErrCheck = errors.New("pattern: name check failed")
	// ErrBuild is wrapped by every error collected by the builder.
	ErrBuild = errors.New("pattern: invalid builder input")
)

// SyntaxError reports a pattern that does not follow the STIX 2.1 pattern
// grammar, at the position of the offending token.
type SyntaxError struct {
	// Offset is the byte offset of the offending token, from 0.
	Offset int
	// Line is the line of the offending token, from 1 (lines end at '\n').
	Line int
	// Column is the column of the offending token in Unicode code points,
	// from 1.
	Column int
	// Msg describes the problem, e.g. "expected ']' but found end of pattern".
	Msg string

	sentinel error
}

// Error returns "line:column: message".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
}

// Unwrap returns [ErrSyntax], and [ErrLimit] too for size and depth limits.
func (e *SyntaxError) Unwrap() []error {
	if e.sentinel == nil {
		return []error{ErrSyntax}
	}
	return []error{ErrSyntax, e.sentinel}
}

// position returns the 1-based line and code-point column of a byte offset
// in src.
func position(src string, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	line, col = 1, 1
	lineStart := 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	col += utf8.RuneCountInString(src[lineStart:off])
	return line, col
}

func newSyntaxError(src string, off int, sentinel error, format string, args ...any) *SyntaxError {
	line, col := position(src, off)
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &SyntaxError{Offset: off, Line: line, Column: col, Msg: msg, sentinel: sentinel}
}

// CheckError reports an object type, property name or hash value that breaks
// the naming rules applied by [Check].
type CheckError struct {
	// Offset, Line and Column locate the object path in the parsed text
	// (byte offset from 0, line and code-point column from 1). They are
	// zero for patterns made with the builder.
	Offset, Line, Column int
	// Rule names the rule that failed: "type-name", "custom-type",
	// "custom-property", "custom-prefix", "custom-prefix-lax", "property-name"
	// or "hash".
	Rule string
	// ObjectType is the object type of the path.
	ObjectType string
	// Property is the first property name of the path ("" for type rules).
	Property string
	// Msg is the explanation, worded like the OASIS validator's.
	Msg string
}

// Error returns the message, prefixed by "line:column: " when known.
func (e *CheckError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
}

// Unwrap returns [ErrCheck].
func (e *CheckError) Unwrap() error { return ErrCheck }
