package llm

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows the client's running totals on stderr (on a terminal
// only): answers received, from the cache, in flight, retried, and tokens.
type progress struct {
	once, stopOnce sync.Once
	stop, done     chan struct{}
}

func (c *Client) startProgress() {
	if c.cfg.Quiet || !term.IsTerminal(int(os.Stderr.Fd())) {
		return
	}
	c.progress.once.Do(func() {
		c.progress.stop, c.progress.done = make(chan struct{}), make(chan struct{})
		bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSpinnerType(14),
			progressbar.OptionSetElapsedTime(true), progressbar.OptionClearOnFinish())
		go func() {
			defer close(c.progress.done)
			t := time.NewTicker(200 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-c.progress.stop:
					bar.Finish()
					return
				case <-t.C:
					s := &c.stats
					bar.Describe(fmt.Sprintf("%s: %d answered, %d cached, %d in flight (limit %v), %d retried, %.1fk tokens",
						c.cfg.Model, s.Answered.Load(), s.Cached.Load(), s.InFlight.Load(), c.Limits(), s.Retries.Load(),
						float64(s.PromptTokens.Load()+s.CompletionTokens.Load())/1000))
					bar.Add(0)
				}
			}
		}()
	})
}

func (c *Client) stopProgress() {
	c.progress.once.Do(func() {}) // no bar may start after Close
	c.progress.stopOnce.Do(func() {
		if c.progress.stop != nil {
			close(c.progress.stop)
			<-c.progress.done
		}
	})
}
