//go:build unix

package helper

import (
	"syscall"
	"testing"
)

// refusedPort returns a local port where connections are refused for the
// rest of the test: a socket bound to it and not listening holds it, so no
// other listener (of another test process) can take it, nor can a dial
// pick it as its own source port.
func refusedPort(t testing.TB) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return sa.(*syscall.SockaddrInet4).Port
}
