// Package workpool runs numbered jobs on a bounded number of goroutines,
// with deterministic error reporting, and shows a progress bar on a
// terminal; sim and experiment share it.
package workpool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/llmsam/llmsam/internal/session"
)

// Run runs job(0..n-1) on up to workers goroutines and returns the first
// error (by job index, so the error reported does not depend on timing). The
// first failure cancels the jobs not yet started; panics become errors.
func Run(ctx context.Context, n, workers int, job func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = safeJob(ctx, i, job)
				if errs[i] != nil {
					cancel()
				}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) { // the first real error, not a job cancelled because of it
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		for _, e := range errs {
			if e != nil {
				return e
			}
		}
		return err
	}
	return nil
}

func safeJob(ctx context.Context, i int, job func(context.Context, int) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("job %d panicked: %v", i, r)
		}
	}()
	return job(ctx, i)
}

// Progress is a thread-safe progress bar on stderr, shown only on a
// terminal, or the host's own display (a Jupyter kernel's) when it has one.
type Progress struct {
	mu      sync.Mutex
	bar     *progressbar.ProgressBar
	stopped bool // cleared by ClearBars or finished: draws nothing more
	host    session.ProgressBar
}

// bars are the terminal bars not yet finished, for ClearBars.
var bars struct {
	sync.Mutex
	m map[*Progress]bool
}

// ClearBars clears the line of every terminal bar still drawing and
// silences it. The host calls it when a cell or script is interrupted,
// before saying so: the interrupted code runs on until it next checks its
// context, and its bar would otherwise stay on the line of the message (or
// be drawn after it).
func ClearBars() {
	bars.Lock()
	defer bars.Unlock()
	for p := range bars.m {
		p.mu.Lock()
		if !p.stopped {
			p.stopped = true
			p.bar.Clear()
		}
		p.mu.Unlock()
		delete(bars.m, p)
	}
}

// NewProgress returns a bar counting to total, labelled label; quiet, a
// non-positive total or a stderr that is not a terminal (and no host
// display) give a silent one.
func NewProgress(quiet bool, total int, label string) *Progress {
	p := &Progress{}
	if !quiet && total > 0 {
		if p.host = session.StartProgress(label, total); p.host != nil {
			return p
		}
	}
	if quiet || total <= 0 || !term.IsTerminal(int(os.Stderr.Fd())) {
		return p
	}
	return terminalProgress(p, os.Stderr, total, label)
}

// terminalProgress draws p as a bar on w (a terminal).
func terminalProgress(p *Progress, w io.Writer, total int, label string) *Progress {
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(label),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
	bars.Lock()
	if bars.m == nil {
		bars.m = map[*Progress]bool{}
	}
	bars.m[p] = true
	bars.Unlock()
	return p
}

// Add advances the bar by n.
func (p *Progress) Add(n int) {
	if p.host != nil {
		p.host.Add(n)
		return
	}
	if p.bar == nil {
		return
	}
	p.mu.Lock()
	if !p.stopped {
		p.bar.Add(n)
	}
	p.mu.Unlock()
}

// Finish clears the bar.
func (p *Progress) Finish() {
	if p.host != nil {
		p.host.Finish()
	}
	if p.bar == nil {
		return
	}
	p.mu.Lock()
	if !p.stopped {
		p.stopped = true
		p.bar.Finish()
	}
	p.mu.Unlock()
	bars.Lock()
	delete(bars.m, p)
	bars.Unlock()
}
