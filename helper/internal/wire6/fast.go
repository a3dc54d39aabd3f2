package wire6

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"github.com/stixkit/stixkit/helper/internal/wire"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// The 6.x text fast path.
//
// The bundle text is transcoded once into json.dumps form, noting where
// every object and the few members the 6.x splitter reads or rewrites land
// (ids, types, internal ids, "*_ref", "*_refs", "external_references",
// "kill_chain_phases", "nb_deps"). Only those members are decoded, into
// small stand-in objects on which the ordinary value-based splitter
// (enlist, filtering, dedup, sorting) runs unchanged. Each piece is then
// written from the transcoded text of its object with the rewritten
// members spliced in; kept external references and kill chain phases are
// copied as spans of that text, not re-encoded. While the splitter
// enlists, a second goroutine already writes the pieces of the objects it
// has finished with (fast6Pipe).
//
// Transcoding tries, in order: transcode6Text (fast6text.go: its own
// scanner for the common shape, two goroutines on large bundles), then
// pyjson.Transcoder object by object (transcode6Chunks), then on the whole
// text (transcode6Whole). Anything none of them handles (duplicate keys,
// objects that are not objects, invalid JSON) and any splitter error make
// MessagesRaw use the parse path, which is the reference: so errors are
// always the parse path's.

// errFast6 asks for the parse path.
var errFast6 = errors.New("helper: 6.x fast path not applicable")

// Ways a recorded member is written back.
const (
	fast6Keep     = iota // read only: its text is copied
	fast6Full            // written with AppendDumps of its current value
	fast6Ref             // "*_ref": its text, or null once dropped
	fast6Embedded        // array of objects: spans of the kept elements
	fast6NbDeps          // "nb_deps": the dependency count
)

// fast6Sub is a member of an embedded element that the dedup reads.
type fast6Sub struct {
	key        string
	start, end int
	at         int // where its text is in the chunk's gathered string
}

// fast6Elem is one element of an embedded array (external references,
// kill chain phases).
type fast6Elem struct {
	start, end   int
	kind         pyjson.Kind
	subLo, subHi int // its members in subs
}

// fast6Member is one member of an object that the splitter reads or
// rewrites.
type fast6Member struct {
	key            string
	start, end     int // span of the value in the transcoded text
	kind           pyjson.Kind
	mode           uint8
	elemLo, elemHi int // elements in elems (fast6Embedded)
	at             int // where its text is in the chunk's gathered string
}

// fast6Object is one item of the bundle's "objects".
type fast6Object struct {
	start, end   int
	kind         pyjson.Kind
	memLo, memHi int // its members in mems
}

// fast6Chunk holds the transcoded text of a run of the bundle's objects
// and where the splitter's members are in it.
type fast6Chunk struct {
	text  []byte
	objs  []fast6Object
	mems  []fast6Member
	elems []fast6Elem
	subs  []fast6Sub
	idx   int // where the element numbers start in the gathered string
	// The stand-ins of objs (see build).
	light []pyjson.Value
	built bool
	err   error
}

// fast6 is the transcoded bundle: object i is chunks[at[i]].objs[i-lo[at[i]]].
type fast6 struct {
	chunks []fast6Chunk
	first  []int // index of each chunk's first object
	at     []int32
	pipe   *fast6Pipe // pieces written while enlisting, or nil
}

// object returns the chunk of object i and its record there.
func (f *fast6) object(i int) (*fast6Chunk, *fast6Object) {
	c := &f.chunks[f.at[i]]
	return c, &c.objs[i-f.first[f.at[i]]]
}

// release gives the transcoded texts back to the pool and ends the
// pipeline, if any.
func (f *fast6) release() {
	if f.pipe != nil {
		f.pipe.release()
		f.pipe = nil
	}
	for _, c := range f.chunks {
		wire.PutScratch(c.text)
	}
	f.chunks = nil
}

// fast6Mode classifies an object member by what the splitter does with it
// (see splitter6.enlist, internalIDs6, compatible); -1: nothing.
func fast6Mode(key string) int {
	switch key {
	case "nb_deps":
		return fast6NbDeps
	case "external_references", "kill_chain_phases":
		return fast6Embedded
	case "id", "type", "x_opencti_id", "extensions":
		return fast6Keep
	}
	switch {
	case strings.HasSuffix(key, "_refs"):
		return fast6Full
	case strings.HasSuffix(key, "_ref"):
		return fast6Ref
	}
	return -1
}

