package sim

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

// parallel runs job(0..n-1) on up to workers goroutines and returns the first
// error (by job index, so the error reported does not depend on timing). The
// first failure cancels the jobs not yet started; panics become errors.
func parallel(ctx context.Context, n, workers int, job func(ctx context.Context, i int) error) error {
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

// progress is a thread-safe progress bar on stderr, shown only on a
// terminal, or the host's own display (a Jupyter kernel's) when it has one.
type progress struct {
	mu   sync.Mutex
	bar  *progressbar.ProgressBar
	host session.ProgressBar
}

func newProgress(quiet bool, total int, label string) *progress {
	p := &progress{}
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

func (p *progress) add(n int) {
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

func (p *progress) finish() {
	if p.host != nil {
		p.host.Finish()
	}
	if p.bar != nil {
		p.bar.Finish()
	}
}
