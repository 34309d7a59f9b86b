package llm

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"
)

// endpoint is one server with its own in-flight limit, connections, weight
// and circuit breaker.
type endpoint struct {
	url    string // base URL, without a trailing slash
	weight float64
	limit  *limiter
	pool   *httpPool
	brk    breaker
}

// router hands out endpoints to requests: the agent's (or archetype's)
// home endpoint when it has room, so that its prompts meet the prefix
// cache they warmed, else the endpoint with the most room for its weight,
// else it waits for one to free up. Homes follow the endpoints' weights.
// Endpoints taken out by their circuit breaker get no requests while
// another endpoint is in service; a health check brings them back.
//
// Requests waiting for room queue in order; a request that finishes wakes
// the first, which, when it gets room and more is left, wakes the next. (A
// broadcast woke all of them to find room for one: thousands of wake-ups
// per answer while the limits grow at the start of a step.)
type router struct {
	mu      sync.Mutex
	eps     []*endpoint
	homes   homeTable
	waiting []chan struct{} // requests waiting for room, first come first served (each channel has room for one wake-up)
	total   int             // requests in flight, all endpoints
	out     int             // endpoints taken out
	check   func(ep *endpoint) bool
	ctx     context.Context // cancelled by Close: stops health checks
}

func newRouter(eps []*endpoint) *router {
	w := make([]float64, len(eps))
	for i, ep := range eps {
		w[i] = ep.weight
	}
	return &router{eps: eps, homes: newHomeTable(w), ctx: context.Background()}
}

// acquire waits for room on an endpoint and returns it with the epoch to
// hand back to release.
func (r *router) acquire(ctx context.Context, agent int) (*endpoint, uint64, error) {
	woken := false
	for {
		r.mu.Lock()
		if err := ctx.Err(); err != nil {
			// Given up, it takes no room (it would be sent for nothing);
			// a wake-up it was given goes on to the next in line.
			if woken {
				r.wakeOne()
			}
			r.mu.Unlock()
			return nil, 0, err
		}
		ep := r.pick(agent)
		if ep != nil {
			epoch := ep.limit.start()
			r.total++
			if len(r.waiting) > 0 && r.anyRoom() {
				r.wakeOne()
			}
			r.mu.Unlock()
			return ep, epoch, nil
		}
		wake := make(chan struct{}, 1)
		r.waiting = append(r.waiting, wake)
		r.mu.Unlock()
		select {
		case <-wake:
			woken = true
		case <-ctx.Done():
			r.mu.Lock()
			if i := slices.Index(r.waiting, wake); i >= 0 {
				r.waiting = slices.Delete(r.waiting, i, i+1)
			} else {
				r.wakeOne() // it was woken as it gave up: pass the wake-up on
			}
			r.mu.Unlock()
			return nil, 0, ctx.Err()
		}
	}
}

// wakeOne wakes the first request waiting for room, if any. The caller
// holds r.mu.
func (r *router) wakeOne() {
	if len(r.waiting) > 0 {
		r.waiting[0] <- struct{}{}
		r.waiting[0] = nil
		r.waiting = r.waiting[1:]
	}
}

// wakeAll wakes every request waiting for room. The caller holds r.mu.
func (r *router) wakeAll() {
	for len(r.waiting) > 0 {
		r.wakeOne()
	}
}

// anyRoom reports whether some endpoint takes another request. The caller
// holds r.mu.
func (r *router) anyRoom() bool {
	every := r.out == len(r.eps)
	for _, ep := range r.eps {
		if (every || !ep.brk.out) && ep.limit.room() {
			return true
		}
	}
	return false
}

