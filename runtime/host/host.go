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
	"github.com/llmsam/llmsam/runtime/symbols"
	"github.com/llmsam/llmsam/runtime/symbols/spec"
)

// Options configure a Host.
type Options struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Args           []string // os.Args seen by scripts; Args[0] is the script's name
}

// Host is one interpreter session: a script run, a REPL or a notebook.
type Host struct {
	in     *interp.Interpreter
	errw   io.Writer
	consts constNames
	pkgs   map[string]bool
	cells  int

	names       map[string]bool   // top-level names declared by cells
	cellNames   []string          // names of the cells run, by number - 1
	imported    map[string]string // import path -> name, in cells
	history     []saved           // chunks run so far, for Transcript
	cellImports []string          // imports made in cells, for Transcript
	preloaded   bool
	tmps        int // temporaries made by defineFallback

	mu      sync.Mutex
	cancel  context.CancelFunc // of the running source, for goroutine panics
	goPanic error              // first panic reported by a guarded goroutine
}

// Preloaded are the packages a REPL or notebook session imports before the
// first cell, under their usual names.
var Preloaded = append([]string{
	"context", "errors", "fmt", "math", "math/rand/v2", "os", "sort", "strings", "time",
	"gonum.org/v1/gonum/floats", "gonum.org/v1/gonum/mat", "gonum.org/v1/gonum/stat",
}, spec.Documented...)

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
	h := &Host{errw: opt.Stderr, consts: constNames{}, pkgs: map[string]bool{}, names: map[string]bool{}, imported: map[string]string{}}
	h.in = interp.New(interp.Options{Stdin: opt.Stdin, Stdout: opt.Stdout, Stderr: io.Discard, Args: opt.Args, Env: os.Environ()})
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
		msg := fmt.Sprintf("panic in goroutine started at %s: %v", where, r)
		h.mu.Lock()
		cancel := h.cancel
		if cancel != nil && h.goPanic == nil {
			h.goPanic = fmt.Errorf("%s", msg)
		}
		h.mu.Unlock()
		if cancel != nil {
			cancel() // ends the running cell or script with the panic
			return
		}
		// No cell is running: the goroutine outlived the cell that started it.
		fmt.Fprintln(h.errw, h.decodeString(msg)+" (after its cell ended)")
	}
	return interp.Exports{guardPath + "/guard": {"Report": reflect.ValueOf(report)}}
}

// ExitError is returned when a script calls os.Exit(Code).
type ExitError struct{ Code int }

func (e ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// PanicError is a panic in interpreted code, with the position where it
// happened when known.
type PanicError struct {
	Msg string
}

func (e PanicError) Error() string { return e.Msg }

var exitRe = regexp.MustCompile(`^os\.Exit\((-?\d+)\)$`)

// begin starts a cell or a script: a panic in any goroutine it starts
// cancels the returned context and becomes its error, and the context is
// the session context the stdlib's loops watch. end must be called when the
// cell or script is over.
func (h *Host) begin(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	h.mu.Lock()
	h.cancel, h.goPanic = cancel, nil
	h.mu.Unlock()
	restore := session.SetContext(ctx)
	return ctx, func() {
		h.mu.Lock()
		h.cancel = nil
		h.mu.Unlock()
		restore()
		cancel()
	}
}

// run executes a compiled program of the current cell or script and
// translates yaegi's outcomes (os.Exit, panics, goroutine panics) into
// errors.
func (h *Host) run(ctx context.Context, prog *interp.Program) (reflect.Value, error) {
	v, err := h.in.ExecuteWithContext(ctx, prog)
	h.mu.Lock()
	goPanic := h.goPanic
	h.mu.Unlock()
	if goPanic != nil {
		return reflect.Value{}, PanicError{Msg: goPanic.Error()}
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
		return reflect.Value{}, PanicError{Msg: "panic: " + msg + panicWhere(p.Stack)}
	}
	return v, err
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
		return err
	}
	ctx, end := h.begin(ctx)
	defer end()
	_, err = h.run(ctx, prog)
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
	if g.rewrite(f) {
		spec := &ast.ImportSpec{Name: ast.NewIdent(guardName), Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(guardPath)}}
		f.Imports = append(f.Imports, spec)
		f.Decls = append([]ast.Decl{&ast.GenDecl{Tok: token.IMPORT, Specs: []ast.Spec{spec}}}, f.Decls...)
	}
}
