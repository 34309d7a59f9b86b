package jupyter

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
)

// capture routes the process's stdout and stderr (file descriptors 1 and
// 2) into the cells' streams, so that what compiled code, os.Stdout,
// os.Stderr and the log package print reaches the notebook. sync makes sure
// everything written before it has been read.
type capture struct {
	log     *os.File // the process's stderr before the capture
	readers []*pipeReader
	restore func()
}

// pipeReader copies one pipe into a stream and answers sync markers.
type pipeReader struct {
	r      *os.File
	w      *os.File // the write end: fd 1 or 2 after the capture
	to     io.Writer
	mu     sync.Mutex
	seq    int
	synced chan int
}

func (p *pipeReader) loop() {
	buf := make([]byte, 32*1024)
	var pending []byte
	for {
		n, err := p.r.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.Index(pending, syncPrefix)
			if i < 0 {
				break
			}
			end := bytes.IndexByte(pending[i+len(syncPrefix):], 0)
			if end < 0 {
				break // the marker is not complete yet
			}
			p.to.Write(pending[:i])
			var seq int
			fmt.Sscanf(string(pending[i+len(syncPrefix):i+len(syncPrefix)+end]), "%d", &seq)
			pending = pending[i+len(syncPrefix)+end+1:]
			p.synced <- seq
		}
		// keep a possible start of a marker for the next read
		keep := 0
		if i := bytes.LastIndexByte(pending, syncPrefix[0]); i >= 0 && bytes.HasPrefix(syncPrefix, pending[i:min(len(pending), i+len(syncPrefix))]) {
			keep = len(pending) - i
		}
		p.to.Write(pending[:len(pending)-keep])
		pending = append([]byte(nil), pending[len(pending)-keep:]...)
		if err != nil {
			return
		}
	}
}

var syncPrefix = []byte("\x00llmsam-sync:")

// sync waits until everything written to the pipe so far has been copied.
func (p *pipeReader) sync() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	fmt.Fprintf(p.w, "%s%d\x00", syncPrefix, p.seq)
	for got := range p.synced {
		if got == p.seq {
			return
		}
	}
}

func (c *capture) sync() {
	for _, r := range c.readers {
		r.sync()
	}
}