// pick returns an endpoint with room, or nil. The caller holds r.mu.
func (r *router) pick(agent int) *endpoint {
	own := r.eps[r.homes.home(uint64(agent))]
	every := r.out == len(r.eps) // all out: send anyway, retries decide
	if (every || !own.brk.out) && own.limit.room() {
		return own
	}
	var best *endpoint
	bestRoom := 0.0
	for _, ep := range r.eps {
		if ep.brk.out && !every {
			continue
		}
		if room := float64(ep.limit.current()-ep.limit.inflight) / ep.weight; room > 0 && (best == nil || room > bestRoom) {
			best, bestRoom = ep, room
		}
	}
	return best
}

// release counts a request out of its endpoint (see limiter.done), feeds
// its circuit breaker and wakes the requests waiting for room. f is the
// attempt's failure, nil for an answer.
func (r *router) release(ep *endpoint, epoch uint64, f *Failure) {
	r.mu.Lock()
	ep.limit.done(epoch, f == nil, f != nil && f.overload())
	r.total--
	switch {
	case f == nil:
		if ep.brk.out { // an answer from an endpoint in check: it is back
			r.restore(ep)
		}
		ep.brk.succeeded()
	case f.Kind == KindRefused || f.Kind == KindTimeout || f.Kind == KindDropped || f.Kind == KindServer || f.Kind == KindNetwork:
		if ep.brk.failed(time.Now(), f.Kind+": "+f.Message) {
			r.out++
			if r.check != nil {
				go r.healthChecks(ep)
			}
		}
	}
	r.wakeOne()
	r.mu.Unlock()
}

// restore brings an endpoint back into service, starting its limit afresh.
// The caller holds r.mu.
func (r *router) restore(ep *endpoint) {
	ep.brk.restored()
	l := ep.limit // requests still in flight keep their count and epoch
	l.limit, l.slow = float64(min(l.max, initialLimit)), true
	l.epoch++
	r.out--
}

// healthChecks checks an endpoint taken out until it answers, backing off
// from 1 s to 30 s, then brings it back.
func (r *router) healthChecks(ep *endpoint) {
	for {
		r.mu.Lock()
		wait, out := ep.brk.nextCheck(), ep.brk.out
		r.mu.Unlock()
		if !out {
			return
		}
		if sleep(r.ctx, wait) != nil {
			return
		}
		ok := r.check(ep)
		r.mu.Lock()
		if !ep.brk.out {
			r.mu.Unlock()
			return
		}
		if ok {
			r.restore(ep)
			r.wakeAll()
			r.mu.Unlock()
			return
		}
		ep.brk.checks++
		r.mu.Unlock()
	}
}

// inFlight returns the requests in flight on all endpoints.
func (r *router) inFlight() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// limits returns each endpoint's current in-flight limit.
func (r *router) limits() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]int, len(r.eps))
	for i, ep := range r.eps {
		out[i] = ep.limit.current()
	}
	return out
}

// EndpointState is one endpoint's state, for reports.
type EndpointState struct {
	URL      string
	Weight   float64
	Limit    int    // current in-flight limit
	InFlight int    // requests in flight
	Out      bool   // taken out by its circuit breaker
	Why      string // the failure that took it out
}

// Endpoints returns the state of every endpoint, in the order of BaseURL
// and Endpoints.
func (c *Client) Endpoints() []EndpointState {
	r := c.router
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]EndpointState, len(r.eps))
	for i, ep := range r.eps {
		out[i] = EndpointState{URL: ep.url, Weight: ep.weight, Limit: ep.limit.current(), InFlight: ep.limit.inflight, Out: ep.brk.out}
		if ep.brk.out {
			out[i].Why = ep.brk.last
		}
	}
	return out
}

// healthy reports whether an endpoint answers GET /models with 200.
func (c *Client) healthy(ep *endpoint) bool {
	ok := false
	err := ep.pool.do(c.router.ctx, min(c.cfg.Timeout, 10*time.Second), http.MethodGet, "/models", reqBody{}, func(status int, _ *respHeader, _ []byte) error {
		ok = status == http.StatusOK
		return nil
	})
	return err == nil && ok
}
