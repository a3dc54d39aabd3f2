package helper

import (
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tcpProxy is the tests' own TCP proxy on 127.0.0.1: it forwards to
// target, optionally throttled, and can cut every live connection, as a
// flaky link or a broker restart would.
type tcpProxy struct {
	ln       net.Listener
	target   string
	rate     int // bytes per second and direction; 0 = unlimited
	accepted atomic.Int64

	mu      sync.Mutex
	conns   map[net.Conn]*atomic.Bool // live connections and whether frozen
	stopped bool
}

func newProxy(t testing.TB, target string, rate int) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target, rate: rate, conns: map[net.Conn]*atomic.Bool{}}
	go p.serve()
	t.Cleanup(p.stop)
	return p
}

// hostPort returns the proxy's address.
func (p *tcpProxy) hostPort() (string, int) {
	a := p.ln.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port
}

func (p *tcpProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.accepted.Add(1)
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		frozen := new(atomic.Bool)
		if !p.track(frozen, c, up) {
			return
		}
		go p.pipe(up, c, frozen)
		go p.pipe(c, up, frozen)
	}
}

func (p *tcpProxy) track(frozen *atomic.Bool, cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		for _, c := range cs {
			c.Close()
		}
		return false
	}
	for _, c := range cs {
		p.conns[c] = frozen
	}
	return true
}

// pipe copies src to dst at the proxy's rate; either side ending closes
// both. A frozen pair stops forwarding without closing: a peer that went
// silent.
func (p *tcpProxy) pipe(dst, src net.Conn, frozen *atomic.Bool) {
	defer dst.Close()
	defer src.Close()
	if p.rate == 0 {
		io.Copy(dst, frozenReader{src, frozen})
		return
	}
	const tick = 10 * time.Millisecond
	chunk := max(p.rate/100, 1)
	buf := make([]byte, chunk)
	for {
		t0 := time.Now()
		n, err := frozenReader{src, frozen}.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
			// Sleep what n bytes cost at the rate, minus the time spent.
			if d := time.Duration(n)*time.Second/time.Duration(p.rate) - time.Since(t0); d > 0 {
				time.Sleep(min(d, 10*tick))
			}
		}
		if err != nil {
			return
		}
	}
}

// cut closes every live connection and returns how many pairs it closed.
func (p *tcpProxy) cut() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.conns) / 2
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
	return n
}

// freeze makes every live connection silent (nothing forwarded either
// way, nothing closed); later connections are not affected.
func (p *tcpProxy) freeze() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.conns {
		f.Store(true)
	}
}

// frozenReader drops what it reads once frozen.
type frozenReader struct {
	r      io.Reader
	frozen *atomic.Bool
}

func (f frozenReader) Read(b []byte) (int, error) {
	for {
		n, err := f.r.Read(b)
		if !f.frozen.Load() || err != nil {
			return n, err
		}
		// Frozen: swallow the bytes, forward nothing.
	}
}

// stop closes the listener and every connection; later dials are refused.
func (p *tcpProxy) stop() {
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
	p.ln.Close()
	p.cut()
}

// brokerTarget returns the broker's host:port from its URL.
func brokerTarget(tb testing.TB, url string) string {
	b := brokerConfig(tb, url)
	return net.JoinHostPort(b.Hostname, strconv.Itoa(b.Port))
}

// viaProxy returns the broker configuration pointing at the proxy.
func viaProxy(tb testing.TB, url string, p *tcpProxy) RabbitMQConfig {
	b := brokerConfig(tb, url)
	b.Hostname, b.Port = p.hostPort()
	return b
}
