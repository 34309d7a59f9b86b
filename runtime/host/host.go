package host

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/llmsam/llmsam/internal/session"
	"github.com/llmsam/llmsam/internal/workpool"
	"github.com/llmsam/llmsam/runtime/symbols"
	"github.com/llmsam/llmsam/runtime/symbols/packages"
)

// Options configure a Host.
type Options struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Args           []string // os.Args seen by scripts; Args[0] is the script's name
	// OnFigure, when set, is told about every figure a cell or script saves
	// while it runs (Outcome.Figures lists them after the cell).
	OnFigure func(path string)
}

// Host is one interpreter session: a script run, a REPL or a notebook.
type Host struct {
	in     *interp.Interpreter
	errw   io.Writer
	consts constNames
	pkgs   map[string]bool
	cells  int

	names        map[string]bool         // top-level names declared by cells
	failed       map[string]string       // names whose declaration failed -> the cell
	methods      map[string]string       // "T.M" -> the cell that declared it ("!cell" when it failed)
	types        map[string]string       // type name -> the cell that declared it
	declSrc      map[string]string       // "type T", "method T.M" -> its source
	typeNames    map[reflect.Type]string // see TypeName
	typeNamesFor int                     // len(types) when typeNames was made
	deferred     []func()                // calls deferred at the running cell's top level
	trace        lockedBuffer            // the interpreter's panic trace of the running source
	pos          int                     // position register: the statement last started (see guarder.instrument)
	panicAt      int                     // the register when the running source's panic began
	stdout       *teeWriter
	stderr       *teeWriter
	onFigure     func(string)
	figures      []string          // figures saved by the running cell
	cellNames    []string          // names of the cells run, by number - 1
	imported     map[string]string // import path -> name, in cells
	history      []saved           // chunks run so far, for Transcript
	cellImports  []string          // imports made in cells, for Transcript
	preloaded    bool
	tmps         int // temporaries made by defineFallback

	mu      sync.Mutex
	cancel  context.CancelFunc // of the running source, for goroutine panics
	goPanic *PanicError        // first panic reported by a guarded goroutine
}

// Preloaded are the packages a REPL or notebook session imports before the
// first cell, under their usual names.
var Preloaded = append([]string{
	"context", "errors", "fmt", "log", "math", "math/rand/v2", "os", "sort", "strings", "time",
	"gonum.org/v1/gonum/floats", "gonum.org/v1/gonum/mat", "gonum.org/v1/gonum/stat",
}, packages.Documented...)

// New returns a host with Go's standard library, the project's packages and
// the gonum/plot packages available to import.
func New(opt Options) (*Host, error) {
	if opt.Stdout == nil {
		opt.Stdout = os.Stdout
	}
	if opt.Stderr == nil {
		opt.Stderr = os.Stderr
	}
	if opt.Stdin == nil {
		opt.Stdin = os.Stdin
	}
	h := &Host{errw: opt.Stderr, consts: constNames{}, pkgs: map[string]bool{}, names: map[string]bool{}, imported: map[string]string{},
		failed: map[string]string{}, methods: map[string]string{}, types: map[string]string{}, declSrc: map[string]string{}, onFigure: opt.OnFigure}
	h.stdout, h.stderr = &teeWriter{w: opt.Stdout}, &teeWriter{w: opt.Stderr}
	h.in = interp.New(interp.Options{Stdin: opt.Stdin, Stdout: h.stdout, Stderr: &traceSplitter{trace: &h.trace, rest: h.stderr, first: func() { h.panicAt = h.pos }}, Args: opt.Args, Env: os.Environ()})
	for _, syms := range []interp.Exports{stdlib.Symbols, symbols.Symbols, h.guardSymbols(), flagSymbols(opt.Args, opt.Stderr)} {
		if err := h.in.Use(syms); err != nil {
			return nil, fmt.Errorf("host: loading symbols: %w", err)
		}
	}
	return h, nil
}

// guardSymbols exposes the function guarded goroutines report panics to.
func (h *Host) guardSymbols() interp.Exports {
	report := func(r any, where string) {
		value := goPanicMessage(fmt.Sprint(r))
		msg := fmt.Sprintf("panic in goroutine started at %s: %s", where, value)
		h.mu.Lock()
		cancel := h.cancel
		if cancel != nil && h.goPanic == nil {
			h.goPanic = &PanicError{Msg: value, Pos: h.parsePos(where), Goroutine: true}
		}
		h.mu.Unlock()
		if cancel != nil {
			cancel() // ends the running cell or script with the panic
			return
		}
		// No cell is running: the goroutine outlived the cell that started it.
		fmt.Fprintln(h.errw, h.decodeString(msg)+" (after its cell ended)")
	}
	deferCall := func(f func()) {
		h.mu.Lock()
		h.deferred = append(h.deferred, f)
		h.mu.Unlock()
	}
	return interp.Exports{guardPath + "/guard": {"Report": reflect.ValueOf(report), "Defer": reflect.ValueOf(deferCall),
		"Pos": reflect.ValueOf(&h.pos).Elem()}}
}

