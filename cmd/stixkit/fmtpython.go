package main

import (
	"bytes"
	"errors"
	"io"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/internal/pyjson"
)

// The Python styles stream too: each object goes through
// bundle.FormatPython on its own (with the Python library's coercions), and
// the container's framing (the bundle's other members in input order, the
// indentation) comes from FormatPython of the container with one
// placeholder object in place of the objects, cut around it.

const (
	splitType = "x-stixkit-split"
	splitObj  = `{"type":"` + splitType + `","id":"` + splitType + `--00000000-0000-4000-8000-000000000000"}`
)

// recorder keeps what the decoder read since the start of the object last
// returned (the whole input until the first object), to recover the
// container's text before the first object and after the last one.
type recorder struct {
	r    io.Reader
	buf  []byte
	stop bool // recording is no longer needed
}

func (rc *recorder) Read(p []byte) (int, error) {
	n, err := rc.r.Read(p)
	if !rc.stop {
		rc.buf = append(rc.buf, p[:n]...)
	}
	return n, err
}

// advance drops what precedes raw, the object just returned, which starts
// at or after skip (the previous object's length: only commas and
// whitespace lie between two objects, so its first match is the object).
func (rc *recorder) advance(raw []byte, skip int) (prefix []byte, err error) {
	if rc.stop {
		return nil, nil
	}
	at := bytes.Index(rc.buf[skip:], raw)
	if at < 0 {
		return nil, errors.New("cannot locate an object in the input")
	}
	prefix = rc.buf[:skip+at]
	rest := rc.buf[skip+at:]
	if cap(rc.buf) > 4*len(rest)+(1<<20) {
		rest = append([]byte(nil), rest...) // let the old buffer go
	}
	rc.buf = rest
	return prefix, nil
}

// withType appends a "type":"bundle" member to a bundle container missing
// one (its type came on the other side of the objects), so that
// FormatPython takes it; it does not change the text cut from it.
func withType(container []byte, before bool) ([]byte, error) {
	v, err := pyjson.Parse(container, pyjson.ParseOptions{})
	if err != nil {
		return nil, err
	}
	if _, ok := v.Get("type"); ok {
		return container, nil
	}
	if before {
		return append([]byte(`{"type":"bundle",`), bytes.TrimLeft(container, " \t\r\n")[1:]...), nil
	}
	c := bytes.TrimRight(container, " \t\r\n")
	return append(append(c[:len(c)-1:len(c)-1], `,"type":"bundle"`...), '}'), nil
}

// framing is a container's text around its objects.
type framing struct {
	head, tail []byte
	sep        []byte // between two objects
	indent     []byte // added after each newline of an object (pretty)
}

// cutFraming formats container (JSON holding splitObj as its only object)
// and cuts the output around the placeholder.
func cutFraming(container []byte, pretty bool) (framing, error) {
	out, err := bundle.FormatPython(container, pretty)
	if err != nil {
		return framing{}, err
	}
	at := bytes.Index(out, []byte(`"`+splitType+`"`))
	if at < 0 {
		return framing{}, errors.New("placeholder lost")
	}
	open := bytes.LastIndexByte(out[:at], '{')
	end := at + bytes.IndexByte(out[at:], '}')
	f := framing{head: out[:open], tail: out[end+1:], sep: []byte(", ")}
	if pretty {
		nl := bytes.LastIndexByte(f.head, '\n')
		f.indent = append([]byte(nil), f.head[nl+1:]...)
		f.sep = append([]byte(",\n"), f.indent...)
	}
	return f, nil
}

// writeObject writes one object's Python form, indented for its place.
func (f framing) writeObject(w io.Writer, raw []byte, pretty bool, first bool) error {
	out, err := bundle.FormatPython(raw, pretty)
	if err != nil {
		return err
	}
	if len(f.indent) > 0 {
		out = bytes.ReplaceAll(out, []byte("\n"), append([]byte("\n"), f.indent...))
	}
	if !first {
		if _, err := w.Write(f.sep); err != nil {
			return err
		}
	}
	_, err = w.Write(out)
	return err
}