// isEmbeddedKey reports whether a member of an embedded element is read by
// externalReferenceKey or killChainKey.
func isEmbeddedKey(k string) bool {
	switch k {
	case "url", "source_name", "external_id", "kill_chain_name", "phase_name":
		return true
	}
	return false
}

// fast6Visitor records, during Transcoder runs, where the members of the
// objects land. Objects are at nesting depth base: 2 when the whole bundle
// is transcoded, 0 when each object is transcoded on its own.
type fast6Visitor struct {
	c                          *fast6Chunk
	base                       int
	memMark, elemMark, subKept int
	subLo                      int
	// Whole-bundle runs only: the top-level members.
	cur2           []fast6Object
	objects        []fast6Object
	found, hasID   bool
	objectsKind    pyjson.Kind
	idStart, idEnd int
}

func (v *fast6Visitor) visit(ev pyjson.VisitEvent) {
	c := v.c
	switch ev.Depth - v.base {
	case 3:
		if isEmbeddedKey(ev.Key) {
			c.subs = append(c.subs, fast6Sub{ev.Key, ev.Start, ev.End, 0})
		}
	case 2:
		c.elems = append(c.elems, fast6Elem{ev.Start, ev.End, ev.Kind, v.subLo, len(c.subs)})
		v.subLo = len(c.subs)
	case 1:
		mode := fast6Mode(ev.Key)
		if mode == fast6Embedded && ev.Kind == pyjson.Array {
			c.mems = append(c.mems, fast6Member{ev.Key, ev.Start, ev.End, ev.Kind, uint8(mode), v.elemMark, len(c.elems), 0})
			v.elemMark, v.subKept, v.subLo = len(c.elems), len(c.subs), len(c.subs)
			return
		}
		v.drop()
		if mode == fast6Embedded {
			mode = fast6Full // not an array: the general case
		}
		if mode >= 0 {
			c.mems = append(c.mems, fast6Member{key: ev.Key, start: ev.Start, end: ev.End, kind: ev.Kind, mode: uint8(mode)})
		}
	case 0:
		v.endObject(ev.Start, ev.End, ev.Kind)
	case -1:
		switch ev.Key {
		case "objects":
			v.found, v.objects, v.objectsKind = true, v.cur2, ev.Kind
		case "id":
			v.hasID, v.idStart, v.idEnd = true, ev.Start, ev.End
		}
		v.cur2 = nil
		v.drop()
	}
}

// drop forgets the embedded elements seen since the last kept member.
func (v *fast6Visitor) drop() {
	c := v.c
	c.elems, c.subs, v.subLo = c.elems[:v.elemMark], c.subs[:v.subKept], v.subKept
}

// endObject records an item of "objects" (or of another top-level value,
// in whole-bundle runs) with the members seen since the previous one.
func (v *fast6Visitor) endObject(start, end int, kind pyjson.Kind) {
	v.cur2 = append(v.cur2, fast6Object{start, end, kind, v.memMark, len(v.c.mems)})
	v.memMark = len(v.c.mems)
	v.drop()
}

// fast6How chooses how newSplitter6Raw transcodes (tests force each way).
type fast6How int

const (
	fast6Auto      fast6How = iota // fast6Text, else by object (in parallel for large bundles), else whole
	fast6Whole                     // pyjson.Transcoder on the whole bundle in one pass
	fast6Chunks                    // pyjson.Transcoder by object, in parallel even for small bundles
	fast6TextOnly                  // transcode6Text only
	fast6TextSplit                 // transcode6Text only, in two goroutines when it finds where
)

// newSplitter6Raw transcodes the bundle text and builds a splitter over
// stand-in objects: the objects are transcoded in parallel when the
// bundle has the usual shape (see fast6Scan), else in one pass. When the
// bundle has no id it calls opt.NewUUID once and replaces opt.NewUUID by a
// function returning the same value, so that a fallback names the bundle
// the same way. The splitter's fast6 must be released once the pieces are
// written. errFast6 means: use the parse path.
func newSplitter6Raw(raw []byte, opt *Options, how fast6How) (*splitter6, pyjson.Value, error) {
	if len(raw) > maxBundleBytes {
		return nil, pyjson.Value{}, errFast6
	}
	var f *fast6
	var idText []byte
	ok := false
	if how == fast6Auto || how == fast6TextOnly || how == fast6TextSplit {
		f, idText, ok = transcode6Text(raw, how == fast6TextSplit)
	}
	if !ok && (how == fast6Auto || how == fast6Chunks) {
		f, idText, ok = transcode6Chunks(raw, how == fast6Chunks)
	}
	if !ok && (how == fast6Auto || how == fast6Whole) {
		f, idText, ok = transcode6Whole(raw)
	}
	if !ok {
		return nil, pyjson.Value{}, errFast6
	}
	s, id, err := f.splitter(idText, opt)
	if err != nil {
		f.release()
		return nil, pyjson.Value{}, errFast6
	}
	return s, id, nil
}

