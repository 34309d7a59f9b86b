package llm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHTTPPoolReadsEveryKindOfAnswer(t *testing.T) {
	var mu sync.Mutex
	var auth []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		switch r.URL.Path {
		case "/v1/chunked":
			w.Write([]byte("part one, "))
			w.(http.Flusher).Flush()
			w.Write([]byte("part two"))
		case "/v1/close":
			w.Header().Set("Connection", "close")
			w.Write(body)
		case "/v1/busy":
			w.Header().Set("Retry-After", "2")
			w.Header().Set("retry-after-ms", "1500")
			w.WriteHeader(429)
			w.Write([]byte(`{"error":{"message":"slow down"}}`))
		case "/v1/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		default:
			w.Write(append([]byte(r.Method+" "), body...))
		}
	})
	for _, tls := range []bool{false, true} {
		var srv *httptest.Server
		if tls {
			srv = httptest.NewTLSServer(h)
		} else {
			srv = httptest.NewServer(h)
		}
		defer srv.Close()
		p, err := newHTTPPool(srv.URL+"/v1/", "sk-test", 4)
		if err != nil {
			t.Fatal(err)
		}
		if tls {
			pool := x509.NewCertPool()
			pool.AddCert(srv.Certificate())
			p.tls.RootCAs = pool
		}
		ctx := context.Background()
		check := func(path string, body []byte, wantStatus int, want string) {
			t.Helper()
			err := p.do(ctx, 5*time.Second, map[bool]string{true: "GET", false: "POST"}[body == nil], path, plainBody(body), func(status int, h *respHeader, data []byte) error {
				if status != wantStatus || string(data) != want {
					return fmt.Errorf("%s: %d %q, want %d %q", path, status, data, wantStatus, want)
				}
				if status == 429 && (h.retryAfter != "2" || h.retryAfterMS != "1500") {
					return fmt.Errorf("retry headers %+v", h)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("tls=%v: %v", tls, err)
			}
		}
		for range 3 { // kept-alive connections are reused
			check("/echo", []byte(`{"a":1}`), 200, `POST {"a":1}`)
			check("/echo", nil, 200, `GET `)
			check("/chunked", []byte(`x`), 200, "part one, part two")
			check("/close", []byte(`bye`), 200, "bye")
			check("/busy", []byte(`x`), 429, `{"error":{"message":"slow down"}}`)
		}
		// The server drops its idle connections: the next request finds out
		// before writing and redials.
		srv.CloseClientConnections()
		probeAfter = 0
		check("/echo", []byte(`again`), 200, `POST again`)
		probeAfter = time.Second
		err = p.do(ctx, 100*time.Millisecond, "POST", "/slow", plainBody([]byte(`x`)), func(int, *respHeader, []byte) error { return nil })
		if !errors.Is(err, errTimeout) {
			t.Fatalf("slow answer: %v, want a timeout", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		time.AfterFunc(50*time.Millisecond, cancel)
		if err := p.do(cctx, time.Minute, "POST", "/slow", plainBody([]byte(`x`)), func(int, *respHeader, []byte) error { return nil }); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled: %v", err)
		}
		p.close()
	}
	mu.Lock()
	defer mu.Unlock()
	for _, a := range auth {
		if a != "Bearer sk-test" {
			t.Fatalf("Authorization %q", a)
		}
	}
	if _, err := newHTTPPool("ftp://x/v1", "", 1); err == nil || !strings.Contains(err.Error(), "ftp://x/v1") {
		t.Fatalf("bad URL: %v", err)
	}
	if _, err := newHTTPPool("http://127.0.0.1:9/v1", "", 1); err != nil {
		t.Fatal(err)
	}
	p, _ := newHTTPPool("http://127.0.0.1:9/v1", "", 1)
	if err := p.do(context.Background(), time.Second, "GET", "/models", reqBody{}, nil); err == nil || !strings.Contains(err.Error(), "127.0.0.1:9") {
		t.Fatalf("nothing listening: %v", err)
	}
}

// TestLargeBodyAgainstSlowReader: a body larger than the socket takes at
// once is sent in full (the fast path's writev sends part of it, the rest
// goes out the ordinary way), and the answer is read after it.
func TestLargeBodyAgainstSlowReader(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond) // let the client's socket fill up
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%d %x", len(b), sha256.Sum256(b))
	}))
	defer srv.Close()
	p, err := newHTTPPool(srv.URL+"/v1", "", 2)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<20) // 16 MB
	head, tail := body[:5<<20], body[5<<20:]
	want := fmt.Sprintf("%d %x", len(body), sha256.Sum256(body))
	for _, b := range []reqBody{plainBody(body), {pre: &prefix{body: head}, tail: tail}} {
		err := p.do(context.Background(), 30*time.Second, "POST", "/x", b, func(status int, _ *respHeader, data []byte) error {
			if status != 200 || string(data) != want {
				return fmt.Errorf("%d %s, want %s", status, data, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
