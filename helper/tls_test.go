package helper

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// TestAMQPSHandshake checks that UseTLS/TLS make the publisher speak TLS:
// a local TLS listener (with httptest's certificate) must receive the AMQP
// protocol header inside a TLS session verified against the given roots.
func TestAMQPSHandshake(t *testing.T) {
	hs := httptest.NewTLSServer(http.NotFoundHandler())
	defer hs.Close()
	roots := hs.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: hs.TLS.Certificates})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- "accept: " + err.Error()
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		hdr := make([]byte, 8)
		if _, err := io.ReadFull(c, hdr); err != nil {
			got <- "read: " + err.Error()
			return
		}
		got <- string(hdr)
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	cfg := RabbitMQConfig{Hostname: "127.0.0.1", Port: p, Username: "u", Password: "p", UseTLS: true,
		TLS: &tls.Config{RootCAs: roots, ServerName: "example.com"}}
	_, err = NewAMQPPublisher(context.Background(), AMQPOptions{Broker: cfg, Retry: RetryPolicy{MaxAttempts: 1},
		DialTimeout: 3 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	if err == nil {
		t.Fatal("connected to a fake broker")
	}
	if h := <-got; h != "AMQP\x00\x00\x09\x01" {
		t.Fatalf("the listener got %q, want the AMQP 0-9-1 header over TLS", h)
	}
}
