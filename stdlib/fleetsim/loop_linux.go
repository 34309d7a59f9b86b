package fleetsim

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

const haveLoop = true

// loop serves all of a fleet's endpoints from one goroutine with epoll, as
// an event-driven server (nginx, vLLM's uvicorn) does: no goroutine per
// connection, and no read that finds nothing. Connections are registered
// edge-triggered; a read that does not fill the buffer has emptied the
// socket (the next bytes bring a new event), so a request that arrived
// whole costs one read, and its answer one write. epoll_wait sleeps until
// the next event or the slots' next deadline.
type loop struct {
	fleet     *Fleet
	slots     *slots
	epfd      int
	wakeR     int // a pipe that wakes the loop for Close and SetFault
	wakeW     int
	listeners map[int]*Endpoint // by file descriptor
	conns     []*rconn          // by file descriptor
	due       []*waiter
	events    [256]syscall.EpollEvent

	stopping atomic.Bool
	faults   atomic.Bool // an endpoint's fault changed
	done     chan struct{}
	mu       sync.Mutex // guards wakeW against Close
	closed   bool
}

// rconn is one connection of the loop.
type rconn struct {
	fd         int
	ep         *Endpoint
	buf        []byte // buf[start:end] holds bytes read and not yet used
	start, end int
	out        []byte
	unsent     []byte // the part of a response the socket did not take yet
	wait       waiter
	busy       bool // out holds a completion that waits in the slots
	closing    bool // and its request asked to close the connection
	closeAfter bool // close once the response in progress is out
	eof        bool // the client closed its side
	closed     bool
	watchOut   bool // EPOLLOUT is registered
}

const connEvents = uint32(syscall.EPOLLIN|syscall.EPOLLRDHUP) | 1<<31 // 1<<31: EPOLLET (untyped, it overflows uint32)

func startLoop(f *Fleet, s *slots) (*loop, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		syscall.Close(epfd)
		return nil, err
	}
	l := &loop{fleet: f, slots: s, epfd: epfd, wakeR: p[0], wakeW: p[1], listeners: map[int]*Endpoint{}, done: make(chan struct{})}
	fail := func(err error) (*loop, error) {
		syscall.Close(epfd)
		syscall.Close(p[0])
		syscall.Close(p[1])
		return nil, err
	}
	if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, p[0], &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(p[0])}); err != nil {
		return fail(err)
	}
	for _, ep := range f.endpoints {
		tl, ok := ep.ln.(*net.TCPListener)
		if !ok {
			return fail(errors.New("listener is not TCP"))
		}
		rc, err := tl.SyscallConn()
		if err != nil {
			return fail(err)
		}
		fd := -1
		rc.Control(func(u uintptr) { fd = int(u) })
		// Edge-triggered too: accept takes the whole backlog; when it
		// cannot (out of file descriptors), the next connection retries
		// rather than the loop spinning.
		if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, fd, &syscall.EpollEvent{Events: syscall.EPOLLIN | 1<<31, Fd: int32(fd)}); err != nil {
			return fail(err)
		}
		l.listeners[fd] = ep
	}
	go l.run()
	return l, nil
}

// close stops the loop and closes its connections.
func (l *loop) close() {
	l.mu.Lock()
	l.stopping.Store(true)
	syscall.Write(l.wakeW, []byte{1})
	l.mu.Unlock()
	<-l.done
	l.mu.Lock()
	l.closed = true
	syscall.Close(l.wakeR)
	syscall.Close(l.wakeW)
	l.mu.Unlock()
}

// faultChanged makes the loop apply the endpoints' faults to their open
// connections.
func (l *loop) faultChanged() {
	l.faults.Store(true)
	l.mu.Lock()
	if !l.closed {
		syscall.Write(l.wakeW, []byte{1})
	}
	l.mu.Unlock()
}

