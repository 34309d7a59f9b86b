package llm

import (
	"context"
	"sync"
	"time"
)

// watchdog ends requests that outlive their timeout or whose context is
// done: every tick it looks at the connections with a request in flight
// and gives those a read and write deadline in the past, which ends the
// request with a timeout (or the context's error). One goroutine per
// client replaces a SetDeadline and a context.AfterFunc per request, which
// cost more than the rest of a request's bookkeeping; the price is that a
// request ends up to a tick (at most 100 ms, a twentieth of the timeout)
// after its deadline or its context.
type watchdog struct {
	mu      sync.Mutex
	busy    []*hconn // the connections watched; each knows its index (hconn.slot)
	tick    time.Duration
	ticker  *time.Ticker
	started bool
	done    chan struct{}
}

// add watches c's request, which has timeout (0: none) and ctx.
func (w *watchdog) add(c *hconn, ctx context.Context, timeout time.Duration) {
	if timeout <= 0 && ctx.Done() == nil {
		return
	}
	now := time.Now()
	w.mu.Lock()
	if !w.started {
		w.start()
	}
	if tick := tickOf(timeout); tick < w.tick {
		w.tick = tick
		w.ticker.Reset(tick)
	}
	c.ctx, c.deadline = ctx, time.Time{}
	if timeout > 0 {
		c.deadline = now.Add(timeout)
	}
	c.slot = len(w.busy)
	w.busy = append(w.busy, c)
	w.mu.Unlock()
}

// remove stops watching c and reports whether the watchdog ended its
// request (the connection then has a deadline in the past and must be
// closed).
func (w *watchdog) remove(c *hconn) (expired bool) {
	if c.ctx == nil {
		return false // never watched (no timeout and no context to follow)
	}
	w.mu.Lock()
	if !c.expired {
		w.drop(c.slot)
	}
	expired, c.expired, c.ctx = c.expired, false, nil
	w.mu.Unlock()
	return expired
}

// drop removes busy[i]; w.mu is held.
func (w *watchdog) drop(i int) {
	last := len(w.busy) - 1
	w.busy[i] = w.busy[last]
	w.busy[i].slot = i
	w.busy[last] = nil
	w.busy = w.busy[:last]
}

// tickOf is how often requests with timeout are looked at.
func tickOf(timeout time.Duration) time.Duration {
	tick := 100 * time.Millisecond
	if timeout > 0 {
		tick = max(time.Millisecond, min(tick, timeout/20))
	}
	return tick
}

// start starts the watchdog's goroutine; w.mu is held.
func (w *watchdog) start() {
	w.started = true
	w.done = make(chan struct{})
	w.tick = tickOf(0)
	w.ticker = time.NewTicker(w.tick)
	go w.run(w.ticker, w.done)
}

func (w *watchdog) run(t *time.Ticker, done chan struct{}) {
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			w.expire(now)
		}
	}
}

// expire ends the requests past their deadline or whose context is done.
func (w *watchdog) expire(now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var last context.Context // requests mostly share one context: ask it once
	lastDone := false
	for i := len(w.busy) - 1; i >= 0; i-- {
		c := w.busy[i]
		if c.ctx != last {
			last, lastDone = c.ctx, c.ctx.Err() != nil
		}
		if lastDone || (!c.deadline.IsZero() && now.After(c.deadline)) {
			c.c.SetDeadline(time.Unix(1, 0))
			c.expired = true
			w.drop(i)
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
	}
}
