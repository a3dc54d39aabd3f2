// Package wire holds what the OpenCTI wire formats (wire11, wire6) share:
// the bundle error, the Parallel loop, pooled scratch buffers, base64 and
// random UUIDs. Nothing here is protocol-specific.
package wire

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// ErrBundle is matched (errors.Is) by *Error.
var ErrBundle = errors.New("unusable bundle")

// Error names the object and property that make a bundle unusable.
type Error struct {
	Index    int    // position of the object in "objects", -1 for the bundle itself
	ObjectID string // the object's id when known
	Property string // the offending property
	Msg      string
}

// Error implements error.
func (e *Error) Error() string {
	where := "bundle"
	if e.Index >= 0 {
		where = fmt.Sprintf("objects[%d]", e.Index)
		if e.ObjectID != "" {
			where += " (" + e.ObjectID + ")"
		}
	}
	if e.Property != "" {
		where += " property " + e.Property
	}
	return where + ": " + e.Msg
}

// Is matches ErrBundle.
func (e *Error) Is(target error) bool { return target == ErrBundle }

// DecimalLen is the number of bytes of n written in decimal.
func DecimalLen(n int64) int {
	l := 1
	if n < 0 {
		l++
		n = -n
	}
	for n >= 10 {
		n /= 10
		l++
	}
	return l
}

// scratchPool recycles the large internal buffers of a split (the
// transcoded bundle, the base64 cache) between sends: fresh memory costs
// page faults and zeroing, which dominate the split of a multi-MB bundle.
var scratchPool sync.Pool

// GetScratch returns an empty buffer with capacity at least n.
func GetScratch(n int) []byte {
	if b, ok := scratchPool.Get().(*[]byte); ok && cap(*b) >= n {
		return (*b)[:0]
	}
	return make([]byte, 0, n)
}

// PutScratch gives a buffer back; nothing may use it afterwards.
func PutScratch(b []byte) {
	if cap(b) >= 1<<16 {
		scratchPool.Put(&b)
	}
}

// Parallel runs fn over [0,n) split into contiguous chunks, one per CPU,
// when the work is large enough to pay for goroutines.
func Parallel(n, weight int, fn func(lo, hi int)) {
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

// RandomUUIDs fills ids with random version-4 UUIDs (as Python's
// uuid.uuid4), drawing the randomness in one read.
func RandomUUIDs(ids []string) {
	raw := make([]byte, 16*len(ids))
	if _, err := rand.Read(raw); err != nil {
		panic("wire: crypto/rand failed: " + err.Error()) // crypto/rand.Read never fails on supported platforms
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