// ExitError is returned when a script calls os.Exit(Code).
type ExitError struct{ Code int }

func (e ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

var exitRe = regexp.MustCompile(`^os\.Exit\((-?\d+)\)$`)

// begin starts a cell or a script: a panic in any goroutine it starts
// cancels the returned context and becomes its error, and the context is
// the session context the stdlib's loops watch. end must be called when the
// cell or script is over.
func (h *Host) begin(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	h.mu.Lock()
	h.cancel, h.goPanic, h.figures = cancel, nil, nil
	h.mu.Unlock()
	restore := session.SetContext(ctx)
	// The host hears of figures while the source runs, and passes them on
	// to whoever listened before (a front end's own hook).
	var prev func(string)
	prev = session.OnFigure(func(p string) {
		h.figureSaved(p)
		if prev != nil {
			prev(p)
		}
	})
	return ctx, func() {
		h.mu.Lock()
		h.cancel = nil
		h.mu.Unlock()
		session.OnFigure(prev)
		restore()
		cancel()
	}
}

// run executes a compiled program of the current cell or script and
// translates yaegi's outcomes (os.Exit, panics, goroutine panics) into
// errors.
func (h *Host) run(ctx context.Context, prog *interp.Program) (reflect.Value, error) {
	h.trace.Reset()
	h.pos, h.panicAt = 0, 0
	v, err := h.in.ExecuteWithContext(ctx, prog)
	if ctx.Err() != nil {
		// Interrupted: the code runs on until it next checks the context;
		// its progress bar leaves the line before anyone says so.
		workpool.ClearBars()
	}
	h.mu.Lock()
	goPanic := h.goPanic
	h.mu.Unlock()
	if goPanic != nil {
		return reflect.Value{}, *goPanic
	}
	var p interp.Panic
	if errors.As(err, &p) {
		msg := fmt.Sprint(p.Value)
		if m := exitRe.FindStringSubmatch(msg); m != nil {
			code, _ := strconv.Atoi(m[1])
			return reflect.Value{}, ExitError{Code: code}
		}
		if e, ok := p.Value.(error); ok {
			msg = e.Error()
		}
		return reflect.Value{}, h.panicError(msg, p.Stack)
	}
	return v, err
}

// panicError builds the error of a panic with message msg: the position
// and the interpreted calls from the trace yaegi writes as the panic
// unwinds ("file:line:col: panic: main.f(...)", innermost first), and,
// when the panic came from compiled library code, the library function.
func (h *Host) panicError(msg string, stack []byte) PanicError {
	e := PanicError{Msg: goPanicMessage(msg) + panicWhere(stack)}
	for _, l := range strings.Split(h.trace.String(), "\n") {
		m := traceLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		pos := h.parsePos(m[1])
		fn := strings.TrimSuffix(m[2], "(...)")
		if fn == "main" || fn == "main.main" && pos.File != "" && strings.HasPrefix(pos.File, "cell") {
			fn = ""
		}
		e.Trace = append(e.Trace, Frame{Pos: pos, Func: fn})
	}
	// yaegi's trace gives each frame's function but the position of the
	// function's first statement; the position register gives the
	// statement that panicked.
	if h.panicAt > 0 {
		p := h.in.FileSet().Position(token.Pos(h.panicAt))
		e.Pos = h.position(p.Filename, p.Line, p.Column)
	}
	for i := range e.Trace {
		e.Trace[i].Pos = Position{}
	}
	return e
}

var traceLine = regexp.MustCompile(`^((?:.*:)?\d+:\d+|-): panic: (.*)$`)

// parsePos parses "file:line:col" (possibly an encoded cell position).
func (h *Host) parsePos(s string) Position {
	m := posRe.FindStringSubmatch(s)
	if m == nil {
		return Position{File: s}
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	return h.position(m[1], line, col)
}

var posRe = regexp.MustCompile(`^(.*?):?(\d+):(\d+)$`)

// figureSaved records a figure the running cell saved and passes it on.
func (h *Host) figureSaved(path string) {
	h.mu.Lock()
	h.figures = append(h.figures, path)
	h.mu.Unlock()
	if h.onFigure != nil {
		h.onFigure(path)
	}
}

// runDeferred runs the calls deferred at the top level of the cell that
// just ran, last first, and returns the first panic among them.
func (h *Host) runDeferred() (err error) {
	h.mu.Lock()
	calls := h.deferred
	h.deferred = nil
	h.mu.Unlock()
	for i := len(calls) - 1; i >= 0; i-- {
		func() {
			defer func() {
				if r := recover(); r != nil && err == nil {
					err = PanicError{Msg: fmt.Sprint(r) + " (in a call deferred at the cell's top level)"}
				}
			}()
			calls[i]()
		}()
	}
	return err
}

// panicWhere extracts a short hint of where a panic came from in compiled
// code (the first frame outside the runtime and the interpreter).
func panicWhere(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i := 0; i+1 < len(lines); i++ {
		fn := lines[i]
		if strings.Contains(fn, "github.com/llmsam/llmsam/") && !strings.Contains(fn, "/runtime/host") {
			return "\n\tin " + strings.TrimSpace(fn) + "\n\t   " + strings.TrimSpace(lines[i+1])
		}
	}
	return ""
}

// RunFile runs a script file: a Go package main whose main function is
// executed. The file is parsed here (so build constraints such as
// `//go:build ignore`, which keep scripts out of `go build ./...`, do not
// stop it), its go statements are guarded, and errors carry file:line:col.
func (h *Host) RunFile(ctx context.Context, path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := parser.ParseFile(h.in.FileSet(), path, src, parser.ParseComments)
	if err != nil {
		return err
	}
	if f.Name.Name != "main" {
		return fmt.Errorf("%s: package %s: a script must be package main", path, f.Name.Name)
	}
	if !hasMain(f) {
		return fmt.Errorf("%s: no func main", path)
	}
	if err := h.checkImports(f); err != nil {
		return err
	}
	h.prepare(f)
	prog, err := h.compile(f)
	if err != nil {
		if msg := yaegiBasic.ReplaceAllString(err.Error(), "${1}${2}"); msg != err.Error() {
			return decodedError{msg: msg, err: err}
		}
		return err
	}
	ctx, end := h.begin(ctx)
	defer end()
	_, err = h.run(ctx, prog)
	var pe PanicError
	if errors.As(err, &pe) && !pe.Pos.IsValid() && pe.Pos.File == "" {
		// A panic before any statement ran (yaegi failing on a
		// declaration it accepted): at least the file.
		pe.Pos.File = path
		return pe
	}
	return err
}

// checkImports reports, with its position, an import the interpreter has
// no symbols for, instead of yaegi's message about GOPATH.
func (h *Host) checkImports(f *ast.File) error {
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		if !Available(p) {
			return fmt.Errorf("%s: package %s is not available in llmsam's interpreter (Go's standard library, llmsam's packages and the gonum/plot packages listed in runtime/symbols are)",
				h.in.FileSet().Position(im.Pos()), p)
		}
	}
	return nil
}

// Available reports whether scripts can import path.
func Available(path string) bool {
	key := path + "/" + ImportName(path)
	_, std := stdlib.Symbols[key]
	_, own := symbols.Symbols[key]
	return std || own || path == guardPath
}

// compile compiles a parsed file or block, turning a crash inside the
// interpreter's compiler into an error that names the source.
func (h *Host) compile(n ast.Node) (prog *interp.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			at := n.Pos()
			if b, ok := n.(*ast.BlockStmt); ok && len(b.List) > 0 {
				at = b.List[0].Pos()
			}
			pos := h.in.FileSet().Position(at)
			err = fmt.Errorf("%s: the interpreter failed to compile this code (%v); this is a yaegi limitation: try simpler types or declare the value with an explicit type", pos, r)
		}
	}()
	return h.in.CompileAST(n)
}

