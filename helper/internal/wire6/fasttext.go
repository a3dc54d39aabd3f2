package wire6

import (
	"bytes"
	"encoding/binary"
	"errors"
	"github.com/stixkit/stixkit/helper/internal/wire"
	"runtime"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// A transcoder for the common shape of bundle text, faster than the
// general pyjson.Transcoder: plain ASCII strings are checked eight bytes
// at a time and copied, small integers and literals are copied, and the
// members the splitter needs are recorded without a callback per value.
// Every other token (strings with escapes or non-ASCII text, other
// numbers) is handed to pyjson.Transcoder on its own, which is exact since
// json.dumps writes a scalar the same wherever it is. Anything else —
// keys that are not plain ASCII, repeated keys, deep nesting, any syntax
// error — gives up (errFast6Text) and the general transcoders are used.

// errFast6Text makes transcode6Text give up.
var errFast6Text = errors.New("helper: bundle text outside the fast transcoder's subset")

// fast6MaxDepth bounds the nesting the fast transcoder follows (the
// general one allows pyjson.DefaultMaxDepth).
const fast6MaxDepth = 256

// safe6 marks the bytes json.dumps (ensure_ascii) writes as they are in a
// string: printable ASCII but '"' and '\\'.
var safe6 = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return
}()

const (
	ones8  = 0x0101010101010101
	highs8 = 0x8080808080808080
)

// special8 reports whether one of the eight bytes of x is not safe6.
func special8(x uint64) bool {
	zero := func(v uint64) uint64 { return (v - ones8) &^ v & highs8 }
	return (x&highs8)|((x-0x20*ones8)&^x&highs8)|zero(x^('"'*ones8))|zero(x^('\\'*ones8))|zero(x^(0x7f*ones8)) != 0
}

// fast6Text holds the state of one transcode6Text run.
type fast6Text struct {
	raw    []byte
	pos    int
	dst    []byte
	c      *fast6Chunk
	keys   []fast6Span // keys of the objects being written, innermost last
	intern map[string]string
	tr     pyjson.Transcoder
	// Two-goroutine runs: where the second one started, how to wait for
	// it (its end position and success), and whether its work was used.
	stopAt int
	wait   func() (int, bool)
	joined bool
}

// transcode6Text transcodes a bundle of the common shape (an object whose
// "objects" member is an array of objects) in one pass; ok false means it
// gave up. idText is the bundle id's json.dumps text, nil when the bundle
// has none. A large bundle (any bundle with force) is transcoded by two
// goroutines: the second one starts at a guessed object boundary in the
// middle (see split6Guess) and its work is used only if the first one,
// transcoding from the start, arrives exactly there between two items of
// "objects".
func transcode6Text(raw []byte, force bool) (f *fast6, idText []byte, ok bool) {
	f = &fast6{chunks: make([]fast6Chunk, 2), first: []int{0, 0}}
	c := &f.chunks[0]
	t := &fast6Text{raw: raw, c: c, intern: map[string]string{}, stopAt: -1}
	var (
		done chan struct{}
		t2   *fast6Text
		err2 error
	)
	if (len(raw) >= fast6SplitMin && runtime.GOMAXPROCS(0) >= 2) || force {
		if at := split6Guess(raw); at > 0 {
			t.stopAt = at
			t2 = &fast6Text{raw: raw, pos: at, c: &f.chunks[1], intern: map[string]string{}, stopAt: -1}
			t2.dst = wire.GetScratch(len(raw) - at)
			done = make(chan struct{})
			go func() {
				defer close(done)
				err2 = t2.items()
				f.chunks[1].text = t2.dst
				if err2 == nil {
					f.chunks[1].build()
				}
			}()
			t.dst = wire.GetScratch(at + at/8)
			t.wait = func() (int, bool) {
				<-done
				return t2.pos, err2 == nil
			}
		}
	}
	if t.dst == nil {
		t.dst = wire.GetScratch(len(raw) + len(raw)/8)
	}
	idText, err := t.bundle()
	c.text = t.dst
	if err == nil {
		c.build()
	}
	if done != nil {
		<-done
	}
	if err != nil {
		f.release()
		return nil, nil, false
	}
	if !t.joined {
		if done != nil {
			wire.PutScratch(f.chunks[1].text)
		}
		f.chunks = f.chunks[:1]
		f.first = f.first[:1]
	}
	n := len(c.objs)
	if t.joined {
		f.first[1] = n
		n += len(f.chunks[1].objs)
	}
	f.at = make([]int32, n)
	for i := f.first[len(f.first)-1]; i < n && t.joined; i++ {
		f.at[i] = 1
	}
	return f, idText, true
}

