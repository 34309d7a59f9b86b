// Package fleetsim simulates a fleet of OpenAI-compatible inference
// endpoints on loopback ports, to try a study's throughput before renting
// a fleet, and for benchmarks and tests of clients that drive many LLM
// agents: each endpoint answers a number of requests at once
// (its slots; further requests wait for a free slot) after a fixed latency,
// on /v1/chat/completions and /v1/completions, with answers in the LLM
// agents' JSON format, and /v1/models and /health for health checks.
//
// It is built to cost little CPU per request, so that a benchmark measures
// the client: a minimal HTTP/1.1 server with keep-alive over raw
// connections, no JSON decoding of the requests (the few fields it needs
// are scanned from the body), answers appended into a reused buffer.
//
// Its answers come from a toy responder, not a language model, that still
// reads its prompt: the opinion is the mean of the opinions the agent's
// part of the prompt (the user message, or the text from "# Who you are")
// mentions ("opinion 7", or "opinion": 7 in an answer quoted as JSON; a
// line "- 4 of them: opinion 7, ..." or "- 4% of them: ..." weighs 4), moved by up to 1.5 points by the request's seed, rounded and kept
// in 0-10; the decision is Yes when opinion/10, moved by up to 0.1 by the
// seed, exceeds the prompt's "lambda = 0.xx" (0.5 when absent). A request
// with "n": k gets k choices, each drawn from (seed, choice).
package fleetsim

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a fleet.
type Options struct {
	Endpoints int           // number of endpoints (default 1)
	Slots     int           // requests each endpoint answers at once (default 128)
	Latency   time.Duration // time to answer a request once it has a slot
	Model     string        // model name listed by /v1/models ("": an empty list, which clients take as any model); any name is accepted in requests
	Host      string        // address to listen on (default 127.0.0.1)
}

// Fault is how an endpoint misbehaves, for tests of health checks and
// circuit breakers.
type Fault int32

// The faults.
const (
	Healthy     Fault = iota
	ServerError       // every request (health checks included) gets HTTP 500
	Drop              // connections are closed without an answer
)

// Fleet is a set of running endpoints.
type Fleet struct {
	opts      Options
	endpoints []*Endpoint
	wg        sync.WaitGroup
}

// Endpoint is one simulated server.
type Endpoint struct {
	ln          net.Listener
	url         string
	opts        *Options
	slots       chan struct{}
	fault       atomic.Int32
	served      atomic.Int64
	inflight    atomic.Int64
	maxInflight atomic.Int64
	conns       sync.Map // open connections, closed by Close
}

// Start starts the fleet's endpoints, each on its own loopback port.
func Start(opts Options) (*Fleet, error) {
	if opts.Endpoints == 0 {
		opts.Endpoints = 1
	}
	if opts.Slots == 0 {
		opts.Slots = 128
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Endpoints < 0 || opts.Slots < 0 || opts.Latency < 0 {
		return nil, fmt.Errorf("fleetsim: endpoints %d, slots %d, latency %v: want positive values", opts.Endpoints, opts.Slots, opts.Latency)
	}
	f := &Fleet{opts: opts}
	for range opts.Endpoints {
		ln, err := net.Listen("tcp", net.JoinHostPort(opts.Host, "0"))
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("fleetsim: %w", err)
		}
		ep := &Endpoint{ln: ln, url: "http://" + ln.Addr().String() + "/v1", opts: &f.opts, slots: make(chan struct{}, opts.Slots)}
		f.endpoints = append(f.endpoints, ep)
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			ep.serve(&f.wg)
		}()
	}
	return f, nil
}

// URLs returns the endpoints' base URLs (http://127.0.0.1:PORT/v1).
func (f *Fleet) URLs() []string {
	out := make([]string, len(f.endpoints))
	for i, ep := range f.endpoints {
		out[i] = ep.url
	}
	return out
}

// Endpoint returns endpoint i.
func (f *Fleet) Endpoint(i int) *Endpoint { return f.endpoints[i] }

// Served returns the completions answered by all endpoints.
func (f *Fleet) Served() int64 {
	var n int64
	for _, ep := range f.endpoints {
		n += ep.served.Load()
	}
	return n
}

// Close stops every endpoint and closes its connections.
func (f *Fleet) Close() {
	for _, ep := range f.endpoints {
		ep.ln.Close()
		ep.conns.Range(func(k, _ any) bool {
			k.(net.Conn).Close()
			return true
		})
	}
	f.wg.Wait()
}

// URL returns the endpoint's base URL.
func (e *Endpoint) URL() string { return e.url }

// Served returns the completions this endpoint answered.
func (e *Endpoint) Served() int64 { return e.served.Load() }

// MaxInFlight returns the most completions the endpoint held at once
// (waiting for a slot included).
func (e *Endpoint) MaxInFlight() int64 { return e.maxInflight.Load() }

// SetFault makes the endpoint misbehave (or recover, with Healthy).
func (e *Endpoint) SetFault(f Fault) {
	e.fault.Store(int32(f))
	if f == Drop {
		e.conns.Range(func(k, _ any) bool {
			k.(net.Conn).Close()
			return true
		})
	}
}

