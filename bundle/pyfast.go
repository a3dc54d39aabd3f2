package bundle

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/stixkit/stixkit/internal/pyjson"
	"github.com/stixkit/stixkit/stix"
)

// The Python styles' one-pass writer. It reads an object's JSON text (the
// input of FormatPython, or the canonical encoding of a typed object) and
// writes the Python library's form directly, without building a
// pyjson.Value tree: members are located by a scan of their text, reordered
// by the type's property table, and their values are transcoded by
// pyjson.Transcoder or formatted per property kind.
//
// It produces the bytes of the Value-based writer (pyTop and
// pyjson.AppendDumps, kept as the reference and as the fallback) and
// declines, with errSlow, whatever it does not handle exactly that way:
// invalid or unusual JSON (duplicate keys, escaped keys, a byte order
// mark), SCOs that get an id, the objects dictionary of observed-data,
// values of an unexpected JSON type where a structure is expected. The
// caller then uses the Value-based writer for that object, so errors and
// edge cases keep its behaviour exactly. TestPythonFastDifferential
// checks the two on the corpus and the vectors.

// errSlow reports that the fast writer leaves the input to the Value-based
// writer.
var errSlow = errors.New("bundle: python fast path declined")

// rawMember is one member of an object's text: its key (plain ASCII, no
// escape) and its value's text.
type rawMember struct {
	key, val string
	plain    bool // val is a string literal of plain bytes (isPlainString)
}

// pyFast holds one writing's state and scratch space.
type pyFast struct {
	out    []byte
	pretty bool
	popt   pyjson.ParseOptions
	base   int // the level of the top value (depth 0)
	tc     pyjson.Transcoder
	mem    []rawMember // member lists of the objects being written, a stack
	slots  []int32     // property slots of the structs being written, a stack
	custom []int32     // custom member indices of the structs being written, a stack
}

func (w *pyFast) reset(dst []byte, pretty bool, popt pyjson.ParseOptions, base int) {
	w.out, w.pretty, w.popt, w.base = dst, pretty, popt, base
	w.mem, w.slots, w.custom = w.mem[:0], w.slots[:0], w.custom[:0]
}

var pyFastPool = sync.Pool{New: func() any { return new(pyFast) }}

// maxDepth is the nesting limit left for a value at level.
func (w *pyFast) maxDepth(level int) int {
	m := w.popt.MaxDepth
	if m <= 0 {
		m = pyjson.DefaultMaxDepth
	}
	return m - (level - w.base)
}

func isWS(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipWS(s string, i int) int {
	for i < len(s) && isWS(s[i]) {
		i++
	}
	return i
}

// plainKeyByte reports bytes that Python's json writes as they are in a
// key or string (printable ASCII but '"' and '\\').
func plainKeyByte(c byte) bool { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\' }

// isPlainString reports a string literal of plain bytes only: its text is
// its json.dumps form.
func isPlainString(v string) bool {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return false
	}
	for i := 1; i < len(v)-1; i++ {
		if !plainKeyByte(v[i]) {
			return false
		}
	}
	return true
}

// skipString returns the index after the string literal starting at i.
func skipString(s string, i int) (int, bool) {
	j := i + 1
	for {
		k := strings.IndexByte(s[j:], '"')
		if k < 0 {
			return 0, false
		}
		j += k
		n := 0
		for p := j - 1; p > i && s[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return j + 1, true
		}
		j++
	}
}

// plainByte[c] is plainKeyByte(c).
var plainByte = func() (t [256]bool) {
	for c := range t {
		t[c] = plainKeyByte(byte(c))
	}
	return
}()

// skipValue returns the index after the value starting at i, and whether
// it is a string literal of plain bytes. It checks only the nesting; the
// value's text is validated when it is written.
func skipValue(s string, i int) (int, bool, bool) {
	if i >= len(s) {
		return 0, false, false
	}
	switch s[i] {
	case '"':
		j := i + 1
		for j < len(s) && plainByte[s[j]] {
			j++
		}
		if j < len(s) && s[j] == '"' {
			return j + 1, true, true
		}
		e, ok := skipString(s, i)
		return e, ok, false
	case '{', '[':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '"':
				e, ok := skipString(s, j)
				if !ok {
					return 0, false, false
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1, true, false
				}
			}
		}
		return 0, false, false
	}
	j := i
	for j < len(s) && s[j] != ',' && s[j] != '}' && s[j] != ']' && !isWS(s[j]) {
		j++
	}
	return j, j > i, false
}