// fast6SplitMin is the size from which transcode6Text uses two goroutines.
const fast6SplitMin = 1 << 18

// split6Guess returns a likely start of an item of "objects" near the
// middle of a bundle text: a '{' after "}," (whitespace allowed), the one
// with the least indentation among the first candidates. 0: none found.
func split6Guess(raw []byte) int {
	best, bestIndent := 0, 1<<30
	i := len(raw) / 2
	for n := 0; n < 64 && i < len(raw); i++ {
		j := bytes.IndexByte(raw[i:], '{')
		if j < 0 {
			break
		}
		i += j
		k := i - 1
		indent := 0
		for k > 0 && isSpace6(raw[k]) {
			if raw[k] == '\n' && indent == 0 {
				indent = i - k
			}
			k--
		}
		if k <= 0 || raw[k] != ',' {
			continue
		}
		k--
		for k > 0 && isSpace6(raw[k]) {
			k--
		}
		if k <= 0 || raw[k] != '}' {
			continue
		}
		n++
		if indent == 0 {
			indent = 1 << 20 // on the same line
		}
		if indent < bestIndent {
			best, bestIndent = i, indent
		}
	}
	return best
}

// items transcodes, from t.pos, items of "objects" up to the array's end
// (the second goroutine of transcode6Text).
func (t *fast6Text) items() error {
	for {
		t.ws()
		if err := t.item(); err != nil {
			return err
		}
		t.ws()
		if t.is(']') {
			t.pos++
			return nil
		}
		if !t.is(',') {
			return errFast6Text
		}
		t.pos++
		t.dst = append(t.dst, ", "...)
	}
}

// item transcodes one item of "objects", which must be an object.
func (t *fast6Text) item() error {
	if !t.is('{') {
		return errFast6Text
	}
	start, memLo := len(t.dst), len(t.c.mems)
	if err := t.value(2, 0); err != nil {
		return err
	}
	t.c.objs = append(t.c.objs, fast6Object{start, len(t.dst), pyjson.Object, memLo, len(t.c.mems)})
	return nil
}

func (t *fast6Text) bundle() (idText []byte, err error) {
	t.ws()
	if !t.is('{') {
		return nil, errFast6Text
	}
	t.pos++
	t.dst = append(t.dst, '{')
	found := false
	var index map[string]struct{}
	for i := 0; ; i++ {
		t.ws()
		key, err := t.key()
		if err != nil {
			return nil, err
		}
		if t.repeated(0, &index, key) {
			return nil, errFast6Text
		}
		if err := t.colon(i, key); err != nil {
			return nil, err
		}
		start := len(t.dst)
		if string(key) == "objects" {
			found = true
			if err := t.objects(); err != nil {
				return nil, err
			}
		} else if err := t.value(1, -1); err != nil {
			return nil, err
		}
		if string(key) == "id" {
			idText = t.dst[start:len(t.dst):len(t.dst)]
		}
		t.ws()
		if t.is('}') {
			t.pos++
			t.dst = append(t.dst, '}')
			break
		}
		if !t.is(',') {
			return nil, errFast6Text
		}
		t.pos++
	}
	t.ws()
	if t.pos != len(t.raw) || !found {
		return nil, errFast6Text
	}
	return idText, nil
}

// objects writes the "objects" array, recording its objects. At t.stopAt
// it takes over the second goroutine's work (see transcode6Text).
func (t *fast6Text) objects() error {
	if !t.is('[') {
		return errFast6Text
	}
	t.pos++
	t.ws()
	if t.is(']') {
		t.pos++
		t.dst = append(t.dst, "[]"...)
		return nil
	}
	t.dst = append(t.dst, '[')
	for i := 0; ; i++ {
		if i > 0 {
			t.dst = append(t.dst, ", "...)
		}
		t.ws()
		if t.pos == t.stopAt {
			end, ok := t.wait()
			if !ok {
				return errFast6Text
			}
			t.joined = true
			t.pos = end
			t.dst = append(t.dst, ']')
			return nil
		}
		if err := t.item(); err != nil {
			return err
		}
		t.ws()
		if t.is(']') {
			t.pos++
			t.dst = append(t.dst, ']')
			return nil
		}
		if !t.is(',') {
			return errFast6Text
		}
		t.pos++
	}
}

func (t *fast6Text) is(c byte) bool { return t.pos < len(t.raw) && t.raw[t.pos] == c }

// ws skips JSON whitespace (runs of eight spaces at a time).
func (t *fast6Text) ws() {
	raw, i := t.raw, t.pos
	for i < len(raw) {
		c := raw[i]
		if c > ' ' {
			break
		}
		if c == ' ' {
			if i+8 <= len(raw) && binary.LittleEndian.Uint64(raw[i:]) == ' '*ones8 {
				i += 8
			} else {
				i++
			}
			continue
		}
		if c != '\n' && c != '\t' && c != '\r' {
			break
		}
		i++
	}
	t.pos = i
}

