package wire11

import (
	"encoding/base64"
	"github.com/stixkit/stixkit/helper/internal/wire"
	"sync"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// release returns the splitter's scratch buffers to the pool; s.enc and
// the cache must not be used afterwards.
func (s *splitter11) release() {
	for _, b := range s.scratch {
		wire.PutScratch(b)
	}
	s.scratch = nil
	s.enc = nil
}

// Wrapper describes the message around each base64-encoded piece.
type Wrapper struct {
	Prefix, Suffix []byte
}

const (
	pieceHead = `{"type": "bundle", "id": "bundle--`
	pieceMid  = `", "spec_version": "2.0", "objects": [`
	pieceTail = `]}`
)

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
	wire.Parallel(len(s.objs), len(s.objs)*256, func(lo, hi int) {
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
func (s *splitter11) assemble(groups [][]int, uuids []string, wrap *Wrapper) (pieces, bodies [][]byte) {
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
			bOff[k+1] = bOff[k] + len(wrap.Prefix) + base64.StdEncoding.EncodedLen(size) + len(wrap.Suffix)
		}
	}
	var cache [][3][]byte
	if wrap != nil {
		cache = make([][3][]byte, len(s.objs))
		var mu sync.Mutex
		wire.Parallel(len(s.objs), len(s.objs)*128, func(lo, hi int) {
			size := 0
			for i := lo; i < hi; i++ {
				for ph := 0; ph < 3; ph++ {
					if phases[i][ph] && len(s.enc[i]) >= ph {
						size += (len(s.enc[i]) - ph) / 3 * 4
					}
				}
			}
			arena := wire.GetScratch(size)
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
					arena = wire.AppendBase64(arena, mid)
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
	wire.Parallel(n, pOff[n]+bOff[n], func(lo, hi int) {
		var b64 b64Stream
		for k := lo; k < hi; k++ {
			p := pArena[pOff[k]:pOff[k]:pOff[k+1]]
			p = append(p, pieceHead...)
			p = append(p, uuids[k]...)
			p = append(p, pieceMid...)
			if wrap != nil {
				b64.reset(bArena[bOff[k]:bOff[k]:bOff[k+1]])
				b64.out = append(b64.out, wrap.Prefix...)
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
				bodies[k] = append(b64.out, wrap.Suffix...)
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
		b.out = wire.AppendBase64(b.out, b.carry[:3])
		b.n = 0
	}
	if b.n > 0 { // p ran out before the group was full
		return
	}
	full := len(p) / 3 * 3
	b.out = wire.AppendBase64(b.out, p[:full])
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