// transcode6Whole transcodes the whole bundle in one pass. idText is the
// bundle id's json.dumps text, nil when the bundle has none.
func transcode6Whole(raw []byte) (*fast6, []byte, bool) {
	f := &fast6{chunks: make([]fast6Chunk, 1)}
	c := &f.chunks[0]
	v := &fast6Visitor{c: c, base: 2}
	out := wire.GetScratch(len(raw) + len(raw)/8)
	tr := pyjson.Transcoder{
		Parse:      pyjson.ParseOptions{MaxBytes: maxBundleBytes},
		VisitDepth: 5,
		Visit:      v.visit,
	}
	out, err := tr.Append(out, raw)
	c.text = out
	if err != nil || kindOf(out) != pyjson.Object || !v.found || v.objectsKind != pyjson.Array {
		f.release()
		return nil, nil, false
	}
	c.objs = v.objects
	f.first = []int{0}
	f.at = make([]int32, len(c.objs))
	var idText []byte
	if v.hasID {
		idText = out[v.idStart:v.idEnd]
	}
	return f, idText, true
}

// structural6 marks the bytes fast6Scan stops at inside arrays and objects.
var structural6 = func() (t [256]bool) {
	for _, c := range `"{}[]` {
		t[c] = true
	}
	return
}()

func isSpace6(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace6 skips JSON whitespace from i.
func skipSpace6(raw []byte, i int) int {
	for i < len(raw) && isSpace6(raw[i]) {
		i++
	}
	return i
}

// skipString6 returns the end of the string starting at raw[i] == '"'.
func skipString6(raw []byte, i int) (int, bool) {
	i++
	for {
		j := bytes.IndexByte(raw[i:], '"')
		if j < 0 {
			return 0, false
		}
		i += j
		bs := 0
		for k := i - 1; k >= 0 && raw[k] == '\\'; k-- {
			bs++
		}
		i++
		if bs%2 == 0 {
			return i, true
		}
	}
}

// skipValue6 returns the end of the value starting at raw[i]. It only
// finds boundaries: the value itself is checked by its transcoding.
func skipValue6(raw []byte, i int) (int, bool) {
	if i >= len(raw) {
		return 0, false
	}
	switch raw[i] {
	case '"':
		return skipString6(raw, i)
	case '{', '[':
		depth := 0
		for i < len(raw) {
			c := raw[i]
			if !structural6[c] {
				i++
				continue
			}
			switch c {
			case '"':
				var ok bool
				if i, ok = skipString6(raw, i); !ok {
					return 0, false
				}
				continue
			case '{', '[':
				depth++
			default:
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
			i++
		}
		return 0, false
	}
	j := i
	for j < len(raw) && !isSpace6(raw[j]) && raw[j] != ',' && raw[j] != ']' && raw[j] != '}' {
		j++
	}
	return j, j > i
}

// fast6Span is a span of the bundle text.
type fast6Span struct{ start, end int }

// fast6Scan finds the top-level members and the objects of a bundle text
// of the usual shape: an object with plain ASCII keys, none repeated, and
// an "objects" array of objects. Values are only delimited, not checked.
func fast6Scan(raw []byte) (keys []string, vals []fast6Span, objs []fast6Span, ok bool) {
	i := skipSpace6(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, nil, nil, false
	}
	found := false
	for i++; ; i++ {
		i = skipSpace6(raw, i)
		if i >= len(raw) || raw[i] != '"' {
			return nil, nil, nil, false
		}
		k := i + 1
		for k < len(raw) && raw[k] >= 0x20 && raw[k] < 0x7f && raw[k] != '"' && raw[k] != '\\' {
			k++
		}
		if k >= len(raw) || raw[k] != '"' {
			return nil, nil, nil, false
		}
		key := string(raw[i+1 : k])
		for _, x := range keys {
			if x == key {
				return nil, nil, nil, false
			}
		}
		i = skipSpace6(raw, k+1)
		if i >= len(raw) || raw[i] != ':' {
			return nil, nil, nil, false
		}
		i = skipSpace6(raw, i+1)
		start := i
		if key == "objects" {
			if i >= len(raw) || raw[i] != '[' {
				return nil, nil, nil, false
			}
			found = true
			i = skipSpace6(raw, i+1)
			if i < len(raw) && raw[i] == ']' {
				i++
			} else {
				for {
					if i >= len(raw) || raw[i] != '{' {
						return nil, nil, nil, false
					}
					end, ok := skipValue6(raw, i)
					if !ok {
						return nil, nil, nil, false
					}
					objs = append(objs, fast6Span{i, end})
					i = skipSpace6(raw, end)
					if i >= len(raw) {
						return nil, nil, nil, false
					}
					if raw[i] == ']' {
						i++
						break
					}
					if raw[i] != ',' {
						return nil, nil, nil, false
					}
					i = skipSpace6(raw, i+1)
				}
			}
		} else {
			end, ok := skipValue6(raw, i)
			if !ok {
				return nil, nil, nil, false
			}
			i = end
		}
		keys = append(keys, key)
		vals = append(vals, fast6Span{start, i})
		i = skipSpace6(raw, i)
		if i >= len(raw) {
			return nil, nil, nil, false
		}
		if raw[i] == '}' {
			break
		}
		if raw[i] != ',' {
			return nil, nil, nil, false
		}
	}
	if skipSpace6(raw, i+1) != len(raw) || !found {
		return nil, nil, nil, false
	}
	return keys, vals, objs, true
}

// transcode6Chunks transcodes a bundle of the usual shape object by
// object, in parallel: each top-level member and each object is
// transcoded on its own (one nesting level less deep allowed per level
// removed, as in the whole text), so the bundle is valid JSON exactly when
// they all are. idText is the bundle id's json.dumps text, nil when the
// bundle has none.
func transcode6Chunks(raw []byte, force bool) (*fast6, []byte, bool) {
	keys, vals, objs, ok := fast6Scan(raw)
	if !ok {
		return nil, nil, false
	}
	var idText []byte
	var scratch []byte
	for k, key := range keys {
		if key == "objects" {
			continue
		}
		t := pyjson.Transcoder{Parse: pyjson.ParseOptions{MaxDepth: pyjson.DefaultMaxDepth - 1, MaxBytes: maxBundleBytes}}
		start := len(scratch)
		var err error
		if scratch, err = t.Append(scratch, raw[vals[k].start:vals[k].end]); err != nil {
			return nil, nil, false
		}
		if key == "id" {
			idText = scratch[start:len(scratch):len(scratch)]
		}
	}
	n := len(objs)
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	if (len(raw) < 1<<16 && !force) || workers < 1 {
		workers = 1
	}
	f := &fast6{chunks: make([]fast6Chunk, workers), first: make([]int, workers+1), at: make([]int32, n)}
	// Chunks of about equal size, on object boundaries.
	total := 0
	if n > 0 {
		total = objs[n-1].end - objs[0].start
	}
	for w, k := 1, 0; w < workers; w++ {
		for k < n && (objs[k].start-objs[0].start)*workers < total*w {
			k++
		}
		f.first[w] = k
	}
	f.first[workers] = n
	errs := make([]bool, workers)
	work := func(w int) {
		lo, hi := f.first[w], f.first[w+1]
		c := &f.chunks[w]
		size := 0
		if hi > lo {
			size = objs[hi-1].end - objs[lo].start
		}
		c.text = wire.GetScratch(size + size/8)
		v := &fast6Visitor{c: c}
		tr := pyjson.Transcoder{
			Parse:      pyjson.ParseOptions{MaxDepth: pyjson.DefaultMaxDepth - 2, MaxBytes: maxBundleBytes},
			VisitDepth: 3,
			Visit:      v.visit,
		}
		for k := lo; k < hi; k++ {
			start := len(c.text)
			var err error
			c.text, err = tr.Append(c.text, raw[objs[k].start:objs[k].end])
			if err != nil {
				errs[w] = true
				return
			}
			v.endObject(start, len(c.text), pyjson.Object)
			f.at[k] = int32(w)
		}
		c.objs = v.cur2
	}
	if workers == 1 {
		work(0)
	} else {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work(w)
			}()
		}
		wg.Wait()
	}
	for _, e := range errs {
		if e {
			f.release()
			return nil, nil, false
		}
	}
	return f, idText, true
}

