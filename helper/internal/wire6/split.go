package wire6

import (
	"context"
	"fmt"
	"github.com/stixkit/stixkit/helper/internal/wire"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stixkit/stixkit/internal/jcs"
	"github.com/stixkit/stixkit/internal/pyjson"
)

// openCTIExtension6 is the id of OpenCTI's STIX extension definition; the
// member "id" of that extension is an alias of the object's id.
const openCTIExtension6 = "extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba"

// maxDependencyDepth6 bounds how deep the 6.x splitter follows references.
// pycti recurses once per level and fails with RecursionError near 1,000
// levels; the Go splitter returns a *wire.Error instead.
const maxDependencyDepth6 = 990

// Options are the arguments of pycti 6.8.10's
// split_bundle_with_expectations. The zero value is pycti's defaults.
type Options struct {
	// EventVersion, when not nil (even ""), is written as the trailing
	// "x_opencti_event_version" of every piece; pycti leaves the key out
	// only for None.
	EventVersion *string
	// CleanupInconsistentBundle drops references to objects absent from
	// the bundle (cleanup_inconsistent_bundle=True).
	CleanupInconsistentBundle bool
	// NewUUID gives the bundle id ("bundle--" + NewUUID()) of a bundle
	// without one; nil means a random v4 UUID.
	NewUUID func() string

	ctx context.Context // nil: not cancellable
}

// supportedTypes6 are the STIX id prefixes pycti 6.8.10 sends
// (is_id_supported: entities, internal objects, observables, relationships).
var supportedTypes6 = func() map[string]struct{} {
	lists := []string{
		// internal objects
		"user group capability role settings notification work trash draftworkspace playbook deleteoperation workspace publicdashboard",
		"label vocabulary kill-chain-phase",
		// entities
		"attack-pattern campaign case-incident x-opencti-case-incident case-rfi x-opencti-case-rfi case-rft x-opencti-case-rft channel course-of-action data-component x-mitre-data-component data-source x-mitre-data-source event external-reference feedback x-opencti-feedback grouping identity incident indicator infrastructure intrusion-set language location malware malware-analysis marking-definition narrative note observed-data opinion report task x-opencti-task threat-actor tool vulnerability security-coverage",
		// observables
		"autonomous-system directory domain-name email-addr email-message email-mime-part-type artifact file x509-certificate ipv4-addr ipv6-addr mac-addr mutex network-traffic process software url user-account windows-registry-key windows-registry-value-type hostname cryptographic-key cryptocurrency-wallet text user-agent bank-account phone-number credential tracking-number payment-card media-content simple-observable persona ssh-key",
		// relationships and others
		"relationship sighting pir",
	}
	m := map[string]struct{}{}
	for _, l := range lists {
		for _, t := range strings.Fields(l) {
			m[t] = struct{}{}
		}
	}
	return m
}()

// isIDSupported6 is pycti's is_id_supported: a STIX id ("type--uuid") is
// supported when its type is one OpenCTI imports; strings without "--" are
// not STIX ids and are always supported.
func isIDSupported6(id string) bool {
	i := strings.Index(id, "--")
	if i < 0 {
		return true
	}
	_, ok := supportedTypes6[id[:i]]
	return ok
}

// refPair is an edge followed by the splitter (cache_refs[from] holds to).
type refPair struct{ from, to string }

// splitter6 holds the state of one split_bundle_with_expectations call.
// Objects are mutated in place, as pycti does.
type splitter6 struct {
	objs       []pyjson.Value
	nb         []int64          // the object's last assigned nb_deps
	raw        map[string]int   // raw_data: id and aliases → object
	cacheIndex map[string]int   // enlisted: id and aliases → object
	refs       map[refPair]bool // cache_refs as a set of edges
	aliases    [][]string       // internal ids of each object
	elements   []int            // compatible objects, in enlisting order
	incompat   []int
	stack      []string // parent_acc
	cleanup    bool
	scratch    []byte
	ctx        context.Context // nil: not cancellable
}

