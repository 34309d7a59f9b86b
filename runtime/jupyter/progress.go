package jupyter

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/llmsam/llmsam/internal/session"
)

// progress is a long run's progress shown as a display that is updated in
// place (update_display_data), once the run has lasted ProgressAfter.
type progress struct {
	e      *Executor
	cell   int // the cell it belongs to
	label  string
	total  int
	id     string
	start  time.Time
	done   atomic.Int64
	stop   chan struct{}
	ended  chan struct{}
	once   sync.Once
	shown  bool
	lastAt int64
}

// startProgress is the session's progress hook while a cell runs.
func (e *Executor) startProgress(label string, total int) session.ProgressBar {
	e.mu.Lock()
	running, cell := e.emit != nil, e.cell
	e.displays++
	id := fmt.Sprintf("llmsam-progress-%d-%d", time.Now().UnixNano(), e.displays)
	e.mu.Unlock()
	if !running {
		return nil
	}
	if label == "" {
		label = "run"
	}
	p := &progress{e: e, cell: cell, label: label, total: total, id: id, start: time.Now(), stop: make(chan struct{}), ended: make(chan struct{}), lastAt: -1}
	go p.loop()
	return p
}

// Add records n more units done.
func (p *progress) Add(n int) { p.done.Add(int64(n)) }

// Finish ends the display with the final count and the time taken (if it
// was shown at all).
func (p *progress) Finish() {
	p.once.Do(func() {
		close(p.stop)
		<-p.ended
		if p.shown {
			p.e.sendFor(p.cell, Output{Type: UpdateDisplayType, DisplayID: p.id,
				Data: Bundle{"text/plain": p.line() + fmt.Sprintf(" in %.1fs", time.Since(p.start).Seconds())}})
		}
	})
}

func (p *progress) loop() {
	defer close(p.ended)
	t := time.NewTicker(p.e.opt.ProgressEvery)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			if time.Since(p.start) < p.e.opt.ProgressAfter {
				continue
			}
			d := p.done.Load()
			if d == p.lastAt {
				continue
			}
			p.lastAt = d
			typ := UpdateDisplayType
			if !p.shown {
				typ, p.shown = DisplayType, true
			}
			p.e.sendFor(p.cell, Output{Type: typ, DisplayID: p.id, Data: Bundle{"text/plain": p.line()}})
		}
	}
}

// line draws the bar: "label [#########-----------] 45/100".
func (p *progress) line() string {
	d := int(p.done.Load())
	const width = 30
	filled := 0
	if p.total > 0 {
		filled = min(width, d*width/p.total)
	}
	return fmt.Sprintf("%s [%s%s] %d/%d", p.label, strings.Repeat("#", filled), strings.Repeat("-", width-filled), d, p.total)
}