// splitter builds the stand-in objects and the splitter over them (see
// newSplitter6Raw).
func (f *fast6) splitter(idText []byte, opt *Options) (*splitter6, pyjson.Value, error) {
	n := len(f.at)
	for ci := range f.chunks {
		for _, o := range f.chunks[ci].objs {
			if o.kind != pyjson.Object {
				return nil, pyjson.Value{}, errFast6
			}
		}
	}
	var id pyjson.Value
	if idText != nil {
		var err error
		if id, err = decodeSmall(idText); err != nil {
			return nil, pyjson.Value{}, err
		}
	} else {
		u := ""
		if opt.NewUUID != nil {
			u = opt.NewUUID()
		} else {
			var one [1]string
			wire.RandomUUIDs(one[:])
			u = one[0]
		}
		opt.NewUUID = func() string { return u }
		id = pyjson.StringValue("bundle--" + u)
	}
	var wg sync.WaitGroup
	for ci := range f.chunks {
		if c := &f.chunks[ci]; !c.built {
			if ci == len(f.chunks)-1 {
				c.build()
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.build()
			}()
		}
	}
	wg.Wait()
	light := f.chunks[0].light
	if len(f.chunks) > 1 {
		light = make([]pyjson.Value, 0, n)
		for ci := range f.chunks {
			light = append(light, f.chunks[ci].light...)
		}
	}
	for ci := range f.chunks {
		if err := f.chunks[ci].err; err != nil {
			return nil, pyjson.Value{}, err
		}
	}
	bundle := pyjson.ObjectValue(
		pyjson.Member{Key: "objects", Value: pyjson.Value{Kind: pyjson.Array, Arr: light}},
		pyjson.Member{Key: "id", Value: id},
	)
	s, id, err := newSplitter6(bundle, *opt, true)
	if err != nil {
		return nil, pyjson.Value{}, err
	}
	s.fast = f
	return s, id, nil
}

