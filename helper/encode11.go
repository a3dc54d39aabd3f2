package helper

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"runtime"
	"sync"

	"github.com/stixkit/stixkit/internal/pyjson"
)

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
func (s *splitter11) assemble(groups [][]int, uuids []string, wrap *wrapper) (pieces, bodies [][]byte) {
	n := len(groups)
	pOff := make([]int, n+1)
	bOff := make([]int, n+1)
	for k, g := range groups {
		size := len(pieceHead) + len(uuids[k]) + len(pieceMid) + len(pieceTail)
		for j, i := range g {
			if j > 0 {
				size += 2
			}
			size += len(s.enc[i])
		}
		pOff[k+1] = pOff[k] + size
		if wrap != nil {
			bOff[k+1] = bOff[k] + len(wrap.prefix) + base64.StdEncoding.EncodedLen(size) + len(wrap.suffix)
		}
	}
	pArena := make([]byte, pOff[n])
	pieces = make([][]byte, n)
	var bArena []byte
	if wrap != nil {
		bArena = make([]byte, bOff[n])
		bodies = make([][]byte, n)
	}
	parallel(n, pOff[n]+bOff[n], func(lo, hi int) {
		for k := lo; k < hi; k++ {
			p := pArena[pOff[k]:pOff[k]:pOff[k+1]]
			p = append(p, pieceHead...)
			p = append(p, uuids[k]...)
			p = append(p, pieceMid...)
			for j, i := range groups[k] {
				if j > 0 {
					p = append(p, ", "...)
				}
				p = append(p, s.enc[i]...)
			}
			p = append(p, pieceTail...)
			pieces[k] = p
			if wrap != nil {
				b := bArena[bOff[k]:bOff[k]:bOff[k+1]]
				b = append(b, wrap.prefix...)
				b = base64.StdEncoding.AppendEncode(b, p)
				b = append(b, wrap.suffix...)
				bodies[k] = b
			}
		}
	})
	return pieces, bodies
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
