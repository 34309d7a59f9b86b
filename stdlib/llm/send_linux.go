//go:build linux

package llm

import (
	"syscall"
	"unsafe"
)

// iovecs is the room for a request's pieces (head, shared start, rest).
type iovecs = [4]syscall.Iovec

// sendAwait writes bufs on a (non-blocking) socket with one writev and,
// when all of it went out, waits within the same RawConn.Read until the
// answer is readable, without reading it. RawConn.Read clears the socket's
// readiness before calling us, and the request leaves after that, so the
// answer's readiness cannot be missed; and the read that follows finds the
// answer there instead of the EAGAIN a read right after the write gets
// (one system call fewer per request). n is how many bytes were written:
// when n is less than their total, err is the write's error, or nil when
// the socket took only part of them (the caller writes the rest the
// ordinary way); when n is the total, err is the wait's (a deadline).
func sendAwait(rc syscall.RawConn, bufs [][]byte, iov *iovecs) (n int, err error) {
	total, k := 0, 0
	for _, b := range bufs {
		if len(b) == 0 {
			continue
		}
		if k == len(iov) {
			return 0, nil // more pieces than this writes: the ordinary way
		}
		iov[k].Base = &b[0]
		iov[k].SetLen(len(b))
		total += len(b)
		k++
	}
	var werr error
	called := false
	rerr := rc.Read(func(fd uintptr) bool {
		if called {
			return true // readable: the answer (or the end of the connection) is there
		}
		called = true
		r, _, e := syscall.Syscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&iov[0])), uintptr(k))
		switch {
		case e == syscall.EAGAIN:
			return true // the socket is full: the ordinary way
		case e != 0:
			werr = e
			return true
		}
		n = int(r)
		return n < total // all sent: wait for the answer
	})
	for i := range k {
		iov[i].Base = nil // do not keep the body alive
	}
	if werr != nil {
		return n, werr
	}
	return n, rerr
}
