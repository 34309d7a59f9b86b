package host

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"reflect"
	"strings"

	"github.com/traefik/yaegi/interp"

	"github.com/llmsam/llmsam/runtime/display"
)

// Result is what a cell produced.
type Result struct {
	// Value is the value of the cell's last expression statement when it is
	// worth printing (not a call without results or to a print function,
	// not nil); Show reports whether there is one.
	Value reflect.Value
	Show  bool
	// Notes are remarks from the host about the cell, such as a renamed main.
	Notes []string
	names display.Namer // the session's struct type and field names
}

// String formats the value as the REPL prints it: with its type, long
// slices, maps and strings cut (see Display).
func (r Result) String() string {
	if !r.Show {
		return ""
	}
	return display.Named(r.Value, r.names)
}

// saved is one successfully run chunk, kept for Transcript.
type saved struct {
	decl    bool
	src     string
	defines []string // names a statement defined with :=
	shown   bool     // a final expression whose value the session printed
	nilType string   // the interface type of a shown nil value (see display.ShowAs)
	expr    bool     // an expression statement that is not a call
}

// RunCell runs one cell named name (used in error positions, e.g.
// "cell 3"): any mix of imports, declarations and statements. Declarations
// and variables persist for later cells. A func main declared in a cell is
// renamed scriptMain, so that it is never run implicitly.
//
// Errors are *CompileError (syntax, type and declaration errors, with the
// cell's line and column), PanicError (a run-time panic, with the position
// of the statement), ExitError (os.Exit) or the context's error.
func (h *Host) RunCell(ctx context.Context, name, src string) (Result, error) {
	return h.RunCellAt(ctx, name, 1, src)
}

// RunCellAt is RunCell for a cell whose first line is line firstLine of the
// file name (a notebook's code block), so that errors point into that file.
func (h *Host) RunCellAt(ctx context.Context, name string, firstLine int, src string) (Result, error) {
	res, err := h.runCell(ctx, name, firstLine, src)
	return res, h.decode(err)
}

// parsed is a chunk ready to compile.
type parsed struct {
	node    ast.Node // *ast.File for declarations, *ast.BlockStmt for statements
	decl    bool
	notes   []string
	text    string            // for Transcript
	names   []string          // top-level names it declares
	methods []string          // "T.M" methods it declares
	display bool              // its last statement is an expression worth printing
	call    bool              // its last statement is a call
	expr    bool              // its only statement is a non-call expression
	fun     string            // the function its last statement calls, when a name or selector
	declSrc map[string]string // source of its types and methods (see declSources)
}

func (h *Host) runCell(ctx context.Context, name string, firstLine int, src string) (res Result, err error) {
	ctx, end := h.begin(ctx)
	defer end()
	h.cellNames = append(h.cellNames, name)
	id := len(h.cellNames)
	if blanked, ok := blankPackageClause(src); ok {
		src = blanked
		res.Notes = append(res.Notes, "the package clause is ignored: cells belong to the session's package main")
	}
	chunks, serr := splitCell(src)
	if serr != nil {
		return res, &CompileError{Pos: Position{File: name, Line: serr.Line + firstLine - 1, Col: serr.Col}, Msg: serr.Msg}
	}
	defer func() {
		// Calls deferred at a cell's top level run when the cell ends.
		if derr := h.runDeferred(); derr != nil && err == nil {
			err = derr
		}
	}()
	var added []string // names this cell introduced
	for k, c := range chunks {
		c.line += firstLine - 1
		p, err := h.parseChunk(name, id, c)
		if err != nil {
			return res, err
		}
		res.Notes = append(res.Notes, p.notes...)
		if err := h.checkChunk(name, p); err != nil {
			return res, err
		}
		var v reflect.Value
		var prog *interp.Program
		if isBoundTypeSwitch(p) {
			// yaegi cannot compile a type switch that binds a name at the
			// top level; inside a function it can.
			prog, err = h.compile(wrapInFunc(p.node.(*ast.BlockStmt)))
		} else {
			prog, err = h.compile(p.node)
		}
		if err != nil && isAnalysisFailure(err) && wrappable(p) {
			// yaegi fails on some statements at the top level that it
			// compiles inside a function (a type switch binding a name):
			// such a statement declares no session name, so it runs the
			// same inside a function literal called at once.
			if wprog, werr := h.compile(wrapInFunc(p.node.(*ast.BlockStmt))); werr == nil {
				prog, err = wprog, nil
			}
		}
		if err != nil {
			if isAnalysisFailure(err) {
				if id := h.unresolved(p.node, h.undeclared); id != nil {
					err = fmt.Errorf("%s: undefined: %s", h.in.FileSet().Position(id.Pos()), id.Name)
				} else if list := userStmts(p.node); len(list) == 1 {
					if as, ok := list[0].(*ast.AssignStmt); ok {
						if fv, handled, ferr := h.defineFallback(ctx, as); handled {
							v, err = fv, ferr
						}
					}
				}
			}
		} else {
			v, err = h.run(ctx, prog)
			var pe PanicError
			if errors.As(err, &pe) && !pe.Pos.IsValid() && !pe.Goroutine {
				// No statement of the chunk recorded its position (yaegi
				// failing on a declaration it accepted): the chunk's.
				pe.Pos = Position{File: name, Line: c.line, Col: c.col}
				err = pe
			}
		}
		if err != nil {
			if kept := h.keptMethods(p); len(kept) > 0 && !isRunError(err) {
				err = fmt.Errorf("%w\n\t(yaegi, llmsam's interpreter, keeps the failed method%s %s attached to %s: declare the type under a new name with its methods, or :reset)",
					err, plural(len(kept)), strings.Join(kept, ", "), strings.Split(kept[0], ".")[0])
			}
			h.chunkFailed(name, p)
			// The cell failed: the names its earlier statements introduced
			// are forgotten too (their statements ran; run the cell again
			// once fixed).
			for _, n := range added {
				delete(h.names, n)
				h.failed[n] = name
			}
			return res, err
		}
		for _, n := range p.names {
			if !h.names[n] {
				added = append(added, n)
			}
		}
		h.chunkDone(p)
		last := k == len(chunks)-1
		// A nil value is shown when the expression names it (err after a
		// call that succeeded: "<nil> (error)"), not when a call returns it.
		shown := last && p.display && v.IsValid() && (!isNil(v) || !p.call) && !h.noResults(p.fun)
		s := saved{decl: p.decl, src: p.text, defines: definedBy(p), shown: shown, expr: p.expr}
		if shown && v.Kind() == reflect.Interface && v.IsNil() {
			s.nilType = v.Type().String()
		}
		h.history = append(h.history, s)
		if shown {
			res.Value, res.Show, res.names = v, true, h
		}
	}
	return res, nil
}

