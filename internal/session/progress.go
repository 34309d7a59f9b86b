package session

// ProgressBar receives a long task's progress: Add as units of work finish
// (from any goroutine), Finish once at the end.
type ProgressBar interface {
	Add(n int)
	Finish()
}

var progress func(label string, total int) ProgressBar

// OnProgress sets the function that starts a progress display for a host
// that is not a terminal (a Jupyter kernel); nil to stop.
func OnProgress(fn func(label string, total int) ProgressBar) {
	mu.Lock()
	progress = fn
	mu.Unlock()
}

// StartProgress returns the host's progress display for a task of total
// units, or nil when no host listens (the caller then draws its own bar on
// a terminal, or nothing).
func StartProgress(label string, total int) ProgressBar {
	mu.Lock()
	fn := progress
	mu.Unlock()
	if fn == nil {
		return nil
	}
	return fn(label, total)
}
