package stiximpl

import "github.com/stixkit/stixkit/internal/jsonscan"

// Decoder is the one-pass JSON reader generated decoders read from. Errors
// are sticky: after the first one every read returns a zero value and
// Failed reports true. A Decoder is not safe for concurrent use.
type Decoder jsonscan.Decoder

func (d *Decoder) s() *jsonscan.Decoder { return (*jsonscan.Decoder)(d) }

// Failed reports whether an error was met.
func (d *Decoder) Failed() bool { return d.s().Failed() }

// Err returns the first error met, or nil.
func (d *Decoder) Err() error { return d.s().Err() }

// Offset returns the current read position in the input.
func (d *Decoder) Offset() int { return d.s().Offset() }

// Fail records msg as the error at the current position (unless an error
// is already recorded).
func (d *Decoder) Fail(msg string) { d.s().Fail(msg) }

// FailAt records msg as the error at input offset off.
func (d *Decoder) FailAt(off int, msg string) { d.s().FailAt(off, msg) }

// Peek returns the kind of the next value: '{', '[', '"', 't', 'f', 'n',
// '0' (a number), or 0 at the end of input or after an error.
func (d *Decoder) Peek() byte { return d.s().Peek() }

// BeginObject consumes '{'; it records an error and returns false when the
// next value is not an object.
func (d *Decoder) BeginObject() bool { return d.s().BeginObject() }

// NextMember advances to the next member of the current object, storing its
// key (valid until the next call) in *key; false at the end or on error.
func (d *Decoder) NextMember(key *[]byte) bool { return d.s().NextMember(key) }

// BeginArray consumes '['.
func (d *Decoder) BeginArray() bool { return d.s().BeginArray() }

// NextElement advances to the next array element; *i starts at -1.
func (d *Decoder) NextElement(i *int) bool { return d.s().NextElement(i) }

// IsNull consumes a null literal if one is next.
func (d *Decoder) IsNull() bool { return d.s().IsNull() }

// Bool reads true or false.
func (d *Decoder) Bool() bool { return d.s().Bool() }

// String reads a string value.
func (d *Decoder) String() string { return d.s().String() }

// StringBytes reads a string value; the result is valid until the next call.
func (d *Decoder) StringBytes() []byte { return d.s().StringBytes() }

// NumberLiteral reads a number and returns its literal text.
func (d *Decoder) NumberLiteral() []byte { return d.s().NumberLiteral() }

// Raw reads any value and returns a compact copy of it.
func (d *Decoder) Raw() []byte { return d.s().Raw() }

// Skip reads and discards one value, checking its syntax.
func (d *Decoder) Skip() { d.s().Skip() }

// Mark is a position in the input to come back to (see Kept.Keep).
type Mark struct{ m jsonscan.Mark }

// Mark returns the position of the next value.
func (d *Decoder) Mark() Mark { return Mark{d.s().Mark()} }

// Failf is Fail with formatting.
func (d *Decoder) Failf(format string, args ...any) { d.s().Failf(format, args...) }