// fmtPython copies r to w in the Python stix2 library's serialize() form
// (pretty: serialize(pretty=True)), object by object. Its output is the
// bytes of bundle.FormatPython on the whole input.
func fmtPython(w io.Writer, r io.Reader, pretty bool) error {
	rec := &recorder{r: r}
	dec := bundle.NewDecoder(rec, bundle.DecodeOptions{})
	var (
		f      framing
		n      int
		hdr    bundle.Header
		single []byte // the input, when it is a single object
		last   int    // length of the object last returned
		typed  bool   // the bundle's "type" came before its objects
	)
	for {
		raw, err := dec.NextRaw()
		if err == io.EOF {
			break
		}
		if err != nil {
			return streamError(dec, err)
		}
		if n == 0 {
			hdr = dec.Header()
		}
		if !hdr.IsBundle && !hdr.IsArray {
			single = append([]byte(nil), raw...) // formatted whole below
			n++
			continue
		}
		prefix, err := rec.advance(raw, last)
		if err != nil {
			return err
		}
		last = len(raw)
		if n == 0 {
			container := append(append(append([]byte(nil), prefix...), splitObj...), ']')
			if hdr.IsBundle {
				container = append(container, '}')
				t, ok, err := containerType(container)
				if err != nil {
					return err
				}
				if ok {
					if t != "bundle" {
						// An object with an "objects" member, not a
						// bundle: the Python library takes it whole.
						return formatWhole(w, rec, prefix, pretty)
					}
					typed = true
				}
				if container, err = withType(container, false); err != nil {
					return err
				}
			}
			if f, err = cutFraming(container, pretty); err != nil {
				return err
			}
			if _, err := w.Write(f.head); err != nil {
				return err
			}
		}
		if err := f.writeObject(w, raw, pretty, n == 0); err != nil {
			return &objectError{index: dec.Index(), err: err}
		}
		n++
	}
	if n == 0 || single != nil {
		// No object (the whole input, small, was recorded) or a single
		// object.
		data := rec.buf
		if single != nil {
			data = single
		}
		out, err := bundle.FormatPython(data, pretty)
		if err != nil {
			return err
		}
		_, err = w.Write(append(out, '\n'))
		return err
	}
	// What follows the last object: the end of the array, and for a
	// bundle its members after "objects".
	trailer := rec.buf[last:]
	open := "["
	if hdr.IsBundle {
		open = `{"objects":[`
	}
	container := append(append([]byte(open), splitObj...), trailer...)
	if hdr.IsBundle {
		if !typed && trailerType(trailer) != "bundle" {
			return errors.New(`its "type" after "objects" is not "bundle": written as a bundle (put "type" first)`)
		}
		var err error
		if container, err = withType(container, true); err != nil {
			return err
		}
	}
	tf, err := cutFraming(container, pretty)
	if err != nil {
		return err
	}
	_, err = w.Write(append(tf.tail, '\n'))
	return err
}

// formatWhole formats the whole input (prefix and what rec recorded after
// it, then the rest of its reader) at once.
func formatWhole(w io.Writer, rec *recorder, prefix []byte, pretty bool) error {
	rest, err := io.ReadAll(rec.r)
	if err != nil {
		return err
	}
	data := append(append(append([]byte(nil), prefix...), rec.buf...), rest...)
	out, err := bundle.FormatPython(data, pretty)
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}

// containerType returns the "type" member of a JSON object, if it has one
// (a non-string type is returned as its JSON text).
func containerType(container []byte) (string, bool, error) {
	v, err := pyjson.Parse(container, pyjson.ParseOptions{})
	if err != nil {
		return "", false, err
	}
	t, ok := v.Get("type")
	if !ok {
		return "", false, nil
	}
	if t.Kind != pyjson.String {
		return string(pyjson.Dumps(t, pyjson.DumpOptions{})), true, nil
	}
	return t.Str, true, nil
}

// trailerType returns the "type" member among those after a bundle's
// objects (trailer: the text after the last object), or "bundle" when
// there is none or it cannot be read (the decoder reported the syntax).
func trailerType(trailer []byte) string {
	t, ok, err := containerType(append([]byte(`{"objects":[`), trailer...))
	if !ok || err != nil {
		return "bundle"
	}
	return t
}