func objectID(o pyjson.Value) string {
	id, _ := o.GetString("id")
	return id
}

// newSplitter6 checks the bundle, copies (unless owned) the member lists of
// its objects so that mutations stay private, and builds raw_data. It
// returns the bundle id value to write in every piece.
func newSplitter6(bundle pyjson.Value, opt Options, owned bool) (*splitter6, pyjson.Value, error) {
	if bundle.Kind != pyjson.Object {
		return nil, pyjson.Value{}, &wire.Error{Index: -1, Msg: "File data is not a valid bundle (not a JSON object but " + bundle.Kind.String() + ")"}
	}
	objects, ok := bundle.Get("objects")
	if !ok {
		return nil, pyjson.Value{}, &wire.Error{Index: -1, Property: "objects", Msg: "File data is not a valid bundle (no objects)"}
	}
	id, ok := bundle.Get("id")
	if !ok {
		u := ""
		if opt.NewUUID != nil {
			u = opt.NewUUID()
		} else {
			var one [1]string
			wire.RandomUUIDs(one[:])
			u = one[0]
		}
		id = pyjson.StringValue("bundle--" + u)
	}
	var list []pyjson.Value
	switch objects.Kind {
	case pyjson.Array:
		list = objects.Arr
	case pyjson.String, pyjson.Object:
		// Python iterates a string's characters or an object's keys:
		// nothing when empty, a TypeError on item["id"] otherwise.
		if objects.Str != "" || len(objects.Obj) > 0 {
			return nil, pyjson.Value{}, &wire.Error{Index: -1, Property: "objects", Msg: "not an array but " + objects.Kind.String()}
		}
	default:
		return nil, pyjson.Value{}, &wire.Error{Index: -1, Property: "objects", Msg: "not an array but " + objects.Kind.String()}
	}
	n := len(list)
	s := &splitter6{ctx: opt.ctx,
		objs:       make([]pyjson.Value, n),
		nb:         make([]int64, n),
		raw:        make(map[string]int, n),
		cacheIndex: make(map[string]int, n),
		refs:       make(map[refPair]bool, 2*n),
		aliases:    make([][]string, n),
		cleanup:    opt.CleanupInconsistentBundle,
	}
	for i, o := range list {
		if o.Kind != pyjson.Object {
			return nil, pyjson.Value{}, &wire.Error{Index: i, Msg: "not a JSON object but " + o.Kind.String()}
		}
		if !owned {
			o.Obj = append([]pyjson.Member(nil), o.Obj...)
		}
		s.objs[i] = o
		idv, ok := o.Get("id")
		if !ok {
			return nil, pyjson.Value{}, &wire.Error{Index: i, Property: "id", Msg: "missing (pycti raises KeyError)"}
		}
		if idv.Kind != pyjson.String {
			return nil, pyjson.Value{}, &wire.Error{Index: i, Property: "id", Msg: "not a string but " + idv.Kind.String()}
		}
		s.raw[idv.Str] = i
		al, err := internalIDs6(i, idv.Str, o)
		if err != nil {
			return nil, pyjson.Value{}, err
		}
		s.aliases[i] = al
		for _, a := range al {
			s.raw[a] = i
		}
	}
	return s, id, nil
}

// truthy is Python's bool() of a JSON value.
func truthy(v pyjson.Value) bool {
	switch v.Kind {
	case pyjson.Bool:
		return v.Bool
	case pyjson.Number:
		f, _ := v.Float()
		return f != 0
	case pyjson.String:
		return v.Str != ""
	case pyjson.Array:
		return len(v.Arr) > 0
	case pyjson.Object:
		return len(v.Obj) > 0
	}
	return false
}

