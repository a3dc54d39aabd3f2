//go:build linux

package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// genBundle writes a bundle of n small objects (identities, or ipv4-addr
// SCOs without id when sco) plus, first, one identity whose description is
// large bytes long: the largest object.
func genBundle(w io.Writer, n, large int, sco bool) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprint(bw, `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[`)
	fmt.Fprintf(bw, `{"type":"identity","spec_version":"2.1","id":"identity--ffffffff-0000-4000-8000-000000000000","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"large","description":"%s"}`, strings.Repeat("a", large))
	for i := 0; i < n; i++ {
		if sco {
			fmt.Fprintf(bw, `,{"type":"ipv4-addr","spec_version":"2.1","value":"10.%d.%d.%d","x_note":"padding that does not contribute to the id, as large as an identity"}`, i>>16&255, i>>8&255, i&255)
		} else {
			fmt.Fprintf(bw, `,{"type":"identity","spec_version":"2.1","id":"identity--%08x-0000-4000-8000-000000000000","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"n%d"}`, i, i)
		}
	}
	fmt.Fprint(bw, "]}")
	return bw.Flush()
}

// peakRSS runs the stixkit binary with args, the generated bundle on its
// standard input and its output discarded, and returns its peak resident
// memory in bytes (ru_maxrss) and the input size.
func peakRSS(t *testing.T, exe string, n, large int, sco bool, args ...string) (peak, size int64) {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "GOGC=100", "GOMEMLIMIT=off")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cw := &countWriter{w: in}
	gerr := genBundle(cw, n, large, sco)
	in.Close()
	if err := cmd.Wait(); err != nil || gerr != nil {
		t.Fatalf("%v: %v (writing input: %v): %s", args, err, gerr, errb.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return ru.Maxrss * 1024, cw.n
}

// minPeakRSS is the lower peak of two runs of peakRSS: a GC cycle that
// happens to start late can raise one run's peak by tens of MiB whatever
// the input size, and the question is what the input size costs.
func minPeakRSS(t *testing.T, exe string, n, large int, sco bool, args ...string) (peak, size int64) {
	t.Helper()
	a, size := peakRSS(t, exe, n, large, sco, args...)
	b, _ := peakRSS(t, exe, n, large, sco, args...)
	return min(a, b), size
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// TestStreamingMemory measures the peak memory of fmt (canonical and both
// Python styles) and id on generated bundles of 40,000 and 400,000 small
// objects, each with one 4 MiB object: ten times the input (50 to 70 MB
// more) must not cost memory in proportion (the lower peak of two runs is
// compared, since GC timing alone moves one run's peak by tens of MiB), and
// the peak stays within a small multiple of the
// largest object plus a constant (the Go runtime, buffers). validate also
// keeps, for the duplicate-id checks (203, duplicate-id), a 16-byte digest
// of each object's id and modified: it may grow by indexBudget bytes per
// object, and no more.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the memory measurement")
	}
	exe := stixkitBinary(t)
	const large = 4 << 20
	const limit = 16*large + 64<<20 // a small multiple of the largest object plus a constant
	const indexBudget = 128         // bytes per object for validate's duplicate-id index
	for _, c := range []struct {
		args    []string
		sco     bool
		indexed bool // keeps a per-object index (validate)
	}{
		{[]string{"fmt", "-"}, false, false},
		{[]string{"fmt", "--style", "python", "-"}, false, false},
		{[]string{"fmt", "--style", "python-pretty", "-"}, false, false},
		{[]string{"id", "-"}, true, false},
		{[]string{"validate", "-"}, false, true},
	} {
		small, smallSize := minPeakRSS(t, exe, 40_000, large, c.sco, c.args...)
		big, bigSize := minPeakRSS(t, exe, 400_000, large, c.sco, c.args...)
		t.Logf("%v: peak %.1f MiB on %.1f MB, %.1f MiB on %.1f MB", c.args, float64(small)/(1<<20), float64(smallSize)/1e6, float64(big)/(1<<20), float64(bigSize)/1e6)
		// Holding the input would cost at least its size; the
		// runtime's own variation stays far below half of it.
		if c.indexed {
			if grow, budget := big-small, int64(indexBudget*(400_000-40_000)); grow > budget {
				t.Errorf("%v: peak memory grew %.1f MiB for 360,000 more objects: more than the index budget of %d bytes per object", c.args, float64(grow)/(1<<20), indexBudget)
			}
			if big > limit+indexBudget*400_000 {
				t.Errorf("%v: peak %.1f MiB > 16 x the %d MiB largest object + 64 MiB + %d bytes per object", c.args, float64(big)/(1<<20), large>>20, indexBudget)
			}
			continue
		}
		if grow := big - small; grow > (bigSize-smallSize)/2 {
			t.Errorf("%v: peak memory grew %.1f MiB for %.1f MB more input: it follows the input, not the largest object", c.args, float64(grow)/(1<<20), float64(bigSize-smallSize)/1e6)
		}
		if big > limit {
			t.Errorf("%v: peak %.1f MiB > %.1f MiB (16 x the %d MiB largest object + 64 MiB)", c.args, float64(big)/(1<<20), float64(limit)/(1<<20), large>>20)
		}
	}
}
