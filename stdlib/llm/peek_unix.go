//go:build unix

package llm

import "syscall"

// peekOpen looks at a socket without reading or blocking: open when there
// is nothing to read yet, closed on an end of file or unexpected data. ok
// is false when the socket could not be looked at.
func peekOpen(sc syscall.Conn) (open, ok bool) {
	raw, err := sc.SyscallConn()
	if err != nil {
		return false, false
	}
	var buf [1]byte
	err = raw.Read(func(fd uintptr) bool {
		n, _, rerr := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK:
			open, ok = true, true
		case rerr == nil && n == 0: // end of file
			open, ok = false, true
		case rerr == nil: // data nobody asked for
			open, ok = false, true
		default:
			open, ok = false, true
		}
		return true // done: never wait for readability
	})
	if err != nil {
		return false, false
	}
	return open, ok
}
