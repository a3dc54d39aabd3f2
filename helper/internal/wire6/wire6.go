// Package wire6 is the wire format of the current OpenCTI protocol (pycti
// 6.8.10): OpenCTIStix2Splitter.split_bundle_with_expectations (split.go)
// and the QUEUE_BUNDLE message around each piece (this file).
package wire6

import (
	"context"
	"encoding/base64"
	"strconv"

	"github.com/stixkit/stixkit/helper/internal/wire"
	"github.com/stixkit/stixkit/internal/pyjson"
)

// maxBundleBytes bounds the bundle text (the helper checks it first).
const maxBundleBytes = 1 << 30

// bundleType6 is the "bundle_type" of every message.
const bundleType6 = "QUEUE_BUNDLE"

// Envelope are the message fields around each piece: applicant_id (nil:
// null), entities_types (its JSON text, nil: []), update, draft_id (""
// null) and work_id ("" leaves it out).
type Envelope struct {
	Applicant     *string
	EntitiesTypes []byte
	Update        bool
	DraftID       string
	WorkID        string
}

// Result is a split: the pieces (one object each, in sending order), with
// an Envelope their message bodies, each piece's x_opencti_seq, and the
// ids of the objects never sent.
type Result struct {
	Pieces, Bodies [][]byte
	Seqs           []int64
	Incompatible   []string
}

// Split parses the bundle text (key order and duplicates kept) and splits
// the parsed value. It stops with ctx's error when ctx ends.
func Split(ctx context.Context, raw []byte, opt Options, env *Envelope) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := pyjson.Parse(raw, pyjson.ParseOptions{MaxBytes: maxBundleBytes})
	if err != nil {
		return nil, &wire.Error{Index: -1, Msg: "File data is not a valid JSON: " + jsonErrText(err)}
	}
	return SplitValue(ctx, v, opt, env, true)
}

// SplitValue splits a parsed bundle, modifying it only when owned.
func SplitValue(ctx context.Context, bundle pyjson.Value, opt Options, env *Envelope, owned bool) (*Result, error) {
	opt.ctx = ctx
	s, id, err := newSplitter6(bundle, opt, owned)
	if err != nil {
		return nil, err
	}
	if err := s.enlistAll(); err != nil {
		return nil, err
	}
	return s.result(id, opt, env)
}

// result encodes the enlisted objects (and their bodies with env).
func (s *splitter6) result(id pyjson.Value, opt Options, env *Envelope) (*Result, error) {
	res := &Result{Seqs: s.seqs()}
	for _, i := range s.incompat {
		res.Incompatible = append(res.Incompatible, objectID(s.objs[i]))
	}
	if len(s.elements) == 0 {
		return res, nil
	}
	var w *wrap6
	if env != nil {
		w = newWrap6(env)
	}
	res.Pieces, res.Bodies = s.encode(id, opt.EventVersion, w)
	if s.ctx != nil && s.ctx.Err() != nil {
		return nil, s.ctx.Err()
	}
	return res, nil
}

// jsonErrText is a JSON syntax error's text without the parser's package
// prefix.
func jsonErrText(err error) string {
	const prefix = "pyjson: "
	s := err.Error()
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):]
	}
	return s
}

// wrap6 writes the message around each piece:
//
//	{"bundle_type": "QUEUE_BUNDLE", "applicant_id": …, "action_sequence": n, "entities_types": […], "content": "<base64>", "update": b, "draft_id": …[, "work_id": …]}
type wrap6 struct {
	head   []byte // up to "action_sequence": (included)
	mid    []byte // from ", "entities_types" to "content": "
	suffix []byte
}

func newWrap6(e *Envelope) *wrap6 {
	w := &wrap6{}
	w.head = append(w.head, `{"bundle_type": "`+bundleType6+`", "applicant_id": `...)
	if e.Applicant == nil {
		w.head = append(w.head, "null"...)
	} else {
		w.head = pyjson.AppendString(w.head, *e.Applicant, true)
	}
	w.head = append(w.head, `, "action_sequence": `...)
	w.mid = append(w.mid, `, "entities_types": `...)
	if e.EntitiesTypes == nil {
		w.mid = append(w.mid, "[]"...)
	} else {
		w.mid = append(w.mid, e.EntitiesTypes...)
	}
	w.mid = append(w.mid, `, "content": "`...)
	w.suffix = append(w.suffix, `", "update": `...)
	w.suffix = strconv.AppendBool(w.suffix, e.Update)
	w.suffix = append(w.suffix, `, "draft_id": `...)
	if e.DraftID == "" {
		w.suffix = append(w.suffix, "null"...)
	} else {
		w.suffix = pyjson.AppendString(w.suffix, e.DraftID, true)
	}
	if e.WorkID != "" {
		w.suffix = append(w.suffix, `, "work_id": `...)
		w.suffix = pyjson.AppendString(w.suffix, e.WorkID, true)
	}
	w.suffix = append(w.suffix, '}')
	return w
}

// bodyLen is the length of the body of piece number seq of n bytes.
// bodies writes the message bodies of pieces[lo:hi] into bodies[lo:hi],
// all in one allocation (each body's sequence number is its index + 1).
func (w *wrap6) bodies(pieces, bodies [][]byte, lo, hi int) {
	size := 0
	for k := lo; k < hi; k++ {
		size += w.bodyLen(k+1, len(pieces[k]))
	}
	out := make([]byte, 0, size)
	for k := lo; k < hi; k++ {
		b0 := len(out)
		out = w.appendBody(out, k+1, pieces[k])
		bodies[k] = out[b0:len(out):len(out)]
	}
}

func (w *wrap6) bodyLen(seq, n int) int {
	return len(w.head) + wire.DecimalLen(int64(seq)) + len(w.mid) + base64.StdEncoding.EncodedLen(n) + len(w.suffix)
}

func (w *wrap6) appendBody(dst []byte, seq int, piece []byte) []byte {
	dst = append(dst, w.head...)
	dst = strconv.AppendInt(dst, int64(seq), 10)
	dst = append(dst, w.mid...)
	dst = wire.AppendBase64(dst, piece)
	return append(dst, w.suffix...)
}