func (e *Endpoint) serve(wg *sync.WaitGroup) {
	for {
		c, err := e.ln.Accept()
		if err != nil {
			return
		}
		if Fault(e.fault.Load()) == Drop {
			c.Close()
			continue
		}
		e.conns.Store(c, nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer e.conns.Delete(c)
			defer c.Close()
			e.handle(c)
		}()
	}
}

// conn is one connection's reused buffers.
type conn struct {
	br   *bufio.Reader
	bw   *bufio.Writer
	body []byte
	out  []byte
}

var errBadRequest = errors.New("bad request")

func (e *Endpoint) handle(c net.Conn) {
	cn := &conn{br: bufio.NewReaderSize(c, 4096), bw: bufio.NewWriterSize(c, 4096)}
	for {
		method, path, body, closing, err := cn.read()
		if err != nil {
			if err == errBadRequest {
				cn.reply(400, `{"error":{"message":"malformed request","type":"invalid_request_error"}}`, true)
			}
			return
		}
		if Fault(e.fault.Load()) == Drop {
			return
		}
		if Fault(e.fault.Load()) == ServerError {
			if cn.reply(500, `{"error":{"message":"simulated server error","type":"server_error"}}`, closing) != nil || closing {
				return
			}
			continue
		}
		var status int
		var out []byte
		switch {
		case method == "GET" && (path == "/v1/models" || path == "/models"):
			status, out = 200, []byte(`{"object":"list","data":[]}`)
			if e.opts.Model != "" {
				out = []byte(`{"object":"list","data":[{"id":` + strconv.Quote(e.opts.Model) + `,"object":"model","owned_by":"fleetsim"}]}`)
			}
		case method == "GET" && path == "/health":
			status, out = 200, []byte(`{"status":"ok"}`)
		case method == "POST" && (path == "/v1/chat/completions" || path == "/v1/completions"):
			e.admit()
			cn.out = answer(cn.out[:0], body, path == "/v1/chat/completions", e.served.Add(1))
			status, out = 200, cn.out
		default:
			status, out = 404, []byte(`{"error":{"message":"no such route","type":"invalid_request_error"}}`)
		}
		if cn.reply(status, string(out), closing) != nil || closing {
			return
		}
	}
}

// admit waits for a slot, holds it for the latency, and releases it.
func (e *Endpoint) admit() {
	n := e.inflight.Add(1)
	for {
		m := e.maxInflight.Load()
		if n <= m || e.maxInflight.CompareAndSwap(m, n) {
			break
		}
	}
	e.slots <- struct{}{}
	if e.opts.Latency > 0 {
		time.Sleep(e.opts.Latency)
	}
	<-e.slots
	e.inflight.Add(-1)
}

// read reads one request: method, path, body and whether the client asked
// to close the connection.
func (cn *conn) read() (method, path string, body []byte, closing bool, err error) {
	line, err := cn.br.ReadSlice('\n')
	if err != nil {
		return "", "", nil, false, err
	}
	sp1 := bytes.IndexByte(line, ' ')
	if sp1 < 0 {
		return "", "", nil, false, errBadRequest
	}
	rest := line[sp1+1:]
	sp2 := bytes.IndexByte(rest, ' ')
	if sp2 < 0 {
		return "", "", nil, false, errBadRequest
	}
	method, path = string(line[:sp1]), string(rest[:sp2])
	if q := bytes.IndexByte([]byte(path), '?'); q >= 0 {
		path = path[:q]
	}
	length := 0
	for {
		h, err := cn.br.ReadSlice('\n')
		if err != nil {
			return "", "", nil, false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		colon := bytes.IndexByte(h, ':')
		if colon < 0 {
			continue
		}
		name, val := h[:colon], bytes.TrimSpace(h[colon+1:])
		switch {
		case asciiEqualFold(name, "content-length"):
			if length, err = strconv.Atoi(string(val)); err != nil || length < 0 || length > 64<<20 {
				return "", "", nil, false, errBadRequest
			}
		case asciiEqualFold(name, "connection"):
			closing = asciiEqualFold(val, "close")
		case asciiEqualFold(name, "transfer-encoding"):
			return "", "", nil, false, errBadRequest // clients here send a length
		}
	}
	if cap(cn.body) < length {
		cn.body = make([]byte, length)
	}
	body = cn.body[:length]
	if _, err := io.ReadFull(cn.br, body); err != nil {
		return "", "", nil, false, err
	}
	return method, path, body, closing, nil
}

func (cn *conn) reply(status int, body string, closing bool) error {
	text := "OK"
	switch status {
	case 400:
		text = "Bad Request"
	case 404:
		text = "Not Found"
	case 500:
		text = "Internal Server Error"
	}
	w := cn.bw
	w.WriteString("HTTP/1.1 ")
	w.WriteString(strconv.Itoa(status))
	w.WriteByte(' ')
	w.WriteString(text)
	w.WriteString("\r\nContent-Type: application/json\r\nContent-Length: ")
	w.WriteString(strconv.Itoa(len(body)))
	if closing {
		w.WriteString("\r\nConnection: close")
	}
	w.WriteString("\r\n\r\n")
	w.WriteString(body)
	return w.Flush()
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
