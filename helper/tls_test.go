package helper

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
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

// TestTLSVerificationFailsFast: a broker whose certificate does not verify
// is a permanent error, returned at once although retries are unbounded.
func TestTLSVerificationFailsFast(t *testing.T) {
	hs := httptest.NewTLSServer(http.NotFoundHandler())
	defer hs.Close()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: hs.TLS.Certificates})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { c.(*tls.Conn).Handshake(); c.Close() }()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	cfg := RabbitMQConfig{Hostname: "127.0.0.1", Port: p, Username: "u", Password: "p", UseTLS: true}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	_, err = NewAMQPPublisher(ctx, AMQPOptions{Broker: cfg, Retry: RetryPolicy{MinBackoff: time.Second}})
	if !errors.Is(err, ErrPermanent) || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("took %s", took)
	}
	t.Log(err)
}

// testKeyPair returns a self-signed certificate and its key, PEM-encoded.
func testKeyPair(t *testing.T) (certPEM, keyPEM string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "connector"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
}

// TestMQClientKeyPEM: MQ_USE_SSL_KEY / MQ_USE_SSL_CERT given as PEM text
// with surrounding newlines or spaces (as environment variables often
// are) are recognised; a bad value is never echoed in the error.
func TestMQClientKeyPEM(t *testing.T) {
	certPEM, keyPEM := testKeyPair(t)
	env := map[string]string{"MQ_USE_SSL_CERT": " " + certPEM, "MQ_USE_SSL_KEY": "\n" + keyPEM + "\n"}
	cfg, err := parseConfig(newFakePlatform(t).configYAML("c0ffee00-0000-4000-8000-000000000003"), "test", envMap(env))
	if err != nil {
		t.Fatal(err)
	}
	c6, err := cfg.platform()
	if err != nil {
		t.Fatal(err)
	}
	tc, err := mqTLSConfig(c6.MQ, "mq.local")
	if err != nil {
		t.Fatal(err)
	}
	if len(tc.Certificates) != 1 {
		t.Fatalf("%d client certificates", len(tc.Certificates))
	}
	body := strings.Split(keyPEM, "\n")[1] // a line of key material
	for name, mq := range map[string]MQOverrides{
		"key that is neither PEM nor a file": {SSLCert: certPEM, SSLKey: "\n" + body},
		"key of another pair":                {SSLCert: certPEM, SSLKey: func() string { _, k := testKeyPair(t); return k }()},
	} {
		_, err := mqTLSConfig(mq, "mq.local")
		if err == nil {
			t.Fatalf("%s: accepted", name)
		}
		if strings.Contains(err.Error(), body) || strings.Contains(err.Error(), "PRIVATE KEY-----") {
			t.Fatalf("%s: key material in the error: %v", name, err)
		}
		if !strings.Contains(err.Error(), "MQ_USE_SSL_") {
			t.Errorf("%s: error does not name the variable: %v", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
}