// userStmts returns the statements of a statement chunk without the
// position records the host inserted.
func userStmts(n ast.Node) []ast.Stmt {
	body, ok := n.(*ast.BlockStmt)
	if !ok {
		return nil
	}
	var out []ast.Stmt
	for _, st := range body.List {
		if !isPositionRecord(st) {
			out = append(out, st)
		}
	}
	return out
}

// isBoundTypeSwitch reports whether a statement chunk is a type switch
// that binds a name (switch v := x.(type)).
func isBoundTypeSwitch(p parsed) bool {
	list := userStmts(p.node)
	if p.decl || len(list) != 1 {
		return false
	}
	ts, ok := list[0].(*ast.TypeSwitchStmt)
	if !ok {
		return false
	}
	_, bound := ts.Assign.(*ast.AssignStmt)
	return bound
}

// wrappable reports whether a statement chunk may run inside a function
// literal: it declares no name and has no top-level defer or label.
func wrappable(p parsed) bool {
	if p.decl || len(p.names) > 0 {
		return false
	}
	for _, st := range userStmts(p.node) {
		switch st.(type) {
		case *ast.AssignStmt, *ast.DeclStmt, *ast.LabeledStmt, *ast.DeferStmt, *ast.ReturnStmt:
			if as, ok := st.(*ast.AssignStmt); ok && as.Tok != token.DEFINE {
				continue
			}
			return false
		}
	}
	return true
}

// wrapInFunc returns `{ func() { stmts }() }`.
func wrapInFunc(body *ast.BlockStmt) *ast.BlockStmt {
	lit := &ast.FuncLit{Type: &ast.FuncType{Func: body.Lbrace, Params: &ast.FieldList{}}, Body: &ast.BlockStmt{Lbrace: body.Lbrace, List: body.List, Rbrace: body.Rbrace}}
	return &ast.BlockStmt{Lbrace: body.Lbrace, List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{Fun: lit, Lparen: body.Rbrace}}}, Rbrace: body.Rbrace}
}

// isRunError reports whether err happened while running (not compiling).
func isRunError(err error) bool {
	var pe PanicError
	var ee ExitError
	return errors.As(err, &pe) || errors.As(err, &ee) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// blankPackageClause replaces a leading `package name` (a whole program
// pasted at the prompt) with spaces, keeping every position.
func blankPackageClause(src string) (string, bool) {
	toks, _ := scanCell(src)
	if len(toks) < 2 || toks[0].tok != token.PACKAGE || toks[1].tok != token.IDENT {
		return src, false
	}
	end := toks[1].off
	for end < len(src) && (src[end] == '_' || src[end] >= 'a' && src[end] <= 'z' || src[end] >= 'A' && src[end] <= 'Z' || src[end] >= '0' && src[end] <= '9') {
		end++
	}
	b := []byte(src)
	for i := toks[0].off; i < end; i++ {
		b[i] = ' '
	}
	return string(b), true
}

// isAnalysisFailure reports whether a compile error is one of yaegi's
// failures to analyse code Go accepts (as opposed to a type error in the
// code), for which the host tries its own diagnosis or a fallback.
func isAnalysisFailure(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "definition loop") || strings.Contains(msg, "failed to compile this code") ||
		strings.Contains(msg, "undefined: ")
}