// build decodes the stand-ins of the chunk's objects into c.light (an
// error into c.err).
func (c *fast6Chunk) build() {
	c.built = true
	strs := c.gather()
	c.light = make([]pyjson.Value, len(c.objs))
	members := make([]pyjson.Member, 0, len(c.mems))
	for j, o := range c.objs {
		m0 := len(members)
		for k := o.memLo; k < o.memHi; k++ {
			m := &c.mems[k]
			var v pyjson.Value
			var err error
			switch m.mode {
			case fast6NbDeps:
				// Always overwritten by enlist before it is written.
			case fast6Embedded:
				v, err = c.embedded(m, strs)
			default:
				v, err = decodeText6(strs[m.at : m.at+m.end-m.start])
			}
			if err != nil {
				c.err = err
				return
			}
			members = append(members, pyjson.Member{Key: m.key, Value: v})
		}
		c.light[j] = pyjson.Value{Kind: pyjson.Object, Obj: members[m0:len(members):len(members)]}
	}
}

// gather copies the texts of the members to decode into one string (one
// allocation for all the strings of the stand-ins) and notes where each
// is; an embedded array with an element that is not an object is marked
// to be decoded whole and written back with AppendDumps.
func (c *fast6Chunk) gather() string {
	size := 0
	for k := range c.mems {
		m := &c.mems[k]
		if m.mode == fast6Embedded {
			for e := m.elemLo; e < m.elemHi; e++ {
				if c.elems[e].kind != pyjson.Object {
					m.mode = fast6Full
					break
				}
			}
		}
		switch m.mode {
		case fast6NbDeps:
		case fast6Embedded:
			for e := m.elemLo; e < m.elemHi; e++ {
				el := &c.elems[e]
				for j := el.subLo; j < el.subHi; j++ {
					size += c.subs[j].end - c.subs[j].start
				}
			}
		default:
			size += m.end - m.start
		}
	}
	var buf strings.Builder // its String does not copy
	buf.Grow(size + 4*len(c.elems))
	for k := range c.mems {
		m := &c.mems[k]
		switch m.mode {
		case fast6NbDeps:
		case fast6Embedded:
			for e := m.elemLo; e < m.elemHi; e++ {
				el := &c.elems[e]
				for j := el.subLo; j < el.subHi; j++ {
					sb := &c.subs[j]
					sb.at = buf.Len()
					buf.Write(c.text[sb.start:sb.end])
				}
			}
		default:
			m.at = buf.Len()
			buf.Write(c.text[m.start:m.end])
		}
	}
	// The element numbers, four bytes each (see embedded).
	c.idx = buf.Len()
	var n [4]byte
	for e := range c.elems {
		binary.LittleEndian.PutUint32(n[:], uint32(e))
		buf.Write(n[:])
	}
	return buf.String()
}

