package helper

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"runtime"
	"sync"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// scratchPool recycles the large internal buffers of a split (the
// transcoded bundle, the base64 cache) between sends: fresh memory costs
// page faults and zeroing, which dominate the split of a multi-MB bundle.
var scratchPool sync.Pool

// getScratch returns an empty buffer with capacity at least n.
func getScratch(n int) []byte {
	if b, ok := scratchPool.Get().(*[]byte); ok && cap(*b) >= n {
		return (*b)[:0]
	}
	return make([]byte, 0, n)
}

// putScratch gives a buffer back; nothing may use it afterwards.
func putScratch(b []byte) {
	if cap(b) >= 1<<16 {
		scratchPool.Put(&b)
	}
}

// release returns the splitter's scratch buffers to the pool; s.enc and
// the cache must not be used afterwards.
func (s *splitter11) release() {
	for _, b := range s.scratch {
		putScratch(b)
	}
	s.scratch = nil
	s.enc = nil
}

// wrapper describes the message around each base64-encoded piece.
type wrapper struct {
	prefix, suffix []byte
}

const (
	pieceHead = `{"type": "bundle", "id": "bundle--`
	pieceMid  = `", "spec_version": "2.0", "objects": [`
	pieceTail = `]}`
)

// parallel runs fn over [0,n) split into contiguous chunks, one per CPU,
// when the work is large enough to pay for goroutines.
func parallel(n, weight int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	if workers <= 1 || weight < 1<<16 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// encodeObjects fills s.enc for every object some group uses.
func (s *splitter11) encodeObjects(groups [][]int) {
	if s.enc != nil {
		return // encoded by the transcoder
	}
	s.enc = make([][]byte, len(s.objs))
	used := make([]bool, len(s.objs))
	for _, g := range groups {
		for _, i := range g {
			used[i] = true
		}
	}
	parallel(len(s.objs), len(s.objs)*256, func(lo, hi int) {
		var arena []byte
		for i := lo; i < hi; i++ {
			if !used[i] {
				continue
			}
			start := len(arena)
			arena = pyjson.AppendDumps(arena, s.objs[i], pyjson.DumpOptions{})
			s.enc[i] = arena[start:len(arena):len(arena)]
		}
	})
}

// assemble writes every piece (and, with wrap, every message body) into
// two exactly sized arenas, in parallel over ranges of pieces.
//
// The base64 of a piece is not computed from the piece: an object shared by
// many pieces (creator, markings, relationship ends) starts at one of only
// three byte phases modulo 3, so the base64 of its aligned middle is
// computed once per phase it occurs at and copied; only the few bytes at
// the joins are encoded per piece.
func (s *splitter11) assemble(groups [][]int, uuids []string, wrap *wrapper) (pieces, bodies [][]byte) {
	n := len(groups)
	pOff := make([]int, n+1)
	bOff := make([]int, n+1)
	var phases [][3]bool
	if wrap != nil {
		phases = make([][3]bool, len(s.objs))
	}
	for k, g := range groups {
		size := len(pieceHead) + len(uuids[k]) + len(pieceMid)
		for j, i := range g {
			if j > 0 {
				size += 2
			}
			if wrap != nil {
				phases[i][(3-size%3)%3] = true
			}
			size += len(s.enc[i])
		}
		size += len(pieceTail)
		pOff[k+1] = pOff[k] + size
		if wrap != nil {
			bOff[k+1] = bOff[k] + len(wrap.prefix) + base64.StdEncoding.EncodedLen(size) + len(wrap.suffix)
		}
	}
	var cache [][3][]byte
	if wrap != nil {
		cache = make([][3][]byte, len(s.objs))
		var mu sync.Mutex
		parallel(len(s.objs), len(s.objs)*128, func(lo, hi int) {
			size := 0
			for i := lo; i < hi; i++ {
				for ph := 0; ph < 3; ph++ {
					if phases[i][ph] && len(s.enc[i]) >= ph {
						size += (len(s.enc[i]) - ph) / 3 * 4
					}
				}
			}
			arena := getScratch(size)
			mu.Lock()
			s.scratch = append(s.scratch, arena)
			mu.Unlock()
			for i := lo; i < hi; i++ {
				for ph := 0; ph < 3; ph++ {
					if !phases[i][ph] {
						continue
					}
					e := s.enc[i]
					if len(e) < ph {
						continue
					}
					mid := e[ph : ph+(len(e)-ph)/3*3]
					start := len(arena)
					arena = appendBase64(arena, mid)
					cache[i][ph] = arena[start:len(arena):len(arena)]
				}
			}
		})
	}
	pArena := make([]byte, pOff[n])
	pieces = make([][]byte, n)
	var bArena []byte
	if wrap != nil {
		bArena = make([]byte, bOff[n])
		bodies = make([][]byte, n)
	}
	parallel(n, pOff[n]+bOff[n], func(lo, hi int) {
		var b64 b64Stream
		for k := lo; k < hi; k++ {
			p := pArena[pOff[k]:pOff[k]:pOff[k+1]]
			p = append(p, pieceHead...)
			p = append(p, uuids[k]...)
			p = append(p, pieceMid...)
			if wrap != nil {
				b64.reset(bArena[bOff[k]:bOff[k]:bOff[k+1]])
				b64.out = append(b64.out, wrap.prefix...)
				b64.write(p)
			}
			for j, i := range groups[k] {
				if j > 0 {
					p = append(p, ", "...)
					if wrap != nil {
						b64.write([]byte(", "))
					}
				}
				p = append(p, s.enc[i]...)
				if wrap != nil {
					b64.writeCached(s.enc[i], &cache[i])
				}
			}
			p = append(p, pieceTail...)
			pieces[k] = p
			if wrap != nil {
				b64.write([]byte(pieceTail))
				b64.close()
				bodies[k] = append(b64.out, wrap.suffix...)
			}
		}
	})
	return pieces, bodies
}

// b64Stream base64-encodes a sequence of byte segments as if they were one,
// keeping the 0–2 bytes that do not yet fill a 3-byte group.
type b64Stream struct {
	out   []byte
	carry [3]byte
	n     int
}

func (b *b64Stream) reset(out []byte) { b.out, b.n = out, 0 }

// write appends p.
func (b *b64Stream) write(p []byte) {
	for b.n > 0 && b.n < 3 && len(p) > 0 {
		b.carry[b.n] = p[0]
		b.n++
		p = p[1:]
	}
	if b.n == 3 {
		b.out = appendBase64(b.out, b.carry[:3])
		b.n = 0
	}
	if b.n > 0 { // p ran out before the group was full
		return
	}
	full := len(p) / 3 * 3
	b.out = appendBase64(b.out, p[:full])
	b.n = copy(b.carry[:], p[full:])
}

// writeCached appends p, whose aligned middle's base64 for each phase is in
// cache (phase = bytes needed to complete the pending group).
func (b *b64Stream) writeCached(p []byte, cache *[3][]byte) {
	need := (3 - b.n) % 3
	if len(p) < need+3 || cache[need] == nil {
		b.write(p)
		return
	}
	b.write(p[:need]) // completes the pending group: b.n == 0
	mid := (len(p) - need) / 3 * 3
	b.out = append(b.out, cache[need]...)
	b.n = copy(b.carry[:], p[need+mid:])
}

// close encodes the last partial group with padding.
func (b *b64Stream) close() {
	if b.n > 0 {
		b.out = base64.StdEncoding.AppendEncode(b.out, b.carry[:b.n])
		b.n = 0
	}
}

// randomUUIDs fills ids with random version-4 UUIDs (as Python's
// uuid.uuid4), drawing the randomness in one read.
func randomUUIDs(ids []string) {
	raw := make([]byte, 16*len(ids))
	if _, err := rand.Read(raw); err != nil {
		panic("helper: crypto/rand failed: " + err.Error()) // crypto/rand.Read never fails on supported platforms
	}
	var buf [36]byte
	for i := range ids {
		u := raw[16*i : 16*i+16]
		u[6] = u[6]&0x0f | 0x40
		u[8] = u[8]&0x3f | 0x80
		hex.Encode(buf[0:8], u[0:4])
		buf[8] = '-'
		hex.Encode(buf[9:13], u[4:6])
		buf[13] = '-'
		hex.Encode(buf[14:18], u[6:8])
		buf[18] = '-'
		hex.Encode(buf[19:23], u[8:10])
		buf[23] = '-'
		hex.Encode(buf[24:36], u[10:16])
		ids[i] = string(buf[:])
	}
}
