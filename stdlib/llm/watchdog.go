package llm

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// watchdog ends requests that outlive their timeout or whose context is
// done: every tick it looks at the connections with a request in flight
// and gives those a read and write deadline in the past, which ends the
// request with a timeout (or the context's error). One goroutine per
// client replaces a SetDeadline and a context.AfterFunc per request, which
// cost more than the rest of a request's bookkeeping; the price is that a
// request ends up to a tick (at most 100 ms, a twentieth of the timeout)
// after its deadline or its context. Each pool keeps its own list of
// connections in flight (a watchList), so that requests to different
// endpoints do not wait for one another.
type watchdog struct {
	mu      sync.Mutex // guards the fields below but tick's reads
	lists   []*watchList
	tick    atomic.Int64 // the current tick in nanoseconds; 0 until started
	ticker  *time.Ticker
	started bool
	done    chan struct{}
}

// watchList is one pool's connections with a request in flight; each knows
// its index (hconn.slot).
type watchList struct {
	mu   sync.Mutex
	busy []*hconn
	_    [32]byte // a cache line of its own
}

// list returns a new list the watchdog looks at.
func (w *watchdog) list() *watchList {
	l := &watchList{}
	w.mu.Lock()
	w.lists = append(w.lists, l)
	w.mu.Unlock()
	return l
}

// add watches c's request, which has timeout (0: none) and ctx, in l.
func (w *watchdog) add(l *watchList, c *hconn, ctx context.Context, timeout time.Duration) {
	if timeout <= 0 && ctx.Done() == nil {
		return
	}
	if t := w.tick.Load(); t == 0 || time.Duration(t) > tickOf(timeout) {
		w.ensure(timeout)
	}
	now := time.Now()
	l.mu.Lock()
	c.ctx, c.deadline = ctx, time.Time{}
	if timeout > 0 {
		c.deadline = now.Add(timeout)
	}
	c.slot = len(l.busy)
	l.busy = append(l.busy, c)
	l.mu.Unlock()
}

// ensure starts the watchdog's goroutine, and makes it tick often enough
// for timeout.
func (w *watchdog) ensure(timeout time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.started {
		w.started = true
		w.done = make(chan struct{})
		w.tick.Store(int64(tickOf(0)))
		w.ticker = time.NewTicker(tickOf(0))
		go w.run(w.ticker, w.done)
	}
	if tick := tickOf(timeout); tick < time.Duration(w.tick.Load()) {
		w.tick.Store(int64(tick))
		w.ticker.Reset(tick)
	}
}

// remove stops watching c (in l) and reports whether the watchdog ended
// its request (the connection then has a deadline in the past and must be
// closed).
func (w *watchdog) remove(l *watchList, c *hconn) (expired bool) {
	if c.ctx == nil {
		return false // never watched (no timeout and no context to follow)
	}
	l.mu.Lock()
	if !c.expired {
		l.drop(c.slot)
	}
	expired, c.expired, c.ctx = c.expired, false, nil
	l.mu.Unlock()
	return expired
}

// drop removes busy[i]; l.mu is held.
func (l *watchList) drop(i int) {
	last := len(l.busy) - 1
	l.busy[i] = l.busy[last]
	l.busy[i].slot = i
	l.busy[last] = nil
	l.busy = l.busy[:last]
}

// tickOf is how often requests with timeout are looked at.
func tickOf(timeout time.Duration) time.Duration {
	tick := 100 * time.Millisecond
	if timeout > 0 {
		tick = max(time.Millisecond, min(tick, timeout/20))
	}
	return tick
}

func (w *watchdog) run(t *time.Ticker, done chan struct{}) {
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			w.mu.Lock()
			lists := w.lists
			w.mu.Unlock()
			for _, l := range lists {
				l.expire(now)
			}
		}
	}
}

// expire ends l's requests past their deadline or whose context is done.
func (l *watchList) expire(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var last context.Context // requests mostly share one context: ask it once
	lastDone := false
	for i := len(l.busy) - 1; i >= 0; i-- {
		c := l.busy[i]
		if c.ctx != last {
			last, lastDone = c.ctx, c.ctx.Err() != nil
		}
		if lastDone || (!c.deadline.IsZero() && now.After(c.deadline)) {
			c.c.SetDeadline(time.Unix(1, 0))
			c.expired = true
			l.drop(i)
		}
	}
}

// stop ends the watchdog's goroutine (a later request starts it again).
func (w *watchdog) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.started {
		close(w.done)
		w.started = false
		w.tick.Store(0)
	}
}