// parseChunk parses a chunk and prepares it (guards, deferred calls, names,
// main). Every cell is parsed under yaegi's REPL file name, so that imports
// persist from cell to cell, with a //line directive that encodes the
// cell's number in the line (cellLine); decode turns such positions back
// into "cell:line:col".
//
// It also keeps the chunk's text for Transcript: statements as typed,
// declarations as typed without their imports (which Transcript gathers)
// and with main renamed.
func (h *Host) parseChunk(name string, id int, c chunk) (parsed, error) {
	fset := h.in.FileSet()
	line := fmt.Sprintf("//line %s:%d:%d\n", replFile, id*cellLine+c.line, c.col)
	var p parsed
	if c.decl {
		head := "package main\n" + line
		f, err := parser.ParseFile(fset, replFile, head+c.src, parser.ParseComments)
		if err != nil {
			return p, err
		}
		base := fset.File(f.Pos()).Base() + len(head)
		text := []byte(c.src)
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
				fd.Name.Name = "scriptMain"
				p.notes = append(p.notes, "func main is declared as scriptMain: call scriptMain() to run it")
				off := int(fd.Name.Pos()) - base
				text = append(text[:off:off], append([]byte("scriptMain"), text[off+len("main"):]...)...)
			}
		}
		// Imports are blanked in the transcript's text (Transcript lists
		// them once at the top); offsets are unchanged but for main's
		// renaming, which comes after any import.
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				for i := int(g.Pos()) - base; i < int(g.End())-base; i++ {
					if text[i] != '\n' {
						text[i] = ' '
					}
				}
			}
		}
		if err := h.checkImports(f); err != nil {
			return p, err
		}
		h.recordImports(f)
		h.dropRepeatedImports(f)
		h.consts.collect(f)
		p.names, p.methods = declaredNames(f)
		p.declSrc = declSources(fset, f)
		p.text = strings.TrimSpace(string(text))
		g := &guarder{fset: fset, consts: h.consts, packages: h.pkgs}
		g.fixAssignments(f)
		if g.rewrite(f) && !h.preloaded {
			return p, fmt.Errorf("%s: go statements in cells need a preloaded session", name)
		}
		if h.preloaded {
			g.instrument(f)
		}
		p.node, p.decl = f, true
		return p, nil
	}
	f, err := parser.ParseFile(fset, replFile, "package main\nfunc main() {\n"+line+c.src+"\n}", parser.ParseComments)
	if err != nil {
		return p, err
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	h.consts.collect(body)
	p.names = definedNames(body)
	if n := len(body.List); n > 0 {
		p.display = worthPrinting(body.List[n-1])
		if es, ok := body.List[n-1].(*ast.ExprStmt); ok {
			call, isCall := es.X.(*ast.CallExpr)
			p.expr = !isCall && n == 1
			p.call = isCall
			if isCall && pureSelector(call.Fun) {
				var b strings.Builder
				printer.Fprint(&b, token.NewFileSet(), call.Fun)
				p.fun = b.String()
			}
		}
	}
	g := &guarder{fset: fset, consts: h.consts, packages: h.pkgs}
	g.fixAssignments(body)
	deferred := g.rewriteDefers(body)
	if (g.rewrite(body) || deferred) && !h.preloaded {
		return p, fmt.Errorf("%s: go and defer statements in cells need a preloaded session", name)
	}
	if h.preloaded {
		g.instrument(body)
	}
	p.node, p.text = body, strings.TrimSpace(c.src)
	return p, nil
}

// pureSelector reports whether e is a name or a chain of selectors of a
// name (x, pkg.F, x.y.M): evaluating it has no side effects.
func pureSelector(e ast.Expr) bool {
	switch v := e.(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return pureSelector(v.X)
	case *ast.ParenExpr:
		return pureSelector(v.X)
	}
	return false
}

// noResults reports whether fun names a function without results (yaegi
// returns a meaningless value for such calls).
func (h *Host) noResults(fun string) bool {
	if fun == "" {
		return false
	}
	v, err := h.in.Eval(fun)
	return err == nil && v.IsValid() && v.Kind() == reflect.Func && v.Type().NumOut() == 0
}

// definedBy returns the names a statement chunk defined (for Transcript).
func definedBy(p parsed) []string {
	if p.decl {
		return nil
	}
	return p.names
}
