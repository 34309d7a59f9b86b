// Package fleetsim simulates a fleet of OpenAI-compatible inference
// endpoints on loopback ports, to try a study's throughput before renting
// a fleet, and for benchmarks and tests of clients that drive many LLM
// agents: each endpoint answers a number of requests at once
// (its slots; further requests wait for a free slot, first come first
// served) after a fixed latency, on /v1/chat/completions and
// /v1/completions, with answers in the LLM agents' JSON format, and
// /v1/models and /health for health checks. A request holds its slot for
// the latency from the moment it is read (or its slot frees), to the
// millisecond: never less, at most about a millisecond more.
//
// It is built to cost little CPU per request, so that a benchmark measures
// the client. It is a real HTTP/1.1 server over TCP, with keep-alive and
// Connection: close, one request at a time per connection. On Linux one
// epoll event loop serves all the endpoints of a fleet: connections are
// edge-triggered, so a request that arrives whole costs one read and its
// response one write, with no goroutine per connection and no timer per
// request (the slots' next deadline is epoll_wait's timeout). Elsewhere a
// goroutine per connection reads from Go's network poller, with one clock
// for the fleet. Requests are not decoded as JSON: the few fields the
// responder needs are found in one pass over the body, and the answer is
// made when the request is read and sent when its latency is over. In
// BenchmarkMillionAgents (stdlib/llmagent) the simulator uses 13 to 16 us
// of CPU per request, most of it in the kernel's TCP send and receive
// (BENCHMARKS.md); BenchmarkServerCPU compares it with a net/http server.
//
// Its answers come from a toy responder, not a language model, that still
// reads its prompt: the opinion is the mean of the opinions the agent's
// part of the prompt (the user message, or the text from "# Who you are")
// mentions ("opinion 7", or "opinion": 7 in an answer quoted as JSON; a
// line "- 4 of them: opinion 7, ..." or "- 4% of them: ..." weighs 4),
// moved by up to 1.5 points by the request's seed, rounded and kept in
// 0-10; the decision is Yes when opinion/10, moved by up to 0.1 by the
// seed, exceeds the first "lambda = 0.xx" of the agent's part (0.5 when
// there is none). A request with "n": k gets k choices, each drawn from
// (seed, choice).
package fleetsim

import (
	"fmt"
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
	loop      *loop  // the event loop serving the endpoints (Linux)
	clock     *clock // else the goroutine server's clock
	closeOnce sync.Once
}

// Endpoint is one simulated server.
type Endpoint struct {
	ln          net.Listener
	url         string
	opts        *Options
	models      string // the /v1/models answer
	fleet       *Fleet
	busy        int   // slots taken (by the fleet's server)
	waiting     queue // requests waiting for a slot (by the fleet's server)
	fault       atomic.Int32
	ids         atomic.Int64 // completions answered, sent or not (their ids)
	served      atomic.Int64
	inflight    atomic.Int64
	maxInflight atomic.Int64
	conns       sync.Map // the goroutine server's open connections, closed by Close
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
	models := `{"object":"list","data":[{"id":` + strconv.Quote(opts.Model) + `,"object":"model","owned_by":"fleetsim"}]}`
	for range opts.Endpoints {
		ln, err := net.Listen("tcp", net.JoinHostPort(opts.Host, "0"))
		if err != nil {
			for _, ep := range f.endpoints {
				ep.ln.Close()
			}
			return nil, fmt.Errorf("fleetsim: %w", err)
		}
		ep := &Endpoint{ln: ln, url: "http://" + ln.Addr().String() + "/v1", opts: &f.opts, models: models, fleet: f}
		f.endpoints = append(f.endpoints, ep)
	}
	s := newSlots(opts.Latency)
	if haveLoop && !goroutineServer {
		l, err := startLoop(f, s)
		if err != nil {
			for _, ep := range f.endpoints {
				ep.ln.Close()
			}
			return nil, fmt.Errorf("fleetsim: %w", err)
		}
		f.loop = l
		return f, nil
	}
	f.clock = newClock(s)
	for _, ep := range f.endpoints {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			ep.serveGoroutines(&f.wg, f.clock)
		}()
	}
	return f, nil
}

// goroutineServer makes Start use the portable goroutine server where the
// event loop exists (for its tests).
var goroutineServer = false

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
	f.closeOnce.Do(func() {
		if f.loop != nil {
			f.loop.close()
		} else {
			close(f.clock.stop)
		}
		for _, ep := range f.endpoints {
			ep.ln.Close()
			ep.conns.Range(func(k, _ any) bool {
				k.(net.Conn).Close()
				return true
			})
		}
		f.wg.Wait()
	})
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
	if e.fleet.loop != nil {
		e.fleet.loop.faultChanged()
	}
	if f == Drop {
		e.conns.Range(func(k, _ any) bool {
			k.(net.Conn).Close()
			return true
		})
	}
}
