package fleetsim

import "time"

// slots gives the fleet's endpoints their slots and latency with one clock
// for the whole fleet instead of a timer per request. Every endpoint has
// the same latency, so requests that hold a slot finish in the order they
// got it: they wait in one FIFO ordered by deadline, and a request that
// finds its endpoint's slots taken waits in the endpoint's own FIFO until
// a slot frees. The server that owns it serialises the calls.
type slots struct {
	latency time.Duration
	epoch   time.Time
	active  queue // requests holding a slot, by deadline
}

// waiter is a completion request waiting for its answer: for a slot, then
// for the latency.
type waiter struct {
	ep       *Endpoint
	deadline time.Duration // since epoch, once it holds a slot
	owner    any           // the connection that waits
}

func newSlots(latency time.Duration) *slots {
	return &slots{latency: latency, epoch: time.Now()}
}

// now is the clock's time.
func (s *slots) now() time.Duration { return time.Since(s.epoch) }

// admit takes a slot for w at now, or queues w for one.
func (s *slots) admit(w *waiter, now time.Duration) {
	ep := w.ep
	n := ep.inflight.Add(1)
	if n > ep.maxInflight.Load() {
		ep.maxInflight.Store(n)
	}
	if ep.busy < ep.opts.Slots {
		ep.busy++
		w.deadline = now + s.latency
		s.active.push(w)
	} else {
		ep.waiting.push(w)
	}
}

// due appends to dst the requests whose latency is over at now, and passes
// their slots on to the requests waiting for one, which hold them from now.
func (s *slots) due(dst []*waiter, now time.Duration) []*waiter {
	for s.active.len() > 0 && s.active.front().deadline <= now {
		w := s.active.pop()
		dst = append(dst, w)
		ep := w.ep
		ep.inflight.Add(-1)
		if ep.waiting.len() > 0 {
			next := ep.waiting.pop()
			next.deadline = now + s.latency
			s.active.push(next)
		} else {
			ep.busy--
		}
	}
	return dst
}

// next returns the earliest deadline; false when no request holds a slot.
func (s *slots) next() (time.Duration, bool) {
	if s.active.len() == 0 {
		return 0, false
	}
	return s.active.front().deadline, true
}

// queue is a FIFO of waiters.
type queue struct {
	items []*waiter
	head  int
}

func (q *queue) len() int { return len(q.items) - q.head }

func (q *queue) push(w *waiter) {
	if q.head > 0 && q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	} else if q.head > 1024 && q.head*2 > len(q.items) {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, w)
}

func (q *queue) front() *waiter { return q.items[q.head] }

func (q *queue) pop() *waiter {
	w := q.items[q.head]
	q.items[q.head] = nil
	q.head++
	return w
}
