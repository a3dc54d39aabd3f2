package helper

import (
	"bytes"
	"errors"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// rawMessager is an optional interface of a Protocol that can work from the
// bundle's JSON text directly, which is faster than from a parsed Value.
// It reports handled=false to ask for the Value path.
type rawMessager interface {
	MessagesRaw(raw []byte, opt SendOptions) (msgs []Message, pieces [][]byte, handled bool, err error)
}

// MessagesRaw splits the bundle text in one pass: it transcodes the whole
// bundle into json.dumps form, noting where each object and its few
// splitter-relevant members landed, so every object is parsed and encoded
// exactly once. Bundles with duplicate keys take the Value path (Python's
// dict semantics need the whole object).
func (p *protocol11) MessagesRaw(raw []byte, opt SendOptions) ([]Message, [][]byte, bool, error) {
	s, err := newSplitter11Raw(raw)
	if errors.Is(err, pyjson.ErrDuplicateKey) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, true, err
	}
	msgs, pieces, err := p.messagesFrom(s, opt)
	return msgs, pieces, true, err
}

// isSplitKey reports whether an object member is one the 1.1 splitter reads.
func isSplitKey(k string) bool {
	switch k {
	case "id", "type", "created_by_ref", "object_marking_refs", "source_ref", "target_ref", "object_refs":
		return true
	}
	return false
}

// decodeSmall decodes a json.dumps text; plain strings without escapes
// (ids, types) skip the parser.
func decodeSmall(text []byte) (pyjson.Value, error) {
	if n := len(text); n >= 2 && text[0] == '"' && bytes.IndexByte(text[1:n-1], '\\') < 0 {
		return pyjson.StringValue(string(text[1 : n-1])), nil
	}
	return pyjson.Parse(text, pyjson.ParseOptions{})
}

// newSplitter11Raw builds a splitter whose objects hold only the members
// the splitter reads, and whose encodings are spans of one transcoded text.
func newSplitter11Raw(raw []byte) (*splitter11, error) {
	type member struct {
		key        string
		start, end int
	}
	type element struct {
		start, end int
		kind       pyjson.Kind
		members    []member
	}
	var (
		cur3        []member
		cur2        []element
		objects     []element
		found       bool
		objectsKind pyjson.Kind
	)
	out := getScratch(len(raw) + len(raw)/8)
	tr := pyjson.Transcoder{
		Parse:      pyjson.ParseOptions{MaxBytes: MaxBundleBytes},
		VisitDepth: 3,
	}
	tr.Visit = func(ev pyjson.VisitEvent) {
		switch ev.Depth {
		case 3:
			if isSplitKey(ev.Key) {
				cur3 = append(cur3, member{ev.Key, ev.Start, ev.End})
			}
		case 2:
			cur2 = append(cur2, element{ev.Start, ev.End, ev.Kind, cur3})
			cur3 = nil
		case 1:
			if ev.Key == "objects" {
				found = true
				objects = cur2
				objectsKind = ev.Kind
			}
			cur2, cur3 = nil, nil
		}
	}
	out, err := tr.Append(out, raw)
	if err != nil {
		putScratch(out)
		if errors.Is(err, pyjson.ErrDuplicateKey) {
			return nil, err
		}
		return nil, errors.Join(errors.New("helper: the bundle is not JSON"), err)
	}
	if k := kindOf(out); k != pyjson.Object {
		return nil, &BundleError{Index: -1, Msg: "not a JSON object but " + k.String()}
	}
	if !found {
		return nil, &BundleError{Index: -1, Property: "objects", Msg: "missing"}
	}
	if objectsKind != pyjson.Array {
		return nil, &BundleError{Index: -1, Property: "objects", Msg: "not an array but " + objectsKind.String()}
	}
	objs := make([]pyjson.Value, len(objects))
	enc := make([][]byte, len(objects))
	for i, e := range objects {
		text := out[e.start:e.end:e.end]
		enc[i] = text
		if e.kind != pyjson.Object {
			objs[i] = pyjson.Value{Kind: e.kind}
			continue
		}
		v := pyjson.Value{Kind: pyjson.Object, Obj: make([]pyjson.Member, 0, len(e.members))}
		for _, m := range e.members {
			mv, err := decodeSmall(out[m.start:m.end])
			if err != nil { // cannot happen: out is valid JSON
				return nil, err
			}
			v.Obj = append(v.Obj, pyjson.Member{Key: m.key, Value: mv})
		}
		objs[i] = v
	}
	s, err := newSplitter11(pyjson.ObjectValue(pyjson.Member{Key: "objects", Value: pyjson.ArrayValue(objs...)}))
	if err != nil {
		putScratch(out)
		return nil, err
	}
	s.enc = enc
	s.scratch = append(s.scratch, out)
	return s, nil
}

// kindOf tells the JSON kind of a json.dumps text from its first byte.
func kindOf(text []byte) pyjson.Kind {
	if len(text) == 0 {
		return pyjson.Null
	}
	switch text[0] {
	case '{':
		return pyjson.Object
	case '[':
		return pyjson.Array
	case '"':
		return pyjson.String
	case 'n':
		return pyjson.Null
	case 't', 'f':
		return pyjson.Bool
	}
	return pyjson.Number
}
