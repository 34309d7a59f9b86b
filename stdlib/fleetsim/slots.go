package fleetsim

import (
	"sync"
	"time"
)

// slots gives the fleet's endpoints their slots and latency with one timer
// for the whole fleet instead of one per request. Every endpoint has the
// same latency, so requests that hold a slot finish in the order they got
// it: they wait in one FIFO ordered by deadline, and a request that finds
// its endpoint's slots taken waits in the endpoint's own FIFO until a slot
// frees.
type slots struct {
	latency time.Duration
	epoch   time.Time
	stop    chan struct{} // closed by Fleet.Close

	mu     sync.Mutex
	active queue // requests holding a slot, by deadline
	idle   bool  // the clock waits on wake: nothing holds a slot
	wake   chan struct{}
}

// waiter is a request waiting for its answer: for a slot, then for the
// latency.
type waiter struct {
	ep       *Endpoint
	deadline time.Duration // since epoch
	done     chan struct{} // receives when the latency is over
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

func newSlots(latency time.Duration) *slots {
	s := &slots{latency: latency, epoch: time.Now(), stop: make(chan struct{}), wake: make(chan struct{}, 1)}
	if latency > 0 {
		go s.run()
	}
	return s
}

func (s *slots) now() time.Duration { return time.Since(s.epoch) }

// hold returns once w's request has held one of its endpoint's slots for
// the latency, or false when the fleet is closing.
func (s *slots) hold(w *waiter) bool {
	ep := w.ep
	n := ep.inflight.Add(1)
	for {
		m := ep.maxInflight.Load()
		if n <= m || ep.maxInflight.CompareAndSwap(m, n) {
			break
		}
	}
	defer ep.inflight.Add(-1)
	if s.latency <= 0 {
		// Slots are held for no time: none is ever taken for long.
		return true
	}
	s.mu.Lock()
	if ep.busy < ep.opts.Slots {
		ep.busy++
		w.deadline = s.now() + s.latency
		s.active.push(w)
		if s.idle {
			s.idle = false
			select {
			case s.wake <- struct{}{}:
			default:
			}
		}
	} else {
		ep.waiting.push(w)
	}
	s.mu.Unlock()
	select {
	case <-w.done:
		return true
	case <-s.stop:
		return false
	}
}

// run is the fleet's clock: it answers the requests whose latency is over,
// gives their slots to the requests waiting for one, and sleeps until the
// next deadline.
func (s *slots) run() {
	timer := time.NewTimer(time.Hour)
	var due []*waiter
	for {
		s.mu.Lock()
		if s.active.len() == 0 {
			s.idle = true
			s.mu.Unlock()
			select {
			case <-s.wake:
				continue
			case <-s.stop:
				return
			}
		}
		now := s.now()
		due = due[:0]
		for s.active.len() > 0 && s.active.front().deadline <= now {
			w := s.active.pop()
			due = append(due, w)
			ep := w.ep
			if ep.waiting.len() > 0 {
				// The slot passes on now, as the answer goes out.
				next := ep.waiting.pop()
				next.deadline = now + s.latency
				s.active.push(next)
			} else {
				ep.busy--
			}
		}
		var sleep time.Duration
		if s.active.len() > 0 {
			sleep = s.active.front().deadline - now
		}
		s.mu.Unlock()
		for _, w := range due {
			w.done <- struct{}{}
		}
		if sleep <= 0 {
			continue // nothing holds a slot: wait for a request
		}
		timer.Reset(sleep)
		select {
		case <-timer.C:
		case <-s.stop:
			timer.Stop()
			return
		}
	}
}
