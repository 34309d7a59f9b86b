//go:build !linux

package llm

import "syscall"

// iovecs is unused elsewhere than on Linux.
type iovecs = struct{}

// sendAwait is the Linux fast path of roundTrip; elsewhere requests are
// written and read the ordinary way.
func sendAwait(rc syscall.RawConn, bufs [][]byte, iov *iovecs) (n int, err error) {
	return 0, nil
}