// internalIDs6 is get_internal_ids_in_extension: x_opencti_id and the
// OpenCTI extension's id, when truthy.
func internalIDs6(i int, id string, o pyjson.Value) ([]string, error) {
	var ids []string
	add := func(prop string, v pyjson.Value) error {
		switch v.Kind {
		case pyjson.String:
			ids = append(ids, v.Str)
		case pyjson.Array, pyjson.Object:
			return &wire.Error{Index: i, ObjectID: id, Property: prop, Msg: "an internal id must not be an " + v.Kind.String() + " (pycti raises TypeError)"}
		}
		// Other truthy scalars can never equal a reference string.
		return nil
	}
	if v, ok := o.Get("x_opencti_id"); ok && truthy(v) {
		if err := add("x_opencti_id", v); err != nil {
			return nil, err
		}
	}
	if ext, ok := o.Get("extensions"); ok && truthy(ext) {
		if ext.Kind != pyjson.Object {
			return nil, &wire.Error{Index: i, ObjectID: id, Property: "extensions", Msg: "not an object but " + ext.Kind.String() + " (pycti raises AttributeError)"}
		}
		if oe, ok := ext.Get(openCTIExtension6); ok && truthy(oe) {
			if oe.Kind != pyjson.Object {
				return nil, &wire.Error{Index: i, ObjectID: id, Property: "extensions." + openCTIExtension6, Msg: "not an object but " + oe.Kind.String() + " (pycti raises AttributeError)"}
			}
			if v, ok := oe.Get("id"); ok && truthy(v) {
				if err := add("extensions."+openCTIExtension6+".id", v); err != nil {
					return nil, err
				}
			}
		}
	}
	return ids, nil
}

func (s *splitter6) enlistAll() error {
	for i := range s.objs {
		if s.ctx != nil && i&255 == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		id, _ := s.objs[i].GetString("id")
		if _, err := s.enlist(id); err != nil {
			return err
		}
	}
	sort.SliceStable(s.elements, func(a, b int) bool { return s.nb[s.elements[a]] < s.nb[s.elements[b]] })
	return nil
}

func (s *splitter6) seqs() []int64 {
	out := make([]int64, len(s.elements))
	for k, i := range s.elements {
		out[k] = s.nb[i]
	}
	return out
}

func (s *splitter6) inStack(r string) bool {
	for _, p := range s.stack {
		if p == r {
			return true
		}
	}
	return false
}

