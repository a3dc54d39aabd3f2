package bundle

import (
	"errors"
	"fmt"
	"io"

	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/stix"
)

// EncodeOptions configure an Encoder. The zero value writes a canonical
// bundle with a fresh id.
type EncodeOptions struct {
	// ID is the bundle id (default: a fresh bundle--<uuid4>).
	ID stix.Identifier
	// SpecVersion, when set, is written at bundle level (STIX 2.0 bundles).
	SpecVersion string
	// Style selects the writer (default Canonical).
	Style Style
}

// Encoder writes a bundle object by object: the header on the first call,
// each object as it comes, the closing brackets on Close. An Encoder is not
// safe for concurrent use.
type Encoder struct {
	w       io.Writer
	opt     EncodeOptions
	n       int
	buf     []byte
	err     error
	closed  bool
	trailer stix.Custom
}

// AddTrailer records bundle members to write after the objects, on Close
// (for example a bundle-level spec_version or custom members that a
// streaming Decoder only saw after the objects). Canonical style only.
func (e *Encoder) AddTrailer(members ...stix.Property) {
	e.trailer = append(e.trailer, members...)
}

// NewEncoder returns an Encoder writing to w.
func NewEncoder(w io.Writer, opt EncodeOptions) *Encoder {
	if opt.ID == "" {
		opt.ID = stix.NewIdentifier("bundle")
	}
	return &Encoder{w: w, opt: opt}
}

// ErrClosed is returned by an Encoder used after Close.
var ErrClosed = errors.New("bundle: encoder closed")

// Encode writes one object.
func (e *Encoder) Encode(obj stix.Object) error {
	_, err := e.EncodeCount(obj)
	return err
}

// EncodeCount writes one object and returns the number of bytes written.
func (e *Encoder) EncodeCount(obj stix.Object) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if e.closed {
		return 0, ErrClosed
	}
	b := e.buf[:0]
	if e.n == 0 {
		b = e.header(b)
	} else {
		b = append(b, e.sep()...)
	}
	var err error
	b, err = e.opt.Style.appendObject(b, obj, 1)
	if err != nil {
		return 0, fmt.Errorf("bundle: object %s: %w", obj.ObjectID(), err)
	}
	e.n++
	e.buf = b
	n, err := e.w.Write(b)
	if err != nil {
		e.err = err
	}
	return n, err
}

func (e *Encoder) sep() string {
	if e.opt.Style == PythonPretty {
		return ",\n        "
	}
	if e.opt.Style == Python {
		return ", "
	}
	return ","
}

func (e *Encoder) header(b []byte) []byte {
	switch e.opt.Style {
	case Python, PythonPretty:
		nl, ind := "", ""
		if e.opt.Style == PythonPretty {
			nl, ind = "\n", "    "
		}
		b = append(b, "{"+nl+ind+`"type": "bundle",`...)
		if e.opt.Style == Python {
			b = append(b, ' ')
		}
		b = append(b, nl+ind+`"id": `...)
		b = pyString(b, string(e.opt.ID))
		b = append(b, ',')
		if e.opt.SpecVersion != "" {
			if e.opt.Style == Python {
				b = append(b, ' ')
			}
			b = append(b, nl+ind+`"spec_version": `...)
			b = pyString(b, e.opt.SpecVersion)
			b = append(b, ',')
		}
		if e.opt.Style == Python {
			b = append(b, ' ')
		}
		b = append(b, nl+ind+`"objects": [`+nl+ind+ind...)
		return b
	}
	b = append(b, `{"type":"bundle","id":`...)
	b = jsonscan.AppendString(b, string(e.opt.ID))
	if e.opt.SpecVersion != "" {
		b = append(b, `,"spec_version":`...)
		b = jsonscan.AppendString(b, e.opt.SpecVersion)
	}
	return append(b, `,"objects":[`...)
}

// Close writes the end of the bundle (a bundle with no objects when nothing
// was encoded). It does not close the underlying writer.
func (e *Encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return nil
	}
	e.closed = true
	b := e.buf[:0]
	if e.n == 0 {
		b = e.header(b)
	}
	switch e.opt.Style {
	case PythonPretty:
		if e.n == 0 {
			b = b[:len(b)-len("\n        ")]
		} else {
			b = append(b, "\n    "...)
		}
		b = append(b, "]\n}"...)
	default:
		b = append(b, ']')
		for _, m := range e.trailer {
			b = append(b, ',')
			b = jsonscan.AppendString(b, m.Name)
			b = append(b, ':')
			b = jsonscan.AppendRaw(b, m.Value)
		}
		b = append(b, '}')
	}
	_, err := e.w.Write(b)
	return err
}