// members pushes the members of the object text s on w.mem and returns
// their index range. It declines keys with escapes or other than plain
// ASCII, and duplicate keys.
func (w *pyFast) members(s string) (lo, hi int, err error) {
	lo = len(w.mem)
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return lo, lo, errSlow
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == '}' {
		i++
	} else {
		for {
			if i >= len(s) || s[i] != '"' {
				return lo, lo, errSlow
			}
			j := i + 1
			for j < len(s) && plainKeyByte(s[j]) {
				j++
			}
			if j >= len(s) || s[j] != '"' {
				return lo, lo, errSlow
			}
			key := s[i+1 : j]
			for _, m := range w.mem[lo:] {
				if m.key == key {
					return lo, lo, errSlow
				}
			}
			i = skipWS(s, j+1)
			if i >= len(s) || s[i] != ':' {
				return lo, lo, errSlow
			}
			i = skipWS(s, i+1)
			end, ok, plain := skipValue(s, i)
			if !ok {
				return lo, lo, errSlow
			}
			w.mem = append(w.mem, rawMember{key: key, val: s[i:end], plain: plain})
			i = skipWS(s, end)
			if i < len(s) && s[i] == ',' {
				i = skipWS(s, i+1)
				continue
			}
			if i < len(s) && s[i] == '}' {
				i++
				break
			}
			return lo, lo, errSlow
		}
	}
	if skipWS(s, i) != len(s) {
		return lo, lo, errSlow
	}
	return lo, len(w.mem), nil
}

