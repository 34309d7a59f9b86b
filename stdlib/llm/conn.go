package llm

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/llmsam/llmsam/internal/text"
)

// httpPool sends requests to one server over keep-alive HTTP/1.1
// connections of its own. It does what llmsam needs of net/http (POST a
// JSON body, read a JSON answer, TLS, a deadline, cancellation) at a
// fraction of the CPU: no per-request header maps, goroutines or copies;
// each connection reuses its buffers, so memory per request in flight is
// bounded by the largest answer read on that connection.
type httpPool struct {
	addr   string // host:port to dial
	host   string // Host header
	prefix string // the base URL's path, e.g. "/v1"
	tls    *tls.Config
	auth   string // "Authorization: Bearer KEY\r\n", or ""
	idle   chan *hconn
	dialer net.Dialer
	watch  *watchdog  // shared by a client's pools
	wlist  *watchList // this pool's connections the watchdog looks at

	// kept counts answers read on reused connections the ordinary way
	// since one last failed: sendAwait is used only on a server that has
	// shown it keeps connections open (see fastPath).
	kept atomic.Int64
}

// Trust in a server's kept-alive connections: sendAwait clears the
// socket's readiness before it writes, so an end of connection (a FIN)
// that arrived while the connection sat idle would go unseen and the
// request would wait for its timeout, where a read finds it at once. The
// fast path is taken only on a connection put back less than fastIdle ago,
// to a server that answered keptToTrust requests on reused connections
// since the last one failed.
const (
	fastIdle    = time.Millisecond
	keptToTrust = 64
)

// hconn is one connection with its buffers.
type hconn struct {
	c      net.Conn
	br     *bufio.Reader
	head   []byte          // the request head being written
	iov    [][]byte        // the head and the body's pieces, for one writev
	raw    syscall.RawConn // the TCP socket, for sendAwait (nil with TLS)
	peeked int             // the answer's bytes still in br (read in place)
	fast   bool            // this request may take sendAwait (see fastIdle)
	vec    iovecs
	buf    []byte    // the last answer's body
	idle   time.Time // when it was put back

	// Set by watchdog.add and read by the watchdog, under its mutex.
	ctx      context.Context // the request in flight
	deadline time.Time       // when it times out
	expired  bool            // the watchdog ended the request: close the connection
	slot     int             // index in the watchdog's list
}

// newHTTPPool returns a pool for a base URL such as http://host:8000/v1,
// keeping up to maxIdle connections open between requests.
func newHTTPPool(baseURL, apiKey string, maxIdle int) (*httpPool, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("llm: endpoint %q: want an http:// or https:// base URL such as http://localhost:8000/v1", baseURL)
	}
	p := &httpPool{host: u.Host, prefix: u.Path, idle: make(chan *hconn, max(maxIdle, 1))}
	p.watchWith(&watchdog{})
	p.dialer.KeepAlive = 30 * time.Second
	port := u.Port()
	if u.Scheme == "https" {
		p.tls = &tls.Config{ServerName: u.Hostname()}
		if port == "" {
			port = "443"
		}
	} else if port == "" {
		port = "80"
	}
	p.addr = net.JoinHostPort(u.Hostname(), port)
	if apiKey != "" {
		if strings.ContainsAny(apiKey, "\r\n") {
			return nil, fmt.Errorf("llm: the API key contains a line break")
		}
		p.auth = "Authorization: Bearer " + apiKey + "\r\n"
	}
	return p, nil
}

// respHeader holds the answer headers llmsam reads.
type respHeader struct {
	retryAfter, retryAfterMS string
}

// errTimeout is returned when a request's deadline passes.
var errTimeout = errors.New("timeout awaiting the answer")