// decodeText6 decodes a json.dumps text; plain strings and arrays of plain
// strings (ids, references) are substrings of s, not copies.
func decodeText6(s string) (pyjson.Value, error) {
	n := len(s)
	if n >= 2 && s[0] == '"' && strings.IndexByte(s[1:n-1], '\\') < 0 {
		return pyjson.StringValue(s[1 : n-1]), nil
	}
	if n >= 2 && s[0] == '[' && s[n-1] == ']' && strings.IndexByte(s, '\\') < 0 {
		if n == 2 {
			return pyjson.Value{Kind: pyjson.Array, Arr: []pyjson.Value{}}, nil
		}
		arr := make([]pyjson.Value, 0, strings.Count(s, `", "`)+1)
		for i := 1; ; {
			if s[i] != '"' {
				return pyjson.Parse([]byte(s), pyjson.ParseOptions{})
			}
			j := strings.IndexByte(s[i+1:], '"')
			arr = append(arr, pyjson.StringValue(s[i+1:i+1+j]))
			i += j + 2
			if i == n-1 {
				return pyjson.Value{Kind: pyjson.Array, Arr: arr}, nil
			}
			if !strings.HasPrefix(s[i:], ", ") {
				return pyjson.Parse([]byte(s), pyjson.ParseOptions{})
			}
			i += 2
		}
	}
	return pyjson.Parse([]byte(s), pyjson.ParseOptions{})
}

// embedded decodes an embedded array whose elements are all objects into
// stand-ins holding only the members the dedup reads; each stand-in's Str
// (unused for objects) holds its element's number (see elemIndex).
func (c *fast6Chunk) embedded(m *fast6Member, strs string) (pyjson.Value, error) {
	arr := make([]pyjson.Value, m.elemHi-m.elemLo)
	for e := m.elemLo; e < m.elemHi; e++ {
		el := &c.elems[e]
		var mem []pyjson.Member
		if el.subHi > el.subLo {
			mem = make([]pyjson.Member, 0, el.subHi-el.subLo)
		}
		for j := el.subLo; j < el.subHi; j++ {
			sb := c.subs[j]
			v, err := decodeText6(strs[sb.at : sb.at+sb.end-sb.start])
			if err != nil {
				return pyjson.Value{}, err
			}
			mem = append(mem, pyjson.Member{Key: sb.key, Value: v})
		}
		arr[e-m.elemLo] = pyjson.Value{Kind: pyjson.Object, Str: strs[c.idx+4*e : c.idx+4*e+4], Obj: mem}
	}
	return pyjson.Value{Kind: pyjson.Array, Arr: arr}, nil
}

// elemIndex is the element number a stand-in of embedded carries.
func elemIndex(v pyjson.Value) int {
	s := v.Str
	return int(s[0]) | int(s[1])<<8 | int(s[2])<<16 | int(s[3])<<24
}

// appendObject writes object i from its transcoded text, with the members
// the splitter may have changed written from their current values and
// "nb_deps" appended when the object had none (as splitter6.appendObject).
func (f *fast6) appendObject(dst []byte, s *splitter6, i int) []byte {
	c, o := f.object(i)
	vals := s.objs[i].Obj
	pos := o.start
	hasNB := false
	for k := o.memLo; k < o.memHi; k++ {
		m := &c.mems[k]
		if m.mode == fast6Keep {
			continue
		}
		dst = append(dst, c.text[pos:m.start]...)
		pos = m.end
		v := &vals[k-o.memLo].Value
		switch m.mode {
		case fast6Ref:
			if v.Kind == pyjson.Null {
				dst = append(dst, "null"...)
			} else {
				dst = append(dst, c.text[m.start:m.end]...)
			}
		case fast6Embedded:
			if len(v.Arr) == m.elemHi-m.elemLo {
				dst = append(dst, c.text[m.start:m.end]...)
				break
			}
			dst = append(dst, '[')
			for j, e := range v.Arr {
				if j > 0 {
					dst = append(dst, ", "...)
				}
				x := elemIndex(e)
				dst = append(dst, c.text[c.elems[x].start:c.elems[x].end]...)
			}
			dst = append(dst, ']')
		case fast6NbDeps:
			hasNB = true
			dst = pyjson.AppendDumps(dst, *v, pyjson.DumpOptions{})
		default:
			dst = pyjson.AppendDumps(dst, *v, pyjson.DumpOptions{})
		}
	}
	if hasNB {
		return append(dst, c.text[pos:o.end]...)
	}
	dst = append(dst, c.text[pos:o.end-1]...) // without the closing brace
	dst = append(dst, `, "nb_deps": `...)
	dst = strconv.AppendInt(dst, s.nb[i], 10)
	return append(dst, '}')
}