// key reads an object key of plain printable ASCII (others give up).
func (t *fast6Text) key() ([]byte, error) {
	if !t.is('"') {
		return nil, errFast6Text
	}
	raw := t.raw
	i := t.pos + 1
	for i < len(raw) && safe6[raw[i]] {
		i++
	}
	if i >= len(raw) || raw[i] != '"' {
		return nil, errFast6Text
	}
	key := raw[t.pos+1 : i]
	t.pos = i + 1
	return key, nil
}

// repeated reports whether key (just read) is already a key of the object
// whose keys start at t.keys[base], and adds it: a linear search over the
// first keys, then a map (*index) for objects with many keys.
func (t *fast6Text) repeated(base int, index *map[string]struct{}, key []byte) bool {
	if *index != nil {
		if _, dup := (*index)[string(key)]; dup {
			return true
		}
		(*index)[string(key)] = struct{}{}
		return false
	}
	for _, k := range t.keys[base:] {
		if bytes.Equal(t.raw[k.start:k.end], key) {
			return true
		}
	}
	t.keys = append(t.keys, fast6Span{t.pos - 1 - len(key), t.pos - 1})
	if len(t.keys)-base > 32 {
		*index = make(map[string]struct{}, 64)
		for _, k := range t.keys[base:] {
			(*index)[string(t.raw[k.start:k.end])] = struct{}{}
		}
	}
	return false
}

// colon reads the ':' after a key and writes the member's key.
func (t *fast6Text) colon(i int, key []byte) error {
	t.ws()
	if !t.is(':') {
		return errFast6Text
	}
	t.pos++
	t.ws()
	if i > 0 {
		t.dst = append(t.dst, ", "...)
	}
	t.dst = append(t.dst, '"')
	t.dst = append(t.dst, key...)
	t.dst = append(t.dst, '"', ':', ' ')
	return nil
}

// value writes the value at t.pos. rel tells what to record: 0 for an
// item of "objects" (its members), 1 for an embedded array (its
// elements), 2 for an element of one (its dedup members), -1 nothing.
func (t *fast6Text) value(depth, rel int) error {
	raw := t.raw
	if t.pos >= len(raw) {
		return errFast6Text
	}
	switch c := raw[t.pos]; c {
	case '"':
		return t.str()
	case '{':
		return t.object(depth, rel)
	case '[':
		return t.array(depth, rel)
	case 't':
		return t.lit("true")
	case 'f':
		return t.lit("false")
	case 'n':
		return t.lit("null")
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return t.number()
		}
		return errFast6Text
	}
}

func (t *fast6Text) lit(l string) error {
	if len(t.raw)-t.pos < len(l) || string(t.raw[t.pos:t.pos+len(l)]) != l {
		return errFast6Text
	}
	t.pos += len(l)
	t.dst = append(t.dst, l...)
	return nil
}

// number copies "0" and integers of up to 18 digits without a leading
// zero; other numbers are transcoded by pyjson.
func (t *fast6Text) number() error {
	raw := t.raw
	i := t.pos
	if raw[i] == '-' {
		i++
	}
	d := i
	for i < len(raw) && raw[i] >= '0' && raw[i] <= '9' {
		i++
	}
	end := i
	for end < len(raw) && (raw[end] == '.' || raw[end] == 'e' || raw[end] == 'E' || raw[end] == '+' || raw[end] == '-' || (raw[end] >= '0' && raw[end] <= '9')) {
		end++
	}
	if end == i && i > d && i-d <= 18 && (raw[d] != '0' || (i-d == 1 && d == t.pos)) {
		t.dst = append(t.dst, raw[t.pos:i]...)
		t.pos = i
		return nil
	}
	return t.delegate(end)
}

// delegate transcodes the token raw[t.pos:end] with pyjson.
func (t *fast6Text) delegate(end int) error {
	out, err := t.tr.Append(t.dst, t.raw[t.pos:end])
	if err != nil {
		return errFast6Text
	}
	t.dst = out
	t.pos = end
	return nil
}