// elements calls f with the text of each item of the array text s.
func elements(s string, f func(i int, item rawMember) error) error {
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '[' {
		return errSlow
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == ']' {
		if skipWS(s, i+1) != len(s) {
			return errSlow
		}
		return nil
	}
	for n := 0; ; n++ {
		end, ok, plain := skipValue(s, i)
		if !ok {
			return errSlow
		}
		if err := f(n, rawMember{val: s[i:end], plain: plain}); err != nil {
			return err
		}
		i = skipWS(s, end)
		if i < len(s) && s[i] == ',' {
			i = skipWS(s, i+1)
			continue
		}
		if i < len(s) && s[i] == ']' && skipWS(s, i+1) == len(s) {
			return nil
		}
		return errSlow
	}
}

func (w *pyFast) newline(level int) {
	w.out = append(w.out, '\n')
	n := 4 * level
	for n >= 16 {
		w.out = append(w.out, "                "...)
		n -= 16
	}
	w.out = append(w.out, "                "[:n]...)
}

// sep writes what precedes item or member n of a container at level.
func (w *pyFast) sep(n, level int) {
	if n > 0 {
		if w.pretty {
			w.out = append(w.out, ',')
		} else {
			w.out = append(w.out, ',', ' ')
		}
	}
	if w.pretty {
		w.newline(level + 1)
	}
}

// key writes member n's separator and key (plain ASCII).
func (w *pyFast) key(n, level int, k string) {
	w.sep(n, level)
	w.out = append(w.out, '"')
	w.out = append(w.out, k...)
	w.out = append(w.out, '"', ':', ' ')
}

// close ends a container at level that has n members or items.
func (w *pyFast) close(n, level int, c byte) {
	if n > 0 && w.pretty {
		w.newline(level)
	}
	w.out = append(w.out, c)
}

// omitted reports the written values the Python library drops at
// construction: None and empty lists.
func omitted(v []byte) bool {
	return string(v) == "null" || string(v) == "[]"
}

// top writes the object text s at level as pyTop does.
func (w *pyFast) top(s string, level int) error {
	lo, hi, err := w.members(s)
	if err != nil {
		return err
	}
	defer func() { w.mem = w.mem[:lo] }()
	ms := w.mem[lo:hi]
	t, ok := find(ms, "type")
	if !ok || !isPlainString(t) {
		return errSlow
	}
	t = t[1 : len(t)-1]
	if t == "bundle" {
		return w.bundle(ms, level)
	}
	info, ok := stix.Info(t)
	if !ok {
		return w.generic(ms, level)
	}
	if info.Category == "sco" && getsSCOID(ms) {
		return errSlow
	}
	return w.structObj(ms, info, level)
}

func find(ms []rawMember, key string) (string, bool) {
	for _, m := range ms {
		if m.key == key {
			return m.val, true
		}
	}
	return "", false
}

// getsSCOID reports whether addSCOID would give the object an id: it has
// none (after omission) but a spec_version.
func getsSCOID(ms []rawMember) bool {
	id, ok := find(ms, "id")
	if ok && !omittedText(id) {
		return false
	}
	sv, ok := find(ms, "spec_version")
	return ok && !omittedText(sv)
}

// omittedText is omitted for a value's input text.
func omittedText(v string) bool {
	if v == "null" {
		return true
	}
	if len(v) < 2 || v[0] != '[' {
		return false
	}
	return skipWS(v, 1) == len(v)-1
}

// bundle writes a bundle's members as pyBundle does.
func (w *pyFast) bundle(ms []rawMember, level int) error {
	w.out = append(w.out, '{')
	n := 0
	for _, m := range ms {
		if m.key != "objects" {
			w.key(n, level, m.key)
			if err := w.plain(m, level+1); err != nil {
				return err
			}
			n++
			continue
		}
		if len(m.val) == 0 || m.val[0] != '[' {
			return errSlow
		}
		if omittedText(m.val) {
			continue
		}
		w.key(n, level, m.key)
		w.out = append(w.out, '[')
		k := 0
		err := elements(m.val, func(i int, item rawMember) error {
			w.sep(i, level+1)
			k++
			return w.topOrSlow(item.val, level+2)
		})
		if err != nil {
			return err
		}
		w.close(k, level+1, ']')
		n++
	}
	w.close(n, level, '}')
	return nil
}

// topOrSlow writes an object of a container with top, or with the
// Value-based writer when top declines it.
func (w *pyFast) topOrSlow(item string, level int) error {
	mark := len(w.out)
	err := w.top(item, level)
	if err == nil || !errors.Is(err, errSlow) {
		return err
	}
	w.out = w.out[:mark]
	popt := w.popt
	popt.MaxDepth = w.maxDepth(level)
	v, err := pyjson.ParseString(item, popt)
	if err != nil {
		return errSlow // the whole input's error comes from the Value-based writer
	}
	if v, err = pyTop(v, w.pretty); err != nil {
		return errSlow
	}
	w.out = pyjson.AppendDumps(w.out, v, w.dumpOpt(level))
	return nil
}

func (w *pyFast) dumpOpt(level int) pyjson.DumpOptions {
	if w.pretty {
		return pyjson.DumpOptions{Indent: 4, Level: level}
	}
	return pyjson.DumpOptions{}
}

// generic writes an object of an unregistered type as pyGeneric does.
func (w *pyFast) generic(ms []rawMember, level int) error {
	_, hasCreated := find(ms, "created")
	_, hasModified := find(ms, "modified")
	if !hasCreated && !hasModified && getsSCOID(ms) {
		return errSlow
	}
	// Omitted members are dropped before sorting, as pyGeneric does (the
	// order of sortMembers is not transitive across numeric keys): in
	// place, ms is this object's part of w.mem.
	kept := ms[:0]
	for _, m := range ms {
		if !omittedText(m.val) {
			kept = append(kept, m)
		}
	}
	ms = kept
	if (hasCreated || hasModified) && w.pretty {
		sortRaw(ms)
	}
	w.out = append(w.out, '{')
	n := 0
	for _, m := range ms {
		w.key(n, level, m.key)
		if err := w.plain(m, level+1); err != nil {
			return err
		}
		n++
	}
	w.close(n, level, '}')
	return nil
}

// sortRaw sorts members as sortMembers does.
func sortRaw(ms []rawMember) {
	sort.SliceStable(ms, func(i, j int) bool { return keyLess(ms[i].key, ms[j].key) })
}

// propIndexes caches, per type, the index of each property name.
var propIndexes sync.Map // *stix.TypeInfo → map[string]int32

func propIndex(info *stix.TypeInfo) map[string]int32 {
	if m, ok := propIndexes.Load(info); ok {
		return m.(map[string]int32)
	}
	m := make(map[string]int32, len(info.Properties))
	for i, p := range info.Properties {
		if _, dup := m[p.Name]; !dup {
			m[p.Name] = int32(i)
		}
	}
	propIndexes.Store(info, m)
	return m
}

// structText writes the object text s of a generated type.
func (w *pyFast) structText(s string, info *stix.TypeInfo, level int) error {
	lo, hi, err := w.members(s)
	if err != nil {
		return err
	}
	err = w.structObj(w.mem[lo:hi], info, level)
	w.mem = w.mem[:lo]
	return err
}

// structObj writes the members of a value of a generated type as pyStruct
// does: properties in the type's order, then custom ones sorted by key.
func (w *pyFast) structObj(ms []rawMember, info *stix.TypeInfo, level int) error {
	idx := propIndex(info)
	sb, cb := len(w.slots), len(w.custom)
	defer func() { w.slots, w.custom = w.slots[:sb], w.custom[:cb] }()
	for range info.Properties {
		w.slots = append(w.slots, -1)
	}
	for k, m := range ms {
		if j, ok := idx[m.key]; ok {
			if w.slots[sb+int(j)] >= 0 {
				return errSlow // a property listed twice in the table
			}
			w.slots[sb+int(j)] = int32(k)
		} else {
			w.custom = append(w.custom, int32(k))
		}
	}
	w.out = append(w.out, '{')
	n := 0
	for j := range info.Properties {
		p := &info.Properties[j]
		k := w.slots[sb+j]
		if k < 0 {
			if p.Name == "pattern_version" && info.Type == "indicator" {
				if pt, ok := find(ms, "pattern_type"); ok {
					if pt == `"stix"` {
						w.key(n, level, p.Name)
						w.out = append(w.out, `"2.1"`...)
						n++
					} else if len(pt) > 0 && pt[0] == '"' && !isPlainString(pt) {
						return errSlow
					}
				}
			}
			continue
		}
		if p.Name == "objects" && info.Type == "observed-data" {
			return errSlow
		}
		mark := len(w.out)
		w.key(n, level, p.Name)
		at := len(w.out)
		if err := w.property(ms[k], p, level+1); err != nil {
			return err
		}
		if v := w.out[at:]; omitted(v) || (defaultOmitted[p.Name] && string(v) == "false") {
			w.out = w.out[:mark]
			continue
		}
		n++
	}
	custom := w.custom[cb:]
	if len(custom) > 1 {
		slices.SortFunc(custom, func(a, b int32) int { return strings.Compare(ms[a].key, ms[b].key) })
	}
	for _, k := range custom {
		m := ms[k]
		if omittedText(m.val) {
			continue
		}
		w.key(n, level, m.key)
		if err := w.plain(m, level+1); err != nil {
			return err
		}
		n++
	}
	w.close(n, level, '}')
	return nil
}

// property writes one property value per its kind, as pyProperty does.
func (w *pyFast) property(v rawMember, p *stix.PropertyInfo, level int) error {
	switch p.Kind {
	case "timestamp":
		if v.plain {
			if ts, err := stix.ParseTimestamp(pyTimestampText(v.val[1 : len(v.val)-1])); err == nil {
				w.out = append(w.out, '"')
				w.out = ts.AppendPython(w.out, p.Timestamp)
				w.out = append(w.out, '"')
				return nil
			}
			w.out = append(w.out, v.val...)
			return nil
		}
		if v.val[0] == '"' {
			return errSlow
		}
	case "float", "int", "bool":
		popt := w.popt
		popt.MaxDepth = w.maxDepth(level)
		pv, err := pyjson.ParseString(v.val, popt)
		if err != nil {
			return errSlow
		}
		w.out = pyjson.AppendDumps(w.out, pyProperty(pv, *p, w.pretty), w.dumpOpt(level))
		return nil
	case "struct":
		if info, ok := stix.InfoByGoName(p.Elem); ok {
			if v.val[0] == '{' {
				return w.structText(v.val, info, level)
			}
			if w.pretty {
				return errSlow // kept as it is, not sorted
			}
		}
	case "structs":
		if info, ok := stix.InfoByGoName(p.Elem); ok && v.val[0] == '[' {
			w.out = append(w.out, '[')
			k := 0
			err := elements(v.val, func(i int, item rawMember) error {
				if item.val[0] != '{' {
					return errSlow
				}
				w.sep(i, level)
				k++
				return w.structText(item.val, info, level+1)
			})
			if err != nil {
				return err
			}
			w.close(k, level, ']')
			return nil
		}
	case "extensions":
		if v.val[0] == '{' {
			return w.extensions(v.val, level)
		}
	}
	return w.plain(v, level)
}

// extensions writes an extensions dictionary: known extensions as their
// generated types, others as plain values; sorted by key when pretty.
func (w *pyFast) extensions(s string, level int) error {
	lo, hi, err := w.members(s)
	if err != nil {
		return err
	}
	defer func() { w.mem = w.mem[:lo] }()
	ms := w.mem[lo:hi]
	if w.pretty {
		sortRaw(ms) // in place: ms is this object's part of w.mem
	}
	w.out = append(w.out, '{')
	for n, m := range ms {
		w.key(n, level, m.key)
		if info, ok := stix.Info(m.key); ok && info.Category == "extension" {
			if len(m.val) == 0 || m.val[0] != '{' {
				return errSlow
			}
			if err := w.structText(m.val, info, level+1); err != nil {
				return err
			}
		} else if err := w.plain(m, level+1); err != nil {
			return err
		}
	}
	w.close(len(ms), level, '}')
	return nil
}

// plain writes a plain value as pyPlain and json.dumps do: dictionaries in
// input order, or sorted recursively when pretty.
func (w *pyFast) plain(m rawMember, level int) error {
	v := m.val
	if m.plain {
		w.out = append(w.out, v...)
		return nil
	}
	popt := w.popt
	popt.MaxDepth = w.maxDepth(level)
	if w.pretty && strings.IndexByte(v, '{') >= 0 {
		mark := len(w.out)
		if w.plainSorted(m, level) == nil {
			return nil
		}
		w.out = w.out[:mark]
		return w.dumpParsed(v, popt, level, true)
	}
	w.tc.Parse, w.tc.Dump = popt, w.dumpOpt(level)
	out, err := w.tc.AppendString(w.out, v)
	if err != nil {
		w.out = out[:len(w.out)]
		if !errors.Is(err, pyjson.ErrDuplicateKey) {
			return errSlow
		}
		return w.dumpParsed(v, popt, level, false)
	}
	w.out = out
	return nil
}

// dumpParsed writes v parsed and dumped as json.dumps does (its
// dictionaries sorted when sorted), or declines with errSlow when it does
// not parse.
func (w *pyFast) dumpParsed(v string, popt pyjson.ParseOptions, level int, sorted bool) error {
	pv, err := pyjson.ParseString(v, popt)
	if err != nil {
		return errSlow
	}
	if sorted {
		pv = pyPlain(pv, true)
	}
	w.out = pyjson.AppendDumps(w.out, pv, w.dumpOpt(level))
	return nil
}

// plainSorted writes a plain value with its dictionaries sorted by key
// (recursively), as pyPlain(v, true) and json.dumps with indent do, or
// declines with errSlow (duplicate or escaped keys, invalid text, depth
// beyond the limit).
func (w *pyFast) plainSorted(m rawMember, level int) error {
	v := m.val
	if m.plain {
		w.out = append(w.out, v...)
		return nil
	}
	if (v[0] == '{' || v[0] == '[') && w.maxDepth(level) < 1 {
		return errSlow // too deep: the reference reports it
	}
	switch v[0] {
	case '{':
		lo, hi, err := w.members(v)
		if err != nil {
			return err
		}
		defer func() { w.mem = w.mem[:lo] }()
		ms := w.mem[lo:hi]
		sortRaw(ms)
		w.out = append(w.out, '{')
		for n, mm := range ms {
			w.key(n, level, mm.key)
			if err := w.plainSorted(mm, level+1); err != nil {
				return err
			}
		}
		w.close(len(ms), level, '}')
		return nil
	case '[':
		w.out = append(w.out, '[')
		k := 0
		err := elements(v, func(i int, item rawMember) error {
			w.sep(i, level)
			k++
			return w.plainSorted(item, level+1)
		})
		if err != nil {
			return err
		}
		w.close(k, level, ']')
		return nil
	}
	w.tc.Parse, w.tc.Dump = w.popt, w.dumpOpt(level)
	out, err := w.tc.AppendString(w.out, v)
	if err != nil {
		w.out = out[:len(w.out)]
		return errSlow
	}
	w.out = out
	return nil
}

// appendPythonFast appends the Python form of the JSON text s (an object
// or bundle, or with array an array of them) written at level, or declines
// with errSlow.
func appendPythonFast(dst []byte, s string, pretty bool, popt pyjson.ParseOptions, level int) ([]byte, error) {
	w := pyFastPool.Get().(*pyFast)
	defer func() {
		clear(w.mem[:cap(w.mem)]) // do not retain the input
		pyFastPool.Put(w)
	}()
	w.reset(dst, pretty, popt, level)
	if len(s) > pyjson.DefaultMaxBytes || strings.HasPrefix(s, "\xef\xbb\xbf") {
		return dst, errSlow
	}
	i := skipWS(s, 0)
	var err error
	if i < len(s) && s[i] == '[' {
		w.out = append(w.out, '[')
		k := 0
		err = elements(s, func(n int, item rawMember) error {
			w.sep(n, level)
			k++
			return w.topOrSlow(item.val, level+1)
		})
		if err == nil {
			w.close(k, level, ']')
		}
	} else {
		err = w.top(s, level)
	}
	out := w.out
	w.out = nil
	if err != nil {
		return dst, errSlow
	}
	return out, nil
}
