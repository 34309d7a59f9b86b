package jupyter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/llmsam/llmsam/internal/session"
	"github.com/llmsam/llmsam/runtime/host"
)

// Options configure an Executor.
type Options struct {
	Args []string // os.Args the cells see; default ["notebook"]
	// SVG adds image/svg+xml to the figures a cell returns (PNG is always sent).
	SVG bool
	// DPI is the resolution of the figures a cell returns; default 96.
	DPI float64
	// ProgressAfter is how long a run goes before its progress is shown;
	// default 1s, so that quick runs leave no progress output.
	ProgressAfter time.Duration
	// ProgressEvery is the interval between progress updates; default 250ms.
	ProgressEvery time.Duration
	// CaptureProcess makes the process's stdout and stderr (file
	// descriptors 1 and 2) the cells' streams, so that what compiled code,
	// os.Stdout, os.Stderr and log print is in the notebook too. For a
	// process that exists to run cells: a kernel.
	CaptureProcess bool
}

// Executor runs cells in one scripting host (the simulation packages
// preloaded, as in the REPL) and reports what they produce as Outputs.
// One cell runs at a time.
type Executor struct {
	opt  Options
	host *host.Host

	mu      sync.Mutex
	emit    func(Output)      // the running cell's sink, nil between cells
	sources map[string]string // cells' sources by name, to quote in tracebacks
	count   int
	cell    int // cells run, for outputs that arrive after their cell ended
	history []string

	stdout, stderr *stream
	capture        *capture // with CaptureProcess
	displays       int      // progress displays started, for their ids
}

// New returns an executor with a fresh, preloaded host, and makes it the
// process's listener for the progress of long runs.
func New(opt Options) (*Executor, error) {
	if len(opt.Args) == 0 {
		opt.Args = []string{"notebook"}
	}
	if opt.DPI <= 0 {
		opt.DPI = 96
	}
	if opt.ProgressAfter <= 0 {
		opt.ProgressAfter = time.Second
	}
	if opt.ProgressEvery <= 0 {
		opt.ProgressEvery = 250 * time.Millisecond
	}
	e := &Executor{opt: opt, sources: map[string]string{}}
	e.stdout, e.stderr = &stream{name: "stdout", e: e}, &stream{name: "stderr", e: e}
	var stdout, stderr io.Writer = e.stdout, e.stderr
	if opt.CaptureProcess {
		c, err := startCapture(e.stdout, e.stderr)
		if err != nil {
			return nil, fmt.Errorf("capturing stdout and stderr: %w", err)
		}
		e.capture, stdout, stderr = c, os.Stdout, os.Stderr // now the pipes
	}
	h, err := host.New(host.Options{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr, Args: opt.Args})
	if err != nil {
		e.Close()
		return nil, err
	}
	if err := h.Preload(); err != nil {
		e.Close()
		return nil, err
	}
	e.host = h
	session.OnProgress(e.startProgress)
	return e, nil
}

// Close stops listening for progress and gives the process its stdout and
// stderr back.
func (e *Executor) Close() {
	session.OnProgress(nil)
	if e.capture != nil {
		e.capture.restore()
		e.capture = nil
	}
}

// Log is where the process's own messages go: its stderr from before
// CaptureProcess took it.
func (e *Executor) Log() io.Writer {
	if e.capture != nil {
		return e.capture.log
	}
	return os.Stderr
}

// Host returns the executor's scripting host (for completion and names).
func (e *Executor) Host() *host.Host { return e.host }

// Count returns the execution count of the last cell run.
func (e *Executor) Count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.count
}

// History returns the sources of the cells run, in order.
func (e *Executor) History() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.history...)
}

// CellName is the name a cell's positions are reported under: "cell N"
// with N its execution count.
func CellName(count int) string { return fmt.Sprintf("cell %d", count) }

// Run runs one cell and sends its outputs to emit as they come (streams
// are buffered briefly). store counts the cell (Jupyter's store_history);
// a cell that is not stored is still run. It returns the cell's execution
// count and, when the cell failed or was interrupted, its error output
// (which emit has also received).
func (e *Executor) Run(ctx context.Context, code string, store bool, emit func(Output)) (int, *Output) {
	e.mu.Lock()
	if store {
		e.count++
		e.history = append(e.history, code)
	}
	count := e.count
	e.cell++
	e.emit = emit
	e.mu.Unlock()

	stop := make(chan struct{})
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				e.flushStreams()
			}
		}
	}()
	defer func() {
		close(stop)
		<-flushed
		e.flushStreams()
		e.mu.Lock()
		e.emit = nil
		e.mu.Unlock()
	}()

	name := CellName(count)
	e.mu.Lock()
	e.sources[name] = code
	e.mu.Unlock()
	out := e.host.Exec(ctx, host.Cell{Name: name, Source: code})
	for _, n := range out.Notes {
		fmt.Fprintln(e.stderr, "note:", n)
	}
	e.sendFigures(out.Figures)
	var exit host.ExitError
	switch {
	case ctx.Err() != nil:
		// Interrupted: also when the cell caught the cancelled run's error.
		o := Output{Type: ErrorType, EName: "Interrupted", EValue: "the cell was interrupted",
			Traceback: []string{"interrupted: " + name + " was cancelled (the kernel is ready for the next cell)"}}
		e.send(o)
		return count, &o
	case errors.As(out.Err, &exit) && exit.Code == 0:
		return count, nil
	case out.Err != nil:
		e.mu.Lock()
		o := errorOutput(out.Err, e.sources)
		e.mu.Unlock()
		e.send(o)
		return count, &o
	case out.Display != "":
		e.send(e.result(count, out.Value, out.Display))
	}
	return count, nil
}

// send passes an output to the running cell's sink, after the streams'
// pending text so that the order is kept.
func (e *Executor) send(o Output) { e.sendFor(0, o) }

// sendFor is send for an output of the cell numbered cell (0: the running
// one); outputs of a cell that has ended are dropped (a progress bar whose
// interrupted run ends after its cell did).
func (e *Executor) sendFor(cell int, o Output) {
	if o.Type != StreamType {
		e.flushStreams()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.emit != nil && (cell == 0 || cell == e.cell) {
		e.emit(o)
	}
}

func (e *Executor) flushStreams() {
	if e.capture != nil {
		e.capture.sync()
	}
	for _, s := range []*stream{e.stdout, e.stderr} {
		if text := s.take(); text != "" {
			e.send(Output{Type: StreamType, Name: s.name, Text: text})
		}
	}
}

// result is the output of a cell's last expression: a figure as an image
// (with its summary as text), anything else as the REPL shows it.
func (e *Executor) result(count int, v reflect.Value, text string) Output {
	out := Output{Type: ResultType, Count: count, Data: Bundle{"text/plain": text}}
	if fig, ok := asFigure(v); ok {
		data, meta, err := e.renderFigure(fig)
		if err != nil {
			out.Data["text/plain"] = "figure: " + err.Error()
			return out
		}
		data["text/plain"] = text
		out.Data, out.Metadata = data, meta
	}
	return out
}

// stream is a cell's stdout or stderr: text is kept until flushed.
type stream struct {
	name string
	e    *Executor
	mu   sync.Mutex
	buf  strings.Builder
}

func (s *stream) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	return len(p), nil
}

func (s *stream) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.buf.String()
	s.buf.Reset()
	return t
}
