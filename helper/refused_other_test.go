//go:build !unix

package helper

import (
	"net"
	"testing"
)

// refusedPort returns a local port where connections are refused: one a
// listener had and closed (another process may take it meanwhile).
func refusedPort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}
