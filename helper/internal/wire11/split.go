package wire11

import (
	"context"
	"fmt"
	"github.com/stixkit/stixkit/helper/internal/wire"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// splitter11 holds the state of one split_stix2_bundle call.
type splitter11 struct {
	objs  []pyjson.Value // bundle "objects", in order
	ids   []string       // id of each object
	index map[string]int // id → position of its LAST occurrence (Python dict overwrite)
	added map[string]struct{}
	enc   [][]byte // json.dumps bytes of each object, filled by encodeObjects
	// scratch are pooled buffers enc or the base64 cache point into,
	// released once the pieces are assembled.
	scratch [][]byte
	ctx     context.Context // nil: not cancellable
}

// cancelled returns ctx's error, looking every 256 steps.
func (s *splitter11) cancelled(i int) error {
	if s.ctx == nil || i&255 != 0 {
		return nil
	}
	return s.ctx.Err()
}

// Split is pycti 1.2.15's split_stix2_bundle on a parsed bundle (not
// modified): it returns the JSON text of each piece, in publishing order,
// and with a non-nil wrap, for each piece, its message body: wrap.Prefix +
// base64(piece) + wrap.Suffix. newUUID supplies the random part of each
// piece's bundle id (nil: random v4 UUIDs). It stops with ctx's error when
// ctx ends.
//
// The three passes, every look-up restricted to objects of the same bundle:
//  1. each report (even one already sent): the report, every object of
//     object_refs (a missing one is an error, nothing is sent), then for each
//     of those the creator and markings, or for a relationship its two ends,
//     creator and markings (no deeper);
//  2. each relationship not sent yet: itself, source, target, creator,
//     markings — or nothing at all when an end is missing, which still gives
//     an empty bundle (the pycti quirk);
//  3. every other object not sent yet: itself, creator, markings.
//
// Each piece is deduplicated by id keeping first occurrences and written as
// {"type": "bundle", "id": "bundle--<uuid>", "spec_version": "2.0",
// "objects": [...]} with Python json.dumps bytes; each object is encoded
// once, and the work is spread over GOMAXPROCS goroutines.
func Split(ctx context.Context, bundle pyjson.Value, newUUID func() string, wrap *Wrapper) (pieces, bodies [][]byte, err error) {
	s, err := newSplitter11(bundle)
	if err != nil {
		return nil, nil, err
	}
	s.ctx = ctx
	return s.run(newUUID, wrap)
}

// run splits, encodes the objects not encoded yet and assembles the pieces.
func (s *splitter11) run(newUUID func() string, wrap *Wrapper) (pieces, bodies [][]byte, err error) {
	groups, err := s.split()
	if err != nil {
		return nil, nil, err
	}
	s.encodeObjects(groups)
	if err := s.cancelled(0); err != nil {
		s.release()
		return nil, nil, err
	}
	uuids := make([]string, len(groups))
	if newUUID == nil {
		wire.RandomUUIDs(uuids)
	} else {
		for i := range uuids {
			uuids[i] = newUUID()
		}
	}
	pieces, bodies = s.assemble(groups, uuids, wrap)
	s.release()
	if err := s.cancelled(0); err != nil {
		return nil, nil, err
	}
	return pieces, bodies, nil
}

func newSplitter11(bundle pyjson.Value) (*splitter11, error) {
	if bundle.Kind != pyjson.Object {
		return nil, &wire.Error{Index: -1, Msg: "not a JSON object but " + bundle.Kind.String()}
	}
	objects, ok := bundle.Get("objects")
	if !ok {
		return nil, &wire.Error{Index: -1, Property: "objects", Msg: "missing"}
	}
	if objects.Kind != pyjson.Array {
		return nil, &wire.Error{Index: -1, Property: "objects", Msg: "not an array but " + objects.Kind.String()}
	}
	n := len(objects.Arr)
	s := &splitter11{
		objs:  objects.Arr,
		ids:   make([]string, n),
		index: make(map[string]int, n),
		added: make(map[string]struct{}, n),
	}
	for i := range s.objs {
		o := &s.objs[i]
		if o.Kind != pyjson.Object {
			return nil, &wire.Error{Index: i, Msg: "not a JSON object but " + o.Kind.String()}
		}
		id, ok := o.Get("id")
		if !ok {
			return nil, &wire.Error{Index: i, Property: "id", Msg: "missing"}
		}
		if id.Kind != pyjson.String {
			return nil, &wire.Error{Index: i, Property: "id", Msg: "not a string but " + id.Kind.String()}
		}
		s.ids[i] = id.Str
		s.index[id.Str] = i
	}
	// pycti reads every object's type in pass A before anything is sent.
	for i := range s.objs {
		if t, ok := s.objs[i].Get("type"); !ok {
			return nil, &wire.Error{Index: i, ObjectID: s.ids[i], Property: "type", Msg: "missing"}
		} else if t.Kind != pyjson.String {
			return nil, &wire.Error{Index: i, ObjectID: s.ids[i], Property: "type", Msg: "not a string but " + t.Kind.String()}
		}
	}
	return s, nil
}

func (s *splitter11) typeOf(i int) string {
	t, _ := s.objs[i].GetString("type")
	return t
}

// lookupRef resolves a reference value: found when it is a string naming an
// object of the bundle. Lists and objects cannot be dict keys in Python
// (TypeError), so they are errors.
func (s *splitter11) lookupRef(i int, prop string, v pyjson.Value) (int, bool, error) {
	switch v.Kind {
	case pyjson.String:
		j, ok := s.index[v.Str]
		return j, ok, nil
	case pyjson.Array, pyjson.Object:
		return 0, false, &wire.Error{Index: i, ObjectID: s.ids[i], Property: prop, Msg: "a reference must not be an " + v.Kind.String()}
	}
	return 0, false, nil // other scalars are never ids
}

// embedded appends the creator and markings of object i present in the bundle.
func (s *splitter11) embedded(items []int, i int) ([]int, error) {
	o := &s.objs[i]
	var markings []int
	if refs, ok := o.Get("object_marking_refs"); ok {
		list, err := s.iterable(i, "object_marking_refs", refs)
		if err != nil {
			return nil, err
		}
		for _, r := range list {
			j, found, err := s.lookupRef(i, "object_marking_refs", r)
			if err != nil {
				return nil, err
			}
			if found {
				markings = append(markings, j)
			}
		}
	}
	if c, ok := o.Get("created_by_ref"); ok {
		j, found, err := s.lookupRef(i, "created_by_ref", c)
		if err != nil {
			return nil, err
		}
		if found {
			items = append(items, j)
		}
	}
	return append(items, markings...), nil
}

// iterable returns the elements Python would iterate over: an array's items.
// Other values are errors (Python would iterate a string's characters or
// fail; no valid bundle has them).
func (s *splitter11) iterable(i int, prop string, v pyjson.Value) ([]pyjson.Value, error) {
	if v.Kind != pyjson.Array {
		return nil, &wire.Error{Index: i, ObjectID: s.ids[i], Property: prop, Msg: "not an array but " + v.Kind.String()}
	}
	return v.Arr, nil
}

func (s *splitter11) entityObjects(items []int, i int) ([]int, error) {
	return s.embedded(append(items, i), i)
}

// relationshipObjects appends [r, source, target, creator, markings], or
// nothing when an end is not in the bundle.
func (s *splitter11) relationshipObjects(items []int, i int) ([]int, error) {
	o := &s.objs[i]
	var ends [2]int
	for k, prop := range [2]string{"source_ref", "target_ref"} {
		v, ok := o.Get(prop)
		if !ok {
			return nil, &wire.Error{Index: i, ObjectID: s.ids[i], Property: prop, Msg: "missing"}
		}
		j, found, err := s.lookupRef(i, prop, v)
		if err != nil {
			return nil, err
		}
		if !found {
			return items, nil
		}
		ends[k] = j
	}
	return s.embedded(append(items, i, ends[0], ends[1]), i)
}

func (s *splitter11) reportObjects(items []int, i int) ([]int, error) {
	refs, ok := s.objs[i].Get("object_refs")
	if !ok {
		return nil, &wire.Error{Index: i, ObjectID: s.ids[i], Property: "object_refs", Msg: "missing"}
	}
	list, err := s.iterable(i, "object_refs", refs)
	if err != nil {
		return nil, err
	}
	first := len(items)
	items = append(items, i)
	for _, r := range list {
		j, found, err := s.lookupRef(i, "object_refs", r)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, &wire.Error{Index: i, ObjectID: s.ids[i], Property: "object_refs",
				Msg: fmt.Sprintf("references %s, which is not in the bundle (pycti raises KeyError)", r.Str)}
		}
		items = append(items, j)
	}
	// Only the initial list is walked (Python rebinds items while iterating).
	end := len(items)
	for k := first; k < end; k++ {
		el := items[k]
		if s.typeOf(el) == "relationship" {
			items, err = s.relationshipObjects(items, el)
		} else {
			items, err = s.entityObjects(items, el)
		}
		if err != nil {
			return nil, err
		}
	}
	return items, nil
}