// pieceFrame6 returns what comes before a piece's x_opencti_seq and after
// its object.
func pieceFrame6(id pyjson.Value, eventVersion *string) (head, tail []byte) {
	head = pyjson.AppendDumps([]byte(piece6Head), id, pyjson.DumpOptions{})
	head = append(head, piece6Mid...)
	if eventVersion != nil {
		tail = pyjson.AppendString([]byte(piece6Ev), *eventVersion, true)
		tail = append(tail, '}')
	} else {
		tail = []byte("]}")
	}
	return head, tail
}

// encode is splitter6.encode for stand-in objects: each object is written
// straight into its piece (the arenas are sized from the transcoded
// spans; a longer rewrite only makes append grow the arena). With a
// pipeline whose work is valid, the pieces and their base64 are already
// written and only the bodies are assembled.
func (f *fast6) encode(s *splitter6, id pyjson.Value, eventVersion *string, wrap *wrap6) (pieces, bodies [][]byte) {
	if p := f.pipe; p != nil {
		f.pipe = nil
		defer p.release()
		if p.ok {
			return p.encode(wrap)
		}
	}
	n := len(s.elements)
	pieces = make([][]byte, n)
	if wrap != nil {
		bodies = make([][]byte, n)
	}
	head, tail := pieceFrame6(id, eventVersion)
	wire.Parallel(n, n*512, func(lo, hi int) {
		size := 0
		for k := lo; k < hi; k++ {
			i := s.elements[k]
			_, o := f.object(i)
			size += len(head) + wire.DecimalLen(s.nb[i]) + len(piece6Objs) + len(tail) + o.end - o.start + len(`, "nb_deps": `) + wire.DecimalLen(s.nb[i])
		}
		arena := make([]byte, 0, size)
		for k := lo; k < hi; k++ {
			i := s.elements[k]
			p0 := len(arena)
			arena = append(arena, head...)
			arena = strconv.AppendInt(arena, s.nb[i], 10)
			arena = append(arena, piece6Objs...)
			arena = f.appendObject(arena, s, i)
			arena = append(arena, tail...)
			pieces[k] = arena[p0:len(arena):len(arena)]
		}
		if wrap != nil {
			wrap.bodies(pieces, bodies, lo, hi)
		}
	})
	return pieces, bodies
}

// fast6PipeMin is the number of objects from which the pieces are written
// while enlisting (see fast6Pipe).
const fast6PipeMin = 256

// fast6Pipe writes pieces, and their base64, in a second goroutine while
// the splitter enlists. After each top-level enlist the objects it added
// are handed over: no later enlist changes them, unless one of their ids
// is not yet in the cache (an object enlisted through an alias can be
// visited again through its own id, with other results); then the
// pipeline's work is not used (ok false) and encode writes the pieces
// after enlisting, as without a pipeline.
type fast6Pipe struct {
	s          *splitter6
	f          *fast6
	head, tail []byte
	ch         chan []int
	done       chan struct{}
	ok         bool // every object handed over is final
	closed     bool
	// Written by the goroutine: the pieces, in enlisting order, their
	// base64, and where each object's are (by object; an object listed
	// twice has one piece).
	arena         []byte
	b64           []byte
	start, end, b []int
}

// startPipe starts the pipeline for the splitter's enlisting.
func (f *fast6) startPipe(s *splitter6, id pyjson.Value, eventVersion *string) {
	head, tail := pieceFrame6(id, eventVersion)
	size := 0
	for i := range s.objs {
		_, o := f.object(i)
		size += len(head) + len(piece6Objs) + len(tail) + o.end - o.start + len(`, "nb_deps": `) + 2*4
	}
	n := len(s.objs)
	p := &fast6Pipe{
		s: s, f: f, head: head, tail: tail,
		ch: make(chan []int, 256), done: make(chan struct{}), ok: true,
		arena: make([]byte, 0, size),
		b64:   getB64Scratch(size/3*4 + 4),
		start: make([]int, 3*n),
	}
	p.end, p.b = p.start[n:2*n], p.start[2*n:]
	p.start = p.start[:n]
	f.pipe = p
	s.settled = p.settle
	go p.run()
}

