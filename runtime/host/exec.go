package host

import (
	"bytes"
	"context"
	"reflect"
	"regexp"
	"sync"
)

// This file is the host's API for front ends (the REPL, the notebook
// runner, the Jupyter kernel): run a cell and get back everything it
// produced, complete a name at a cursor, show documentation, decide
// whether input is complete.

// Cell is one unit of input.
type Cell struct {
	// Name is used in error positions: "cell 3", or a notebook's path.
	Name string
	// FirstLine is the line of the cell's first line in Name (a notebook's
	// code block); 0 means 1.
	FirstLine int
	Source    string
}

// Outcome is everything running a cell produced.
type Outcome struct {
	// Stdout and Stderr are what the cell wrote while it ran with fmt's
	// print functions and log (they are also written to Options.Stdout and
	// Options.Stderr as it runs). Writes to os.Stdout and os.Stderr go to
	// the process's own streams: yaegi binds those names to the real files.
	Stdout, Stderr string
	// Value is the value of the cell's last expression, when it has one
	// worth showing (see Result); Display is its text as the REPL prints it
	// (type, truncation), "" when there is nothing to show.
	Value   reflect.Value
	Display string
	// Figures are the files (PNG, SVG, PDF) the cell saved through plots,
	// in order, as the paths it gave.
	Figures []string
	// Notes are the host's remarks about the cell (e.g. a renamed main).
	Notes []string
	// Err is nil, or *CompileError (with Pos: the cell's line and column),
	// PanicError (with Pos and Trace), ExitError (the cell called os.Exit),
	// or the context's error when the cell was cancelled.
	Err error
}

// Exec runs a cell and collects what it produced. It is RunCellAt with
// the output captured; the host's session state (names, imports) persists
// from cell to cell as with RunCell.
func (h *Host) Exec(ctx context.Context, c Cell) Outcome {
	first := c.FirstLine
	if first < 1 {
		first = 1
	}
	h.stdout.capture(true)
	h.stderr.capture(true)
	res, err := h.RunCellAt(ctx, c.Name, first, c.Source)
	out := Outcome{
		Stdout: h.stdout.capture(false),
		Stderr: h.stderr.capture(false),
		Notes:  res.Notes,
		Err:    err,
	}
	h.mu.Lock()
	out.Figures = append([]string(nil), h.figures...)
	h.mu.Unlock()
	if res.Show {
		out.Value, out.Display = res.Value, res.String()
	}
	return out
}

// Completeness says whether a cell's source can run as it is.
type Completeness int

const (
	// InputComplete parses: run it.
	InputComplete Completeness = iota
	// Incomplete input needs more lines: an open brace or parenthesis, a
	// line ending in an operator, comma or dot, an unterminated raw string
	// or comment.
	InputIncomplete
	// InputInvalid input has a syntax error that more lines cannot fix.
	InputInvalid
)

// CheckComplete classifies src by the Go grammar (see Incomplete) and
// returns the syntax error, if any, with its line and column in the cell.
func CheckComplete(src string) (Completeness, *SyntaxError) {
	_, err := splitCell(src)
	switch {
	case err == nil:
		return InputComplete, nil
	case err.AtEnd:
		return InputIncomplete, err
	}
	return InputInvalid, err
}

// teeWriter passes writes on and, while capturing, keeps a copy.
type teeWriter struct {
	mu  sync.Mutex
	w   interface{ Write([]byte) (int, error) }
	buf *bytes.Buffer
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	if t.buf != nil {
		t.buf.Write(p)
	}
	t.mu.Unlock()
	return t.w.Write(p)
}

// capture starts (on) or stops capturing and returns what was captured.
func (t *teeWriter) capture(on bool) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var s string
	if t.buf != nil {
		s = t.buf.String()
	}
	t.buf = nil
	if on {
		t.buf = &bytes.Buffer{}
	}
	return s
}

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedBuffer) Reset() {
	l.mu.Lock()
	l.b.Reset()
	l.mu.Unlock()
}

// traceSplitter is the interpreter's standard error: the lines yaegi
// writes as a panic unwinds ("pos: panic: f(...)") go to the trace, the
// rest (a script's log output, os.Stderr) to the host's standard error.
type traceSplitter struct {
	trace *lockedBuffer
	rest  *teeWriter
	first func() // called when a panic's first trace line arrives
}

var traceWrite = regexp.MustCompile(`^(?:(?:.*:)?\d+:\d+|-): panic: .*\(\.\.\.\)\n$`)

func (s *traceSplitter) Write(p []byte) (int, error) {
	if traceWrite.Match(p) {
		if s.trace.String() == "" {
			s.first()
		}
		return s.trace.Write(p)
	}
	return s.rest.Write(p)
}
