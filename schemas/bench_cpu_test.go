//go:build unix

package schemas

import (
	"syscall"
	"time"
)

// cpuTime returns the user+system CPU time used by the process so far. The
// benchmarks report objects per CPU-second next to wall-clock figures,
// because on a shared machine the wall clock measures the neighbours too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
