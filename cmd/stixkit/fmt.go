package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/stix"
)

func init() {
	register(&command{
		name:    "fmt",
		summary: "decode STIX (bundle, object or array of objects) and write it back in canonical form",
		args:    "FILE|-",
		doc: `The canonical form (the default) streams: objects are read and written one
at a time, so memory follows the largest object, not the input. A bundle
whose header is only complete after its objects is held in memory: no "id"
before "objects", or STIX 2.0 content, whose bundle "spec_version" may
follow the objects. The Python styles (the bytes of the Python stix2
library's serialize(), with its coercions of loosely typed values) stream
too.

On an error the output written so far is incomplete; the exit status is 1.`,
		run: runFmt,
	})
}

func runFmt(e *env, args []string) int {
	fs := e.flagSet()
	style := choiceFlag(fs, "style", "canonical", []string{"canonical", "python", "python-pretty"}, "output `STYLE`: canonical, python (Python stix2 serialize()) or python-pretty")
	args, ok := e.parse(fs, args)
	if !ok {
		return e.code
	}
	st, err := bundle.ParseStyle(*style)
	if err != nil {
		return e.usage("--style: %v", err)
	}
	if len(args) != 1 {
		return e.usage("expected one FILE (or - for standard input)")
	}
	name := args[0]
	r, closeInput, err := openInput(name, e.stdin)
	if err != nil {
		return e.fail(err)
	}
	defer closeInput()
	if st == bundle.Canonical {
		warn := func(v stix.KeptValue) {
			// Kept verbatim and written back: reported, not fatal.
			fmt.Fprintf(e.stderr, "stixkit fmt: %s: warning: %s\n", displayName(name), escape(strings.TrimPrefix(v.String(), "stix: ")))
		}
		err = fmtCanonical(e.stdout, r, warn)
	} else {
		err = fmtPython(e.stdout, r, st == bundle.PythonPretty)
	}
	if err != nil {
		return e.fail(inputError(name, nil, err))
	}
	return exitOK
}

// fmtCanonical copies r to w in canonical form, object by object.
// Values of the wrong type or form are kept in place and passed to warn.
func fmtCanonical(w io.Writer, r io.Reader, warn func(stix.KeptValue)) error {
	rec := &recorder{r: r}
	dec := bundle.NewDecoder(rec, bundle.DecodeOptions{})
	var (
		last   int  // length of the object last returned
		typed  bool // the bundle's "type" came before its objects
		enc    *bundle.Encoder
		held   []byte // encoded bundle objects held until the header is known
		hold   bool
		single stix.Object
		spec   string // bundle-level spec_version written in the header
		buf    []byte
		n      int
	)
	for {
		obj, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err := warnKept(obj, err, warn); err != nil {
			return streamError(dec, err)
		}
		h := dec.Header()
		if h.IsBundle || h.IsArray {
			prefix, err := rec.advance(dec.Raw(), last)
			if err != nil {
				return err
			}
			last = len(dec.Raw())
			if n == 0 && h.IsBundle {
				t, ok, err := containerType(append(prefix[:len(prefix):len(prefix)], "]}"...))
				if err != nil {
					return err
				}
				if ok && t != "bundle" {
					// An object with an "objects" member, not a bundle.
					return canonicalWhole(w, rec, prefix, warn)
				}
				typed = ok
			}
			if n == 0 && (typed || h.IsArray) {
				// The input's text is no longer needed.
				rec.stop, rec.buf = true, nil
			}
		}
		switch {
		case h.IsArray:
			buf = append(buf[:0], ',')
			if n == 0 {
				buf[0] = '['
			}
			if buf, err = stix.AppendJSON(buf, obj); err != nil {
				return err
			}
			if _, err := w.Write(buf); err != nil {
				return err
			}
		case !h.IsBundle:
			single = obj
		default:
			if n == 0 {
				// Hold the objects when the header may still change:
				// no id yet, or STIX 2.0 content (objects without
				// spec_version) whose bundle spec_version may follow.
				hold = h.ID == "" || (h.SpecVersion == "" && !bytes.Contains(dec.Raw(), []byte(`"spec_version"`)))
				if !hold {
					spec = h.SpecVersion
					enc = bundle.NewEncoder(w, bundle.EncodeOptions{ID: stix.Identifier(h.ID), SpecVersion: spec})
				}
			}
			if hold {
				if n > 0 {
					held = append(held, ',')
				}
				if held, err = stix.AppendJSON(held, obj); err != nil {
					return err
				}
			} else if err := enc.Encode(obj); err != nil {
				return err
			}
		}
		n++
	}
	h := dec.Header()
	var tail []byte
	switch {
	case h.IsArray:
		if n == 0 {
			tail = append(tail, '[')
		}
		tail = append(tail, "]\n"...)
	case !h.IsBundle:
		out, err := stix.Marshal(single)
		if err != nil {
			return err
		}
		tail = append(out, '\n')
	case h.IsBundle && n == 0:
		// No object: the whole input, small, was recorded.
		return canonicalWhole(w, rec, nil, warn)
	case h.IsBundle && !typed && trailerType(rec.buf[min(last, len(rec.buf)):]) != "bundle":
		return errors.New(`its "type" after "objects" is not "bundle": written as a bundle (put "type" first)`)
	case enc != nil:
		if h.SpecVersion != "" && spec == "" {
			// spec_version came after the objects.
			enc.AddTrailer(stix.Property{Name: "spec_version", Value: jsonscan.AppendString(nil, h.SpecVersion)})
		}
		enc.AddTrailer(h.Custom...)
		if err := enc.Close(); err != nil {
			return err
		}
		tail = []byte{'\n'}
	default: // objects held until the header was known
		b := &stix.Bundle{ID: stix.Identifier(h.ID), SpecVersion: h.SpecVersion, Custom: h.Custom, Objects: []stix.Object{}}
		out, err := stix.Marshal(b)
		if err != nil {
			return err
		}
		if len(held) > 0 {
			// Only id and spec_version (JSON strings, so no unescaped
			// quote) come before "objects": its first match is the member.
			at := bytes.Index(out, []byte(`"objects":[]`)) + len(`"objects":[`)
			out = append(out[:at], append(held, out[at:]...)...)
		}
		tail = append(out, '\n')
	}
	_, err := w.Write(tail)
	return err
}

// warnKept passes the values a decoding kept (obj decoded, err a
// *stix.KeptValuesError) to warn and returns nil; any other err is
// returned.
func warnKept(obj stix.Object, err error, warn func(stix.KeptValue)) error {
	var kept *stix.KeptValuesError
	if obj != nil && errors.As(err, &kept) {
		for _, v := range kept.Values {
			warn(v)
		}
		return nil
	}
	return err
}

// canonicalWhole decodes and encodes the whole input (prefix and what rec
// recorded after it, then the rest of its reader) at once.
func canonicalWhole(w io.Writer, rec *recorder, prefix []byte, warn func(stix.KeptValue)) error {
	rest, err := io.ReadAll(rec.r)
	if err != nil {
		return err
	}
	obj, err := stix.Parse(append(append(append([]byte(nil), prefix...), rec.buf...), rest...))
	if err := warnKept(obj, err, warn); err != nil {
		return err
	}
	out, err := stix.Marshal(obj)
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}
