package llm

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"testing"
	"time"
)

// readRequest reads one HTTP request (head and Content-Length body).
func readRequest(br *bufio.Reader) error {
	tp := textproto.NewReader(br)
	if _, err := tp.ReadLine(); err != nil {
		return err
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(h.Get("Content-Length"))
	_, err = io.CopyN(io.Discard, br, int64(n))
	return err
}

// TestHalfClosedKeptAliveConnection: a server that ends a kept-alive
// connection by closing its side for writing (FIN) and then reading what
// comes until it closes altogether: the client's next request on it ends
// at once with the end of the connection, as a read after the write finds,
// not with a timeout after Config.Timeout.
func TestHalfClosedKeptAliveConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		br := bufio.NewReader(c)
		if readRequest(br) != nil {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		time.Sleep(50 * time.Millisecond)
		c.(*net.TCPConn).CloseWrite()
		readRequest(br) // the second request, read and dropped; then close (no reset: nothing unread)
	}()
	p, err := newHTTPPool("http://"+ln.Addr().String()+"/v1", "", 2)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	read := func(int, *respHeader, []byte) error { return nil }
	if err := p.do(context.Background(), 10*time.Second, "POST", "/x", plainBody([]byte(`{}`)), read); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the FIN arrives; the connection is reused within probeAfter
	err = p.do(context.Background(), 2*time.Second, "POST", "/x", plainBody([]byte(`{}`)), read)
	if err == nil || errors.Is(err, errTimeout) {
		t.Fatalf("second request on a half-closed connection: %v, want the connection's end", err)
	}
}

// TestServerThatClosesAfterAnswering: a server that half-closes every
// connection right after its answer, without saying Connection: close,
// never earns the fast path (see keptToTrust), however many requests it
// answered on fresh connections: each request on a reused connection ends
// at once with the connection's end and is sent again on a new one.
func TestServerThatClosesAfterAnswering(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
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
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for readRequest(br) == nil {
					io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
					c.(*net.TCPConn).CloseWrite()
				}
			}()
		}
	}()
	p, err := newHTTPPool("http://"+ln.Addr().String()+"/v1", "", 2)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	read := func(int, *respHeader, []byte) error { return nil }
	failed := 0
	start := time.Now()
	for range 200 {
		if err := p.do(context.Background(), 30*time.Second, "POST", "/x", plainBody([]byte(`{}`)), read); err != nil {
			if errors.Is(err, errTimeout) {
				t.Fatalf("a request waited for its timeout: %v", err)
			}
			failed++
		}
	}
	if time.Since(start) > 20*time.Second || p.kept.Load() >= keptToTrust {
		t.Fatalf("200 requests took %v, %d failed, the pool trusts the server: %v", time.Since(start), failed, p.kept.Load() >= keptToTrust)
	}
}
