//go:build !unix

package schemas

import "time"

func cpuTime() time.Duration { return 0 }