// str writes a string: printable ASCII is copied eight bytes at a time,
// and so are the escapes json.dumps writes the same (\" \\ \b \f \n \r \t;
// \/ becomes /); strings with other escapes, control characters or
// non-ASCII text are transcoded by pyjson.
func (t *fast6Text) str() error {
	raw := t.raw
	d0 := len(t.dst)
	from, i := t.pos, t.pos+1
	for {
		for i+8 <= len(raw) && !special8(binary.LittleEndian.Uint64(raw[i:])) {
			i += 8
		}
		for i < len(raw) && safe6[raw[i]] {
			i++
		}
		if i+1 >= len(raw) {
			return errFast6Text
		}
		if raw[i] == '"' {
			t.dst = append(t.dst, raw[from:i+1]...)
			t.pos = i + 1
			return nil
		}
		if raw[i] != '\\' {
			break
		}
		switch raw[i+1] {
		case '"', '\\', 'b', 'f', 'n', 'r', 't':
			i += 2
			continue
		case '/':
			t.dst = append(t.dst, raw[from:i]...)
			t.dst = append(t.dst, '/')
			i += 2
			from = i
			continue
		}
		break
	}
	t.dst = t.dst[:d0]
	for i < len(raw) && raw[i] != '"' {
		if raw[i] == '\\' {
			i++
		}
		i++
	}
	if i >= len(raw) {
		return errFast6Text
	}
	return t.delegate(i + 1)
}

func (t *fast6Text) object(depth, rel int) error {
	if depth >= fast6MaxDepth {
		return errFast6Text
	}
	t.pos++
	t.ws()
	if t.is('}') {
		t.pos++
		t.dst = append(t.dst, "{}"...)
		return nil
	}
	t.dst = append(t.dst, '{')
	base := len(t.keys)
	c := t.c
	var index map[string]struct{}
	for i := 0; ; i++ {
		t.ws()
		key, err := t.key()
		if err != nil {
			return err
		}
		if t.repeated(base, &index, key) {
			return errFast6Text
		}
		if err := t.colon(i, key); err != nil {
			return err
		}
		start := len(t.dst)
		switch rel {
		case 0:
			mode := fast6Mode(string(key))
			sub := -1
			if mode == fast6Embedded {
				sub = 1
			}
			elemLo, subLo := len(c.elems), len(c.subs)
			if err := t.value(depth+1, sub); err != nil {
				return err
			}
			if mode < 0 {
				break
			}
			kind := kindOf(t.dst[start:])
			if mode == fast6Embedded && kind != pyjson.Array {
				c.elems, c.subs = c.elems[:elemLo], c.subs[:subLo]
				mode = fast6Full
			}
			c.mems = append(c.mems, fast6Member{t.internKey(key), start, len(t.dst), kind, uint8(mode), elemLo, len(c.elems), 0})
		case 2:
			if err := t.value(depth+1, -1); err != nil {
				return err
			}
			if k := embeddedKey6(key); k != "" {
				c.subs = append(c.subs, fast6Sub{k, start, len(t.dst), 0})
			}
		default:
			if err := t.value(depth+1, -1); err != nil {
				return err
			}
		}
		t.ws()
		if t.is('}') {
			t.pos++
			t.dst = append(t.dst, '}')
			t.keys = t.keys[:base]
			return nil
		}
		if !t.is(',') {
			return errFast6Text
		}
		t.pos++
	}
}

func (t *fast6Text) array(depth, rel int) error {
	if depth >= fast6MaxDepth {
		return errFast6Text
	}
	t.pos++
	t.ws()
	if t.is(']') {
		t.pos++
		t.dst = append(t.dst, "[]"...)
		return nil
	}
	t.dst = append(t.dst, '[')
	sub := -1
	if rel == 1 {
		sub = 2
	}
	c := t.c
	for i := 0; ; i++ {
		if i > 0 {
			t.dst = append(t.dst, ", "...)
		}
		t.ws()
		start, subLo := len(t.dst), len(c.subs)
		if err := t.value(depth+1, sub); err != nil {
			return err
		}
		if sub == 2 {
			c.elems = append(c.elems, fast6Elem{start, len(t.dst), kindOf(t.dst[start:]), subLo, len(c.subs)})
		}
		t.ws()
		if t.is(']') {
			t.pos++
			t.dst = append(t.dst, ']')
			return nil
		}
		if !t.is(',') {
			return errFast6Text
		}
		t.pos++
	}
}

// internKey returns a recorded member's key as a string, one per name.
func (t *fast6Text) internKey(key []byte) string {
	k, ok := t.intern[string(key)]
	if !ok {
		k = string(key)
		t.intern[k] = k
	}
	return k
}

// embeddedKey6 returns key as a string when isEmbeddedKey, else "".
func embeddedKey6(key []byte) string {
	switch string(key) {
	case "url":
		return "url"
	case "source_name":
		return "source_name"
	case "external_id":
		return "external_id"
	case "kill_chain_name":
		return "kill_chain_name"
	case "phase_name":
		return "phase_name"
	}
	return ""
}
