//go:build !unix

package llm

import "syscall"

// peekOpen cannot look at a socket here: the caller falls back to a read
// with a short deadline.
func peekOpen(sc syscall.Conn) (open, ok bool) { return false, false }
