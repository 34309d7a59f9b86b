//go:build unix

package jupyter

import (
	"io"
	"os"
	"runtime/debug"

	"golang.org/x/sys/unix"
)

// startCapture redirects file descriptors 1 and 2 into pipes copied to
// stdout and stderr.
func startCapture(stdout, stderr io.Writer) (*capture, error) {
	logFD, err := unix.Dup(2)
	if err != nil {
		return nil, err
	}
	c := &capture{log: os.NewFile(uintptr(logFD), "stderr")}
	// A crash of the process must still be seen where it was before.
	debug.SetCrashOutput(c.log, debug.CrashOptions{})
	var saved []int
	for _, s := range []struct {
		fd int
		to io.Writer
	}{{1, stdout}, {2, stderr}} {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		old, err := unix.Dup(s.fd)
		if err != nil {
			return nil, err
		}
		saved = append(saved, old)
		if err := unix.Dup2(int(w.Fd()), s.fd); err != nil {
			return nil, err
		}
		p := &pipeReader{r: r, w: w, to: s.to, synced: make(chan int, 4)}
		c.readers = append(c.readers, p)
		go p.loop()
	}
	c.restore = func() {
		c.sync()
		for i, fd := range []int{1, 2} {
			unix.Dup2(saved[i], fd)
			unix.Close(saved[i])
		}
		debug.SetCrashOutput(nil, debug.CrashOptions{})
	}
	return c, nil
}