// settle hands over the objects a top-level enlist added (nil: the end).
func (p *fast6Pipe) settle(elems []int) {
	if elems == nil {
		p.close()
		return
	}
	for _, i := range elems {
		if !p.final(i) {
			p.ok = false
		}
	}
	if p.ok {
		p.ch <- elems
	}
}

// final reports whether object i can no longer be visited: every id that
// names it is in the splitter's cache.
func (p *fast6Pipe) final(i int) bool {
	s := p.s
	id, _ := s.objs[i].GetString("id")
	for k := -1; k < len(s.aliases[i]); k++ {
		x := id
		if k >= 0 {
			x = s.aliases[i][k]
		}
		if j, ok := s.raw[x]; ok && j == i {
			if _, cached := s.cacheIndex[x]; !cached {
				return false
			}
		}
	}
	return true
}

// close ends the hand-over and waits for the goroutine.
func (p *fast6Pipe) close() {
	if !p.closed {
		p.closed = true
		close(p.ch)
		<-p.done
	}
}

// release ends the pipeline and gives its base64 buffer back.
func (p *fast6Pipe) release() {
	p.close()
	p.s.settled = nil
	if cap(p.b64) > 0 {
		b := p.b64[:0]
		b64Pool.Put(&b)
	}
	p.b64 = nil
}

// b64Pool recycles the pipelines' base64 buffers (apart from scratchPool,
// whose buffers are of other sizes).
var b64Pool sync.Pool

// getB64Scratch returns an empty buffer with capacity at least n.
func getB64Scratch(n int) []byte {
	if b, ok := b64Pool.Get().(*[]byte); ok && cap(*b) >= n {
		return (*b)[:0]
	}
	return make([]byte, 0, n)
}

func (p *fast6Pipe) run() {
	defer close(p.done)
	s := p.s
	for elems := range p.ch {
		for _, i := range elems {
			p0 := len(p.arena)
			p.arena = append(p.arena, p.head...)
			p.arena = strconv.AppendInt(p.arena, s.nb[i], 10)
			p.arena = append(p.arena, piece6Objs...)
			p.arena = p.f.appendObject(p.arena, s, i)
			p.arena = append(p.arena, p.tail...)
			p.start[i], p.end[i], p.b[i] = p0, len(p.arena), len(p.b64)
			p.b64 = wire.AppendBase64(p.b64, p.arena[p0:])
		}
	}
}

// encode returns the pieces in sending order and assembles the bodies
// around their base64, spread over the CPUs.
func (p *fast6Pipe) encode(wrap *wrap6) (pieces, bodies [][]byte) {
	s := p.s
	n := len(s.elements)
	pieces = make([][]byte, n)
	for k, i := range s.elements {
		pieces[k] = p.arena[p.start[i]:p.end[i]:p.end[i]]
	}
	if wrap == nil {
		return pieces, nil
	}
	bodies = make([][]byte, n)
	wire.Parallel(n, n*512, func(lo, hi int) {
		size := 0
		for k := lo; k < hi; k++ {
			size += wrap.bodyLen(k+1, len(pieces[k]))
		}
		out := make([]byte, 0, size)
		for k := lo; k < hi; k++ {
			i := s.elements[k]
			b0 := len(out)
			out = append(out, wrap.head...)
			out = strconv.AppendInt(out, int64(k+1), 10)
			out = append(out, wrap.mid...)
			out = append(out, p.b64[p.b[i]:p.b[i]+base64.StdEncoding.EncodedLen(len(pieces[k]))]...)
			out = append(out, wrap.suffix...)
			bodies[k] = out[b0:len(out):len(out)]
		}
	})
	return pieces, bodies
}

// decodeSmall decodes a json.dumps text; plain strings without escapes
// (ids, types) skip the parser.
func decodeSmall(text []byte) (pyjson.Value, error) {
	if n := len(text); n >= 2 && text[0] == '"' && bytes.IndexByte(text[1:n-1], '\\') < 0 {
		return pyjson.StringValue(string(text[1 : n-1])), nil
	}
	return pyjson.Parse(text, pyjson.ParseOptions{})
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