// dedup keeps the first occurrence of each id, in place.
func (s *splitter11) dedup(items []int) []int {
	out := items[:0]
	for k, i := range items {
		dup := false
		for _, j := range items[:k] {
			if s.ids[j] == s.ids[i] {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, i)
		}
	}
	return out
}

func (s *splitter11) markAdded(items []int) {
	for _, i := range items {
		s.added[s.ids[i]] = struct{}{}
	}
}

func (s *splitter11) split() ([][]int, error) {
	var groups [][]int
	var items []int
	var err error
	emit := func() {
		items = s.dedup(items)
		s.markAdded(items)
		groups = append(groups, append([]int(nil), items...))
	}
	for i := range s.objs {
		if err := s.cancelled(i); err != nil {
			return nil, err
		}
		if s.typeOf(i) != "report" {
			continue
		}
		if items, err = s.reportObjects(items[:0], i); err != nil {
			return nil, err
		}
		emit()
	}
	for i := range s.objs {
		if err := s.cancelled(i); err != nil {
			return nil, err
		}
		if s.typeOf(i) != "relationship" {
			continue
		}
		if _, done := s.added[s.ids[i]]; done {
			continue
		}
		if items, err = s.relationshipObjects(items[:0], i); err != nil {
			return nil, err
		}
		emit()
	}
	for i := range s.objs {
		if err := s.cancelled(i); err != nil {
			return nil, err
		}
		if s.typeOf(i) == "relationship" {
			continue
		}
		if _, done := s.added[s.ids[i]]; done {
			continue
		}
		if items, err = s.entityObjects(items[:0], i); err != nil {
			return nil, err
		}
		emit()
	}
	return groups, nil
}
