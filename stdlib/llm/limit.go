package llm

// limiter is one endpoint's in-flight limit, adapted to what the server
// takes (additive increase, multiplicative decrease, as TCP does): it
// starts small and grows by one per answer until the first sign of
// overload (slow start), then by one per limit's worth of answers; a
// timeout, a 429, a 503 or a dropped connection halves it, at most once
// per round of requests in flight. It never exceeds max: Config.Concurrency,
// or the server's slot count where llama-server's /props gives one. It is
// not safe for concurrent use: the router guards it.
type limiter struct {
	max      int     // upper bound
	limit    float64 // current limit, 1..max
	inflight int
	slow     bool   // slow start: +1 per answer until the first overload
	epoch    uint64 // bumped on every decrease
}

// initialLimit is where slow start begins.
const initialLimit = 8

func newLimiter(max int) *limiter {
	return &limiter{max: max, limit: float64(min(max, initialLimit)), slow: true}
}

// setSlots caps the limit at a server's slot count and starts there: a
// llama-server with n slots answers n requests at once and queues the
// rest, where they can only time out.
func (l *limiter) setSlots(n int) {
	if n > 0 && n < l.max {
		l.max = n
	}
	l.limit, l.slow = float64(l.max), false
}

// room reports whether another request may start.
func (l *limiter) room() bool { return l.inflight < int(l.limit) }

// start counts a request in flight and returns the epoch it started in.
func (l *limiter) start() uint64 {
	l.inflight++
	return l.epoch
}

// done counts a request out: ok for an answer, overload for a sign that
// the server has too much to do, neither for other failures.
func (l *limiter) done(epoch uint64, ok, overload bool) {
	l.inflight--
	switch {
	case ok && l.slow:
		l.limit++
	case ok:
		l.limit += 1 / l.limit
	case overload && epoch == l.epoch:
		// Requests started before the last decrease saw the old limit:
		// their overloads do not halve it again.
		l.limit = max(1, l.limit/2)
		l.epoch++
		l.slow = false
	}
	l.limit = min(l.limit, float64(l.max))
}

// Limit returns the current in-flight limit.
func (l *limiter) current() int { return int(l.limit) }