// satAdd adds without overflowing (diamond-shaped graphs double-count
// shared dependencies; Python's integers never overflow).
func satAdd(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func (s *splitter6) bad(i int, prop, format string, args ...any) error {
	return &wire.Error{Index: i, ObjectID: objectID(s.objs[i]), Property: prop, Msg: fmt.Sprintf(format, args...)}
}

// follow enlists the reference r of itemID (cache_refs + recursion).
func (s *splitter6) follow(itemID, r string) (int64, error) {
	if len(s.stack) >= maxDependencyDepth6 {
		return 0, &wire.Error{Index: -1, ObjectID: itemID, Msg: fmt.Sprintf("references nested deeper than %d levels (pycti raises RecursionError)", maxDependencyDepth6)}
	}
	s.refs[refPair{itemID, r}] = true
	s.stack = append(s.stack, r)
	n, err := s.enlist(r)
	s.stack = s.stack[:len(s.stack)-1]
	return n, err
}

// keep reports whether the reference r of itemID is followed and kept.
func (s *splitter6) keep(itemID, r string) bool {
	_, present := s.raw[r]
	if !present && s.cleanup {
		return false
	}
	return !s.inStack(r) && isIDSupported6(r) && r != itemID && !s.refs[refPair{r, itemID}]
}

// enlist is enlist_element: it returns the object's dependency count.
func (s *splitter6) enlist(itemID string) (int64, error) {
	i, ok := s.raw[itemID]
	if !ok {
		return 0, nil
	}
	if j, ok := s.cacheIndex[itemID]; ok {
		return s.nb[j], nil
	}
	nb := int64(1)
	o := &s.objs[i]
	nkeys := len(o.Obj) // list(item.keys())
	nbKey := -1
	for k := 0; k < nkeys; k++ {
		key := o.Obj[k].Key
		val := o.Obj[k].Value
		switch {
		case key == "nb_deps":
			nbKey = k
		case strings.HasSuffix(key, "_refs") && val.Kind != pyjson.Null:
			elems, err := s.iterate(i, key, val)
			if err != nil {
				return 0, err
			}
			var toKeep []pyjson.Value
			for _, e := range elems {
				if e.Kind != pyjson.String {
					return 0, s.bad(i, key, "a reference must be a string, not %s (pycti raises TypeError)", e.Kind)
				}
				if s.keep(itemID, e.Str) {
					n, err := s.follow(itemID, e.Str)
					if err != nil {
						return 0, err
					}
					nb = satAdd(nb, n)
					dup := false
					for _, x := range toKeep {
						if x.Str == e.Str {
							dup = true
							break
						}
					}
					if !dup {
						toKeep = append(toKeep, e)
					}
				}
				// pycti assigns after every element (a re-entrant visit of
				// this object sees the partial list).
				if toKeep == nil {
					toKeep = []pyjson.Value{}
				}
				o.Obj[k].Value = pyjson.Value{Kind: pyjson.Array, Arr: toKeep}
			}
		case strings.HasSuffix(key, "_ref"):
			if val.Kind == pyjson.Array || val.Kind == pyjson.Object {
				return 0, s.bad(i, key, "a reference must not be an %s (pycti raises TypeError)", val.Kind)
			}
			followed := false
			if val.Kind != pyjson.Null {
				_, present := s.raw[val.Str]
				present = present && val.Kind == pyjson.String
				if !(!present && s.cleanup) {
					if val.Kind != pyjson.String {
						return 0, s.bad(i, key, "a reference must be a string, not %s (pycti raises TypeError)", val.Kind)
					}
					if s.keep(itemID, val.Str) {
						n, err := s.follow(itemID, val.Str)
						if err != nil {
							return 0, err
						}
						nb = satAdd(nb, n)
						followed = true
					}
				}
			}
			if !followed {
				o.Obj[k].Value = pyjson.Value{}
			}
		case key == "external_references" && val.Kind != pyjson.Null:
			v, err := s.dedupEmbedded(i, key, val, externalReferenceKey)
			if err != nil {
				return 0, err
			}
			o.Obj[k].Value = v
		case key == "kill_chain_phases" && val.Kind != pyjson.Null:
			v, err := s.dedupEmbedded(i, key, val, killChainKey)
			if err != nil {
				return 0, err
			}
			o.Obj[k].Value = v
		}
	}
	// item["nb_deps"] = nb_deps: in place when the object has the member,
	// else appended when the object is written (see appendObject).
	if nbKey >= 0 {
		o.Obj[nbKey].Value = pyjson.IntValue(nb)
	}
	s.nb[i] = nb
	if _, done := s.cacheIndex[itemID]; !done {
		ok, err := s.compatible(i, itemID)
		if err != nil {
			return 0, err
		}
		if ok {
			s.elements = append(s.elements, i)
		} else {
			s.incompat = append(s.incompat, i)
		}
		s.cacheIndex[itemID] = i
		for _, a := range s.aliases[i] {
			s.cacheIndex[a] = i
		}
	}
	return nb, nil
}

// iterate returns what Python's for loop visits in a value: an array's
// items, a string's characters, an object's keys; numbers and booleans
// are not iterable.
func (s *splitter6) iterate(i int, prop string, v pyjson.Value) ([]pyjson.Value, error) {
	switch v.Kind {
	case pyjson.Array:
		return v.Arr, nil
	case pyjson.String:
		var out []pyjson.Value
		for j := 0; j < len(v.Str); {
			_, size := utf8.DecodeRuneInString(v.Str[j:])
			out = append(out, pyjson.StringValue(v.Str[j:j+size]))
			j += size
		}
		return out, nil
	case pyjson.Object:
		out := make([]pyjson.Value, len(v.Obj))
		for j, m := range v.Obj {
			out[j] = pyjson.StringValue(m.Key)
		}
		return out, nil
	}
	return nil, s.bad(i, prop, "%s is not iterable (pycti raises TypeError)", v.Kind)
}

// dedupEmbedded keeps the first element of each identity (key returns ok
// false for elements pycti drops).
func (s *splitter6) dedupEmbedded(i int, prop string, v pyjson.Value, key func(dst []byte, e pyjson.Value) ([]byte, bool, error)) (pyjson.Value, error) {
	elems, err := s.iterate(i, prop, v)
	if err != nil {
		return pyjson.Value{}, err
	}
	out := make([]pyjson.Value, 0, len(elems))
	seen := make(map[string]struct{}, len(elems))
	for _, e := range elems {
		if e.Kind != pyjson.Object {
			return pyjson.Value{}, s.bad(i, prop, "elements must be objects, not %s (pycti raises AttributeError)", e.Kind)
		}
		var ok bool
		s.scratch, ok, err = key(s.scratch[:0], e)
		if err != nil {
			return pyjson.Value{}, s.bad(i, prop, "%v", err)
		}
		if !ok {
			continue
		}
		if _, dup := seen[string(s.scratch)]; dup {
			continue
		}
		seen[string(s.scratch)] = struct{}{}
		out = append(out, e)
	}
	return pyjson.Value{Kind: pyjson.Array, Arr: out}, nil
}

// appendIdentity appends an injective encoding of a value: strings as
// themselves (length-prefixed), other values as their RFC 8785 form, which
// is what pycti hashes into the UUIDv5 id.
func appendIdentity(dst []byte, v pyjson.Value, present bool) ([]byte, error) {
	switch {
	case !present || v.Kind == pyjson.Null:
		return append(dst, 'n'), nil
	case v.Kind == pyjson.String:
		dst = append(dst, 's')
		dst = strconv.AppendInt(dst, int64(len(v.Str)), 10)
		dst = append(dst, ':')
		return append(dst, v.Str...), nil
	}
	c, err := jcs.Canonicalize(pyjson.Dumps(v, pyjson.DumpOptions{}))
	if err != nil {
		return dst, fmt.Errorf("cannot canonicalize %s: %v", v.Kind, err)
	}
	dst = append(dst, 'j')
	dst = strconv.AppendInt(dst, int64(len(c)), 10)
	dst = append(dst, ':')
	return append(dst, c...), nil
}

// externalReferenceKey is the identity of external_reference_generate_id:
// the url when not null, else source_name and external_id when both are
// not null, else none (the reference is dropped).
func externalReferenceKey(dst []byte, e pyjson.Value) ([]byte, bool, error) {
	if url, ok := e.Get("url"); ok && url.Kind != pyjson.Null {
		dst = append(dst, 'U')
		dst, err := appendIdentity(dst, url, true)
		return dst, true, err
	}
	sn, ok1 := e.Get("source_name")
	ex, ok2 := e.Get("external_id")
	if !ok1 || !ok2 || sn.Kind == pyjson.Null || ex.Kind == pyjson.Null {
		return dst, false, nil
	}
	dst = append(dst, 'S')
	dst, err := appendIdentity(dst, sn, true)
	if err != nil {
		return dst, false, err
	}
	dst, err = appendIdentity(dst, ex, true)
	return dst, true, err
}

// killChainKey is the identity of kill_chain_phase_generate_id:
// (kill_chain_name, phase_name), absent members counting as null.
func killChainKey(dst []byte, e pyjson.Value) ([]byte, bool, error) {
	kc, ok1 := e.Get("kill_chain_name")
	ph, ok2 := e.Get("phase_name")
	dst, err := appendIdentity(dst, kc, ok1)
	if err != nil {
		return dst, false, err
	}
	dst, err = appendIdentity(dst, ph, ok2)
	return dst, true, err
}

// compatible is pycti's test before enlisting an object for sending.
func (s *splitter6) compatible(i int, itemID string) (bool, error) {
	o := s.objs[i]
	t, ok := o.Get("type")
	if !ok {
		return false, s.bad(i, "type", "missing (pycti raises KeyError)")
	}
	need := func(prop string) (pyjson.Value, error) {
		v, ok := o.Get(prop)
		if !ok {
			return v, s.bad(i, prop, "missing (pycti raises KeyError)")
		}
		return v, nil
	}
	if t.Kind == pyjson.String {
		switch t.Str {
		case "relationship":
			src, err := need("source_ref")
			if err != nil || src.Kind == pyjson.Null {
				return false, err
			}
			tgt, err := need("target_ref")
			return err == nil && tgt.Kind != pyjson.Null, err
		case "sighting":
			of, err := need("sighting_of_ref")
			if err != nil || of.Kind == pyjson.Null {
				return false, err
			}
			where, err := need("where_sighted_refs")
			if err != nil {
				return false, err
			}
			switch where.Kind {
			case pyjson.Array:
				return len(where.Arr) > 0, nil
			case pyjson.String:
				return where.Str != "", nil
			case pyjson.Object:
				return len(where.Obj) > 0, nil
			}
			return false, s.bad(i, "where_sighted_refs", "%s has no len() (pycti raises TypeError)", where.Kind)
		}
	}
	return isIDSupported6(itemID), nil
}

// Piece framing of the 6.x splitter.
const (
	piece6Head = `{"type": "bundle", "id": `
	piece6Mid  = `, "spec_version": "2.1", "x_opencti_seq": `
	piece6Objs = `, "objects": [`
	piece6Ev   = `], "x_opencti_event_version": `
)

// appendObject appends json.dumps of object i with its "nb_deps" (the
// member is written last unless the object already had one).
func (s *splitter6) appendObject(dst []byte, i int) []byte {
	o := &s.objs[i]
	dst = pyjson.AppendDumps(dst, *o, pyjson.DumpOptions{})
	for k := range o.Obj {
		if o.Obj[k].Key == "nb_deps" {
			return dst
		}
	}
	dst = dst[:len(dst)-1] // the closing brace; objects always have an id
	dst = append(dst, `, "nb_deps": `...)
	dst = strconv.AppendInt(dst, s.nb[i], 10)
	return append(dst, '}')
}

// encode writes every piece and, with wrap, every message body, spread
// over the CPUs; each worker writes its pieces and bodies into two arenas
// of exactly the needed size.
func (s *splitter6) encode(id pyjson.Value, eventVersion *string, wrap *wrap6) (pieces, bodies [][]byte) {
	n := len(s.elements)
	pieces = make([][]byte, n)
	if wrap != nil {
		bodies = make([][]byte, n)
	}
	head := pyjson.AppendDumps([]byte(piece6Head), id, pyjson.DumpOptions{})
	head = append(head, piece6Mid...)
	var tail []byte
	if eventVersion != nil {
		tail = pyjson.AppendString([]byte(piece6Ev), *eventVersion, true)
		tail = append(tail, '}')
	} else {
		tail = []byte("]}")
	}
	wire.Parallel(n, n*512, func(lo, hi int) {
		var objs []byte
		ends := make([]int, hi-lo)
		size := 0
		for k := lo; k < hi; k++ {
			objs = s.appendObject(objs, s.elements[k])
			ends[k-lo] = len(objs)
			size += len(head) + wire.DecimalLen(s.nb[s.elements[k]]) + len(piece6Objs) + len(tail)
		}
		arena := make([]byte, 0, size+len(objs))
		start := 0
		for k := lo; k < hi; k++ {
			p0 := len(arena)
			arena = append(arena, head...)
			arena = strconv.AppendInt(arena, s.nb[s.elements[k]], 10)
			arena = append(arena, piece6Objs...)
			arena = append(arena, objs[start:ends[k-lo]]...)
			arena = append(arena, tail...)
			start = ends[k-lo]
			pieces[k] = arena[p0:len(arena):len(arena)]
		}
		if wrap != nil {
			wrap.bodies(pieces, bodies, lo, hi)
		}
	})
	return pieces, bodies
}
