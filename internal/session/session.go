// Package session carries what the scripting host shares with the compiled
// stdlib while a script or REPL cell runs: the cell's cancellation context,
// which functions without a context argument (sim.Run, sim.RunSweep) obey so
// that Ctrl-C reaches their loops, and a hook announcing saved figures.
// Outside a host both are inert: the context is never cancelled and no one
// listens.
package session

import (
	"context"
	"sync"
)

var (
	mu      sync.Mutex
	ctx     = context.Background()
	figures func(path string)
)

// Context returns the context of the running cell or script.
func Context() context.Context {
	mu.Lock()
	defer mu.Unlock()
	return ctx
}

// SetContext installs the context of a cell and returns a function that
// restores the previous one.
func SetContext(c context.Context) (restore func()) {
	mu.Lock()
	prev := ctx
	ctx = c
	mu.Unlock()
	return func() {
		mu.Lock()
		ctx = prev
		mu.Unlock()
	}
}

// OnFigure sets the function told about every figure saved (nil to stop)
// and returns the one it replaces, so that a caller can chain to it and
// restore it.
func OnFigure(fn func(path string)) (previous func(path string)) {
	mu.Lock()
	previous, figures = figures, fn
	mu.Unlock()
	return previous
}

// FigureSaved tells the host that a figure was written to path.
func FigureSaved(path string) {
	mu.Lock()
	fn := figures
	mu.Unlock()
	if fn != nil {
		fn(path)
	}
}