// do sends one request (body nil for a GET) and passes the answer's status,
// headers and body to read, whose data is valid only during the call. As
// net/http does for a POST, it sends again on a fresh connection only when
// a kept-alive one failed before the request was written; connections idle
// for a while are checked before use, since servers close idle ones.
func (p *httpPool) do(ctx context.Context, timeout time.Duration, method, path string, body reqBody, read func(status int, h *respHeader, data []byte) error) error {
	for attempt := 0; ; attempt++ {
		c, reused, err := p.get(ctx)
		if err != nil {
			return err
		}
		p.watch.add(p.wlist, c, ctx, timeout)
		status, h, data, closing, wrote, err := p.roundTrip(ctx, c, method, path, body)
		if p.watch.remove(p.wlist, c) {
			closing = true // its deadline is in the past
		}
		switch {
		case reused && err != nil:
			p.kept.Store(0) // a kept-alive connection failed: read after writing until trusted again
		case reused && !c.fast:
			p.kept.Add(1)
		}
		if err != nil {
			c.c.Close()
			if reused && !wrote && attempt == 0 && ctx.Err() == nil && !errors.Is(err, errTimeout) {
				continue
			}
			return err
		}
		rerr := read(status, &h, data)
		if c.peeked > 0 {
			c.br.Discard(c.peeked) // done with the answer read in place
			c.peeked = 0
		}
		if closing {
			c.c.Close()
		} else {
			p.put(c)
		}
		return rerr
	}
}

func (p *httpPool) get(ctx context.Context) (*hconn, bool, error) {
	for {
		var c *hconn
		select {
		case c = <-p.idle:
		default:
		}
		if c == nil {
			break
		}
		if idle := time.Since(c.idle); c.br.Buffered() == 0 && (idle < probeAfter || alive(c)) {
			c.fast = c.raw != nil && idle < fastIdle && p.kept.Load() >= keptToTrust
			return c, true, nil
		}
		c.c.Close()
	}
	nc, err := p.dialer.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return nil, false, err
	}
	if p.tls != nil {
		tc := tls.Client(nc, p.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Close()
			return nil, false, err
		}
		nc = tc
	}
	c := &hconn{c: nc, br: bufio.NewReaderSize(nc, 4096), head: make([]byte, 0, 256)}
	if tc, ok := nc.(*net.TCPConn); ok {
		if c.raw, err = tc.SyscallConn(); err != nil {
			c.raw = nil
		}
	}
	return c, false, nil
}

// probeAfter is how long a connection may sit idle before it is checked.
var probeAfter = time.Second

