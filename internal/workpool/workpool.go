// Package workpool runs numbered jobs on a bounded number of goroutines,
// with deterministic error reporting, and shows a progress bar on a
// terminal; sim and experiment share it.
package workpool

import (
	"context"
	"errors"
	"fmt"
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
	mu   sync.Mutex
	bar  *progressbar.ProgressBar
	host session.ProgressBar
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
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription(label),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
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
	p.bar.Add(n)
	p.mu.Unlock()
}

// Finish clears the bar.
func (p *Progress) Finish() {
	if p.host != nil {
		p.host.Finish()
	}
	if p.bar != nil {
		p.bar.Finish()
	}
}