func (l *loop) run() {
	defer close(l.done)
	defer l.shutdown()
	for {
		timeout := -1
		if next, ok := l.slots.next(); ok {
			// epoll_wait counts milliseconds: round up, never answer early.
			timeout = max(0, int((next-l.slots.now()+time.Millisecond-1)/time.Millisecond))
		}
		n, err := syscall.EpollWait(l.epfd, l.events[:], timeout)
		if err != nil && err != syscall.EINTR {
			// Only a bug makes epoll_wait fail: stop loudly, not by
			// ceasing to answer.
			panic("fleetsim: epoll_wait: " + err.Error())
		}
		for i := range max(n, 0) {
			ev := l.events[i]
			fd := int(ev.Fd)
			if fd == l.wakeR {
				var b [64]byte
				for {
					if n, _ := syscall.Read(l.wakeR, b[:]); n <= 0 {
						break
					}
				}
				if l.stopping.Load() {
					return
				}
				if l.faults.Swap(false) {
					l.applyFaults()
				}
				continue
			}
			if ep := l.listeners[fd]; ep != nil {
				l.accept(fd, ep)
				continue
			}
			if fd >= len(l.conns) || l.conns[fd] == nil {
				continue
			}
			c := l.conns[fd]
			if ev.Events&syscall.EPOLLERR != 0 {
				l.closeConn(c)
				continue
			}
			if ev.Events&(syscall.EPOLLIN|syscall.EPOLLRDHUP|syscall.EPOLLHUP) != 0 {
				l.readable(c)
			}
			if ev.Events&syscall.EPOLLOUT != 0 && !c.closed && len(c.unsent) > 0 {
				l.flush(c)
			}
		}
		l.due = l.slots.due(l.due[:0], l.slots.now())
		for i, w := range l.due {
			l.finish(w.owner.(*rconn))
			l.due[i] = nil
		}
	}
}

func (l *loop) shutdown() {
	for _, c := range l.conns {
		if c != nil {
			l.closeConn(c)
		}
	}
	syscall.Close(l.epfd)
}

func (l *loop) accept(lfd int, ep *Endpoint) {
	for {
		fd, _, err := syscall.Accept4(lfd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
		if err == syscall.EINTR || err == syscall.ECONNABORTED {
			continue
		}
		if err != nil {
			return // EAGAIN: no more; others (EMFILE): the next connection tries again
		}
		if Fault(ep.fault.Load()) == Drop {
			syscall.Close(fd)
			continue
		}
		syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
		c := &rconn{fd: fd, ep: ep, buf: make([]byte, bufSize), out: make([]byte, headerRoom, 1024)}
		c.wait = waiter{ep: ep, owner: c}
		if err := syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_ADD, fd, &syscall.EpollEvent{Events: connEvents, Fd: int32(fd)}); err != nil {
			syscall.Close(fd)
			continue
		}
		for fd >= len(l.conns) {
			l.conns = append(l.conns, nil)
		}
		l.conns[fd] = c
	}
}

// readable reads what the socket holds and serves the requests it
// completes.
func (l *loop) readable(c *rconn) {
	for !c.eof {
		if c.end == len(c.buf) && !l.fit(c, max(2*(c.end-c.start), bufSize)) {
			l.closeConn(c)
			return
		}
		n, err := recv(c.fd, c.buf[c.end:])
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.EAGAIN {
			break
		}
		if err != nil {
			l.closeConn(c)
			return
		}
		if n == 0 {
			c.eof = true
			break
		}
		c.end += n
		if c.end < len(c.buf) {
			break // the socket is empty: more bytes bring a new event
		}
	}
	l.process(c)
}

// fit makes the buffer hold size bytes from c.start (false: too large).
func (l *loop) fit(c *rconn, size int) bool {
	if size > maxHead+maxBody+bufSize {
		return false
	}
	have := c.end - c.start
	if size <= len(c.buf) {
		copy(c.buf, c.buf[c.start:c.end])
		c.start, c.end = 0, have
		return true
	}
	buf := make([]byte, max(size, len(c.buf)))
	copy(buf, c.buf[c.start:c.end])
	c.buf, c.start, c.end = buf, 0, have
	return true
}