func hasMain(f *ast.File) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			return true
		}
	}
	return false
}

// prepare guards the go statements of a file and imports the guard package
// when needed; it also records constants and package names.
func (h *Host) prepare(f *ast.File) {
	h.consts.collect(f)
	pkgs := map[string]bool{}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := ImportName(p)
		if im.Name != nil {
			name = im.Name.Name
		}
		pkgs[name] = true
	}
	g := &guarder{fset: h.in.FileSet(), consts: h.consts, packages: pkgs}
	g.fixAssignments(f)
	g.rewrite(f)
	g.instrument(f)
	spec := &ast.ImportSpec{Name: ast.NewIdent(guardName), Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(guardPath)}}
	f.Imports = append(f.Imports, spec)
	f.Decls = append([]ast.Decl{&ast.GenDecl{Tok: token.IMPORT, Specs: []ast.Spec{spec}}}, f.Decls...)
}

// goPanicMessage says as Go does the panics yaegi reports as reflect's: an
// index past a slice's end, a nil pointer dereference.
func goPanicMessage(msg string) string {
	switch {
	case msg == "reflect: slice index out of range":
		return "runtime error: index out of range"
	case strings.HasPrefix(msg, "reflect: call of reflect.Value.") && strings.HasSuffix(msg, "on zero Value"):
		return "runtime error: invalid memory address or nil pointer dereference (" + msg + ")"
	}
	return msg
}
