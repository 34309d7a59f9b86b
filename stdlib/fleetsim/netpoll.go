package fleetsim

import (
	"io"
	"net"
	"sync"
	"time"
)

// The portable server: a goroutine per connection on Go's network poller,
// and a clock goroutine that wakes the requests whose latency is over.
// Linux uses the event loop of loop_linux.go instead, which costs less
// CPU per request.

// clock runs the fleet's slots for the goroutine server.
type clock struct {
	mu    sync.Mutex
	slots *slots
	idle  bool // run waits on wake: no request holds a slot
	wake  chan struct{}
	stop  chan struct{} // closed by Fleet.Close
}

func newClock(s *slots) *clock {
	c := &clock{slots: s, wake: make(chan struct{}, 1), stop: make(chan struct{})}
	go c.run()
	return c
}

// hold returns once w has held a slot for the latency (false: the fleet
// is closing).
func (c *clock) hold(w *waiter) bool {
	done := w.owner.(chan struct{})
	c.mu.Lock()
	c.slots.admit(w, c.slots.now())
	if c.idle {
		c.idle = false
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
	c.mu.Unlock()
	select {
	case <-done:
		return true
	case <-c.stop:
		return false
	}
}

// run answers the requests whose latency is over and sleeps until the next
// deadline.
func (c *clock) run() {
	timer := time.NewTimer(time.Hour)
	var due []*waiter
	for {
		c.mu.Lock()
		now := c.slots.now()
		due = c.slots.due(due[:0], now)
		next, ok := c.slots.next()
		c.idle = !ok
		c.mu.Unlock()
		for _, w := range due {
			w.owner.(chan struct{}) <- struct{}{}
		}
		if !ok {
			select {
			case <-c.wake:
				continue
			case <-c.stop:
				return
			}
		}
		timer.Reset(next - now)
		select {
		case <-timer.C:
		case <-c.stop:
			timer.Stop()
			return
		}
	}
}

// serveGoroutines accepts connections and serves each on its goroutine.
func (e *Endpoint) serveGoroutines(wg *sync.WaitGroup, c *clock) {
	for {
		nc, err := e.ln.Accept()
		if err != nil {
			return
		}
		if Fault(e.fault.Load()) == Drop {
			nc.Close()
			continue
		}
		e.conns.Store(nc, nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer e.conns.Delete(nc)
			defer nc.Close()
			e.handle(nc, c)
		}()
	}
}

// conn is one connection's buffers: requests are read straight from the
// socket (a request that arrived whole is one read) and responses written
// with one write.
type conn struct {
	c     net.Conn
	buf   []byte // buf[start:end] holds bytes read and not yet used
	start int
	end   int
	out   []byte
}

func (e *Endpoint) handle(nc net.Conn, c *clock) {
	cn := &conn{c: nc, buf: make([]byte, bufSize), out: make([]byte, headerRoom, 1024)}
	w := &waiter{ep: e, owner: make(chan struct{}, 1)}
	for {
		r, err := cn.read()
		if err != nil {
			if err == errBadRequest {
				cn.write(400, badRequest, true)
			}
			return
		}
		act, status, body := e.route(&r)
		switch act {
		case drop:
			return
		case reply:
			err = cn.write(status, body, r.closing)
		case complete:
			cn.out = answer(cn.out[:headerRoom], r.body, r.chat(), e.ids.Add(1))
			if !c.hold(w) {
				return
			}
			e.served.Add(1)
			_, err = nc.Write(frame(cn.out, 200, r.closing))
		}
		if err != nil || r.closing {
			return
		}
	}
}

// write writes a response with a fixed body.
func (cn *conn) write(status int, body string, closing bool) error {
	cn.out = append(cn.out[:headerRoom], body...)
	_, err := cn.c.Write(frame(cn.out, status, closing))
	return err
}

// read returns the next request. The bytes of the previous one are
// dropped; bytes after the request stay for the next call.
func (cn *conn) read() (request, error) {
	for {
		r, n, want, err := parse(cn.buf[cn.start:cn.end])
		if err != nil {
			return request{}, err
		}
		if n > 0 {
			cn.start += n
			return r, nil
		}
		// Not all there: make room for all of it, and read more.
		if cn.start == cn.end {
			cn.start, cn.end = 0, 0
		}
		if have := cn.end - cn.start; cn.end == len(cn.buf) || want > len(cn.buf)-cn.start {
			buf := cn.buf
			if size := max(want, 2*have, bufSize); size > len(buf) {
				buf = make([]byte, size)
			}
			cn.end = copy(buf, cn.buf[cn.start:cn.end])
			cn.buf, cn.start = buf, 0
		}
		m, err := cn.c.Read(cn.buf[cn.end:])
		cn.end += m
		if m == 0 && err != nil {
			if err == io.EOF && cn.end > cn.start {
				return request{}, io.ErrUnexpectedEOF
			}
			return request{}, err
		}
	}
}