// process serves the complete requests in c's buffer, one at a time: the
// next is read once the previous one is answered.
func (l *loop) process(c *rconn) {
	for !c.closed && !c.busy && len(c.unsent) == 0 && !c.closeAfter {
		r, n, want, err := parse(c.buf[c.start:c.end])
		if err != nil {
			l.send(c, 400, badRequest, true)
			return
		}
		if n == 0 {
			if c.start == c.end {
				c.start, c.end = 0, 0
			}
			if want > len(c.buf)-c.start && !l.fit(c, want) {
				l.closeConn(c)
				return
			}
			break
		}
		c.start += n
		switch act, status, body := c.ep.route(&r); act {
		case drop:
			l.closeConn(c)
			return
		case reply:
			l.send(c, status, body, r.closing)
		case complete:
			// Answered now, while the body is in the cache; sent once the
			// request has held a slot for the latency.
			c.out = answer(c.out[:headerRoom], r.body, r.chat(), c.ep.ids.Add(1))
			c.closing, c.busy = r.closing, true
			l.slots.admit(&c.wait, l.slots.now())
		}
	}
	if c.eof && !c.closed && !c.busy && len(c.unsent) == 0 {
		l.closeConn(c)
	}
}

// finish sends c's completion, whose latency is over.
func (l *loop) finish(c *rconn) {
	if c.closed {
		return
	}
	c.busy = false
	c.ep.served.Add(1)
	l.write(c, frame(c.out, 200, c.closing), c.closing)
	l.process(c)
}

// send writes a response with a fixed body.
func (l *loop) send(c *rconn, status int, body string, closing bool) {
	c.out = append(c.out[:headerRoom], body...)
	l.write(c, frame(c.out, status, closing), closing)
}

// write writes a response; what the socket does not take waits for
// EPOLLOUT.
func (l *loop) write(c *rconn, b []byte, closing bool) {
	if closing {
		c.closeAfter = true
	}
	for len(b) > 0 {
		n, err := send(c.fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.EAGAIN {
			break
		}
		if err != nil {
			l.closeConn(c)
			return
		}
		b = b[n:]
	}
	if len(b) > 0 {
		c.unsent = b
		if !c.watchOut {
			c.watchOut = true
			syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_MOD, c.fd, &syscall.EpollEvent{Events: connEvents | syscall.EPOLLOUT, Fd: int32(c.fd)})
		}
		return
	}
	c.unsent = nil
	if c.watchOut {
		c.watchOut = false
		syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_MOD, c.fd, &syscall.EpollEvent{Events: connEvents, Fd: int32(c.fd)})
	}
	if c.closeAfter {
		l.closeConn(c)
	}
}

// flush writes what the socket did not take, then serves what waits.
func (l *loop) flush(c *rconn) {
	l.write(c, c.unsent, c.closeAfter)
	if !c.closed && len(c.unsent) == 0 {
		l.process(c)
	}
}

func (l *loop) closeConn(c *rconn) {
	if c.closed {
		return
	}
	c.closed = true
	syscall.Close(c.fd)
	l.conns[c.fd] = nil
}

// applyFaults closes the connections of the endpoints that drop them.
func (l *loop) applyFaults() {
	for _, c := range l.conns {
		if c != nil && Fault(c.ep.fault.Load()) == Drop {
			l.closeConn(c)
		}
	}
}

// recv and send are read and write for the loop's non-blocking sockets:
// recvfrom and sendto skip the file layer's work for sockets, and as they
// never block, they are raw system calls that skip the scheduler's
// bookkeeping.
func recv(fd int, b []byte) (int, error) {
	n, _, e := syscall.RawSyscall6(syscall.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

func send(fd int, b []byte) (int, error) {
	n, _, e := syscall.RawSyscall6(syscall.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), syscall.MSG_NOSIGNAL, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