// alive reports whether an idle connection is still open: nothing to read
// says so, an end of file or data nobody asked for say not.
func alive(c *hconn) bool {
	nc := c.c
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	if sc, ok := nc.(syscall.Conn); ok {
		if open, ok := peekOpen(sc); ok {
			return open
		}
	}
	// Elsewhere: a read that times out says the connection is open.
	c.c.SetReadDeadline(time.Now().Add(time.Millisecond))
	_, err := c.br.Peek(1)
	c.c.SetReadDeadline(time.Time{})
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (p *httpPool) put(c *hconn) {
	if cap(c.buf) > 1<<20 {
		c.buf = nil // do not keep a huge answer's buffer alive
	}
	c.idle = time.Now()
	select {
	case p.idle <- c:
	default:
		c.c.Close()
	}
}

// watchWith has the pool's requests watched by w.
func (p *httpPool) watchWith(w *watchdog) { p.watch, p.wlist = w, w.list() }

// close closes the idle connections and stops the watchdog.
func (p *httpPool) close() {
	p.watch.stop()
	for {
		select {
		case c := <-p.idle:
			c.c.Close()
		default:
			return
		}
	}
}

// roundTrip writes a request and reads its answer; wrote reports whether
// the request was written.
func (p *httpPool) roundTrip(ctx context.Context, c *hconn, method, path string, body reqBody) (status int, h respHeader, data []byte, closing, wrote bool, err error) {
	wrap := func(e error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ne net.Error
		if errors.As(e, &ne) && ne.Timeout() {
			return errTimeout
		}
		return e
	}
	// The head and the body go out in one writev: a body larger than a
	// buffer would otherwise take two writes, and on loopback each write
	// costs the receiver's work too.
	h0 := c.head[:0]
	h0 = append(h0, method...)
	h0 = append(h0, ' ')
	h0 = append(h0, p.prefix...)
	h0 = append(h0, path...)
	h0 = append(h0, " HTTP/1.1\r\nHost: "...)
	h0 = append(h0, p.host...)
	h0 = append(h0, "\r\nUser-Agent: llmsam\r\nAccept: application/json\r\n"...)
	h0 = append(h0, p.auth...)
	if !body.none() {
		h0 = append(h0, "Content-Type: application/json\r\nContent-Length: "...)
		h0 = strconv.AppendInt(h0, int64(body.len()), 10)
		h0 = append(h0, "\r\n"...)
	}
	h0 = append(h0, "\r\n"...)
	c.head = h0
	c.iov = append(c.iov[:0], h0)
	if head := body.head(); len(head) > 0 {
		c.iov = append(c.iov, head)
	}
	if len(body.tail) > 0 {
		c.iov = append(c.iov, body.tail)
	}
	total := len(h0) + body.len()
	sent := 0
	if c.fast {
		if sent, err = sendAwait(c.raw, c.iov, &c.vec); err != nil {
			return 0, h, nil, false, sent == total, wrap(err)
		}
	}
	if sent < total {
		bufs := net.Buffers(skipBytes(c.iov, sent))
		if _, err = bufs.WriteTo(c.c); err != nil {
			return 0, h, nil, false, false, wrap(err)
		}
	}
	wrote = true
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		return 0, h, nil, false, true, wrap(err)
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, h, nil, false, true, fmt.Errorf("malformed HTTP status line %q", cutBytes(line, 64))
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, h, nil, false, true, fmt.Errorf("malformed HTTP status line %q", cutBytes(line, 64))
	}
	closing = line[7] == '0' // HTTP/1.0 closes unless told otherwise
	length, chunked := -1, false
	for {
		hl, err := c.br.ReadSlice('\n')
		if err != nil {
			return 0, h, nil, false, true, wrap(err)
		}
		hl = bytes.TrimRight(hl, "\r\n")
		if len(hl) == 0 {
			break
		}
		colon := bytes.IndexByte(hl, ':')
		if colon < 0 {
			continue
		}
		name, val := hl[:colon], bytes.TrimSpace(hl[colon+1:])
		switch {
		case text.EqualFold(name, "content-length"):
			if length, err = strconv.Atoi(string(val)); err != nil || length < 0 {
				return 0, h, nil, false, true, fmt.Errorf("malformed Content-Length %q", val)
			}
		case text.EqualFold(name, "transfer-encoding"):
			chunked = bytes.Contains(bytes.ToLower(val), []byte("chunked"))
		case text.EqualFold(name, "connection"):
			closing = text.EqualFold(val, "close")
		case text.EqualFold(name, "retry-after"):
			h.retryAfter = string(val)
		case text.EqualFold(name, "retry-after-ms"):
			h.retryAfterMS = string(val)
		}
	}
	if status >= 100 && status < 200 {
		return 0, h, nil, true, true, fmt.Errorf("unexpected HTTP status %d", status)
	}
	c.buf = c.buf[:0]
	switch {
	case chunked:
		c.buf, err = readChunked(c.br, c.buf)
	case length >= 0 && length <= c.br.Size():
		// Read in place: the answer stays in the reader's buffer until do
		// has passed it on (c.peeked), instead of a copy into c.buf.
		var data []byte
		if data, err = c.br.Peek(length); err == nil {
			c.peeked = length
			return status, h, data, closing, true, nil
		}
	case length >= 0:
		if cap(c.buf) < length {
			c.buf = make([]byte, length)
		}
		c.buf = c.buf[:length]
		_, err = io.ReadFull(c.br, c.buf)
	default:
		closing = true
		c.buf, err = appendAll(c.br, c.buf)
	}
	if err != nil {
		return 0, h, nil, false, true, wrap(err)
	}
	return status, h, c.buf, closing, true, nil
}

// readChunked appends a chunked body to dst.
func readChunked(r *bufio.Reader, dst []byte) ([]byte, error) {
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return dst, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if err != nil || n < 0 || n > 64<<20 {
			return dst, fmt.Errorf("malformed chunk size %q", line)
		}
		if n == 0 {
			for { // trailers, up to the empty line
				t, err := r.ReadSlice('\n')
				if err != nil {
					return dst, err
				}
				if len(bytes.TrimRight(t, "\r\n")) == 0 {
					return dst, nil
				}
			}
		}
		start := len(dst)
		dst = append(dst, make([]byte, n)...)
		if _, err := io.ReadFull(r, dst[start:]); err != nil {
			return dst, err
		}
		if _, err := r.Discard(2); err != nil { // CRLF
			return dst, err
		}
	}
}

func appendAll(r io.Reader, dst []byte) ([]byte, error) {
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}

func cutBytes(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// skipBytes drops the first n bytes of bufs.
func skipBytes(bufs [][]byte, n int) [][]byte {
	for len(bufs) > 0 && n >= len(bufs[0]) {
		n -= len(bufs[0])
		bufs = bufs[1:]
	}
	if n > 0 {
		bufs[0] = bufs[0][n:]
	}
	return bufs
}
