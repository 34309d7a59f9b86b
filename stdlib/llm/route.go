package llm

import (
	"context"
	"sync"
)

// endpoint is one server with its own in-flight limit.
type endpoint struct {
	url   string // base URL, without a trailing slash
	limit *limiter
}

// router hands out endpoints to requests: the agent's own endpoint when it
// has room (so that an agent's prompts meet the prefix cache they warmed),
// else the endpoint with the most room, else it waits for one to free up.
type router struct {
	mu    sync.Mutex
	eps   []*endpoint
	wake  chan struct{} // closed and replaced whenever a request finishes
	total int           // requests in flight, all endpoints
}

func newRouter(eps []*endpoint) *router {
	return &router{eps: eps, wake: make(chan struct{})}
}

// acquire waits for room on an endpoint and returns it with the epoch to
// hand back to release.
func (r *router) acquire(ctx context.Context, agent int) (*endpoint, uint64, error) {
	for {
		r.mu.Lock()
		ep := r.pick(agent)
		if ep != nil {
			epoch := ep.limit.start()
			r.total++
			r.mu.Unlock()
			return ep, epoch, nil
		}
		wake := r.wake
		r.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
	}
}

// pick returns an endpoint with room, or nil. The caller holds r.mu.
func (r *router) pick(agent int) *endpoint {
	own := r.eps[agent%len(r.eps)]
	if own.limit.room() {
		return own
	}
	var best *endpoint
	bestRoom := 0
	for _, ep := range r.eps {
		if room := ep.limit.current() - ep.limit.inflight; room > bestRoom {
			best, bestRoom = ep, room
		}
	}
	return best
}

// release counts a request out of its endpoint (see limiter.done) and
// wakes the requests waiting for room.
func (r *router) release(ep *endpoint, epoch uint64, ok, overload bool) {
	r.mu.Lock()
	ep.limit.done(epoch, ok, overload)
	r.total--
	close(r.wake)
	r.wake = make(chan struct{})
	r.mu.Unlock()
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
