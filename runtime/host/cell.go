package host

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Result is what a cell produced.
type Result struct {
	// Value is the value of the cell's last expression statement when it is
	// worth printing (not a call to a fmt or log print function, not nil).
	Value reflect.Value
	Show  bool
	// Notes are remarks from the host about the cell, such as a renamed main.
	Notes []string
}

// String formats the value as the REPL prints it.
func (r Result) String() string {
	if !r.Show {
		return ""
	}
	return formatValue(r.Value)
}

// saved is one successfully run chunk, kept for Transcript.
type saved struct {
	decl bool
	src  string
}

// Preload imports the Preloaded packages and the goroutine guard, so that a
// REPL or notebook can use netw, sim, plots, fmt, ... without imports.
func (h *Host) Preload() error {
	var b strings.Builder
	b.WriteString("import (\n")
	fmt.Fprintf(&b, "\t%s %q\n", guardName, guardPath)
	for _, p := range Preloaded {
		fmt.Fprintf(&b, "\t%q\n", p)
		h.pkgs[ImportName(p)] = true
		h.imported[p] = ImportName(p)
	}
	b.WriteString(")")
	if _, err := h.in.Eval(b.String()); err != nil {
		return fmt.Errorf("host: preloading packages: %w", err)
	}
	h.preloaded = true
	return nil
}

// ImportName is the name a package is known by: the last path element, or
// the one before a major-version suffix (math/rand/v2 is rand).
func ImportName(path string) string {
	parts := strings.Split(path, "/")
	name := parts[len(parts)-1]
	if len(parts) > 1 && len(name) > 1 && name[0] == 'v' {
		if _, err := strconv.Atoi(name[1:]); err == nil {
			name = parts[len(parts)-2]
		}
	}
	return name
}

// RunCell runs one cell named name (used in error positions, e.g.
// "cell 3"): any mix of imports, declarations and statements. Declarations
// and variables persist for later cells. A func main declared in a cell is
// renamed scriptMain, so that it is never run implicitly.
func (h *Host) RunCell(ctx context.Context, name, src string) (Result, error) {
	return h.RunCellAt(ctx, name, 1, src)
}

// RunCellAt is RunCell for a cell whose first line is line firstLine of the
// file name (a notebook's code block), so that errors point into that file.
func (h *Host) RunCellAt(ctx context.Context, name string, firstLine int, src string) (Result, error) {
	res, err := h.runCell(ctx, name, firstLine, src)
	return res, h.decode(err)
}

func (h *Host) runCell(ctx context.Context, name string, firstLine int, src string) (Result, error) {
	var res Result
	ctx, end := h.begin(ctx)
	defer end()
	h.cellNames = append(h.cellNames, name)
	id := len(h.cellNames)
	chunks := splitCell(src)
	for k, c := range chunks {
		c.line += firstLine - 1
		node, notes, text, err := h.parseChunk(name, id, c)
		if err != nil {
			return res, err
		}
		res.Notes = append(res.Notes, notes...)
		var v reflect.Value
		prog, err := h.compile(node)
		if err != nil {
			if id := h.undefinedName(node); id != nil {
				return res, fmt.Errorf("%s: undefined: %s", h.in.FileSet().Position(id.Pos()), id.Name)
			}
			if body, ok := node.(*ast.BlockStmt); ok && len(body.List) == 1 {
				if as, ok := body.List[0].(*ast.AssignStmt); ok {
					if fv, handled, ferr := h.defineFallback(ctx, as); handled {
						v, err = fv, ferr
					}
				}
			}
		} else {
			v, err = h.run(ctx, prog)
		}
		if err != nil {
			return res, err
		}
		h.history = append(h.history, saved{decl: c.decl, src: text})
		if k == len(chunks)-1 && !c.decl {
			body := node.(*ast.BlockStmt)
			if n := len(body.List); n > 0 && worthPrinting(body.List[n-1]) && v.IsValid() && !isNil(v) {
				res.Value, res.Show = v, true
			}
		}
	}
	return res, nil
}

// parseChunk parses a chunk and prepares it (guards, names, main). Every
// cell is parsed under yaegi's REPL file name, so that imports persist from
// cell to cell, with a //line directive that encodes the cell's number in
// the line (cellLine); decode turns such positions back into "cell:line:col".
//
// It also returns the chunk's text for Transcript: statements as typed,
// declarations as the session holds them (main renamed, without imports,
// which Transcript gathers), before go statements are guarded.
func (h *Host) parseChunk(name string, id int, c chunk) (ast.Node, []string, string, error) {
	fset := h.in.FileSet()
	line := fmt.Sprintf("//line %s:%d:%d\n", replFile, id*cellLine+c.line, c.col)
	name = replFile
	var notes []string
	if c.decl {
		f, err := parser.ParseFile(fset, name, "package main\n"+line+c.src, parser.ParseComments)
		if err != nil {
			return nil, nil, "", err
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
				fd.Name.Name = "scriptMain"
				notes = append(notes, "func main is declared as scriptMain: call scriptMain() to run it")
			}
		}
		if err := h.checkImports(f); err != nil {
			return nil, nil, "", err
		}
		h.dropRepeatedImports(f)
		h.consts.collect(f)
		h.noteNames(f)
		text := h.declText(f)
		if (&guarder{fset: fset, consts: h.consts, packages: h.pkgs}).rewrite(f) && !h.preloaded {
			return nil, nil, "", fmt.Errorf("%s: go statements in cells need a preloaded session", name)
		}
		return f, notes, text, nil
	}
	f, err := parser.ParseFile(fset, name, "package main\nfunc main() {\n"+line+c.src+"\n}", parser.ParseComments)
	if err != nil {
		return nil, nil, "", err
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	h.consts.collect(body)
	h.noteNames(body)
	if (&guarder{fset: fset, consts: h.consts, packages: h.pkgs}).rewrite(body) && !h.preloaded {
		return nil, nil, "", fmt.Errorf("%s: go statements in cells need a preloaded session", name)
	}
	return body, nil, strings.TrimSpace(c.src), nil
}

// declText prints a file's declarations other than imports, for
// Transcript, and records its imports.
func (h *Host) declText(f *ast.File) string {
	var b strings.Builder
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			for _, sp := range g.Specs {
				im := sp.(*ast.ImportSpec)
				line := im.Path.Value
				if im.Name != nil {
					line = im.Name.Name + " " + line
				}
				h.cellImports = append(h.cellImports, line)
			}
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		printer.Fprint(&b, token.NewFileSet(), d)
	}
	return b.String()
}

// dropRepeatedImports removes imports the session already has (under the
// same name), which yaegi would report as redeclared, and records the new
// ones.
func (h *Host) dropRepeatedImports(f *ast.File) {
	var decls []ast.Decl
	f.Imports = f.Imports[:0]
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			decls = append(decls, d)
			continue
		}
		var specs []ast.Spec
		for _, sp := range g.Specs {
			im := sp.(*ast.ImportSpec)
			p, _ := strconv.Unquote(im.Path.Value)
			n := ImportName(p)
			if im.Name != nil {
				n = im.Name.Name
			}
			if h.imported[p] == n {
				continue
			}
			h.imported[p] = n
			h.pkgs[n] = true
			specs = append(specs, im)
			f.Imports = append(f.Imports, im)
		}
		if len(specs) > 0 {
			g.Specs = specs
			decls = append(decls, g)
		}
	}
	f.Decls = decls
}

// noteNames records the top-level names a chunk declares, for completion
// and :vars.
func (h *Host) noteNames(n ast.Node) {
	add := func(id *ast.Ident) {
		if id != nil && id.Name != "_" && !strings.HasPrefix(id.Name, "__llmsam") {
			h.names[id.Name] = true
		}
	}
	switch v := n.(type) {
	case *ast.File:
		for _, d := range v.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					add(d.Name)
				}
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.ValueSpec:
						for _, id := range sp.Names {
							add(id)
						}
					case *ast.TypeSpec:
						add(sp.Name)
					}
				}
			}
		}
	case *ast.BlockStmt:
		for _, st := range v.List {
			switch st := st.(type) {
			case *ast.AssignStmt:
				if st.Tok == token.DEFINE {
					for _, e := range st.Lhs {
						if id, ok := e.(*ast.Ident); ok {
							add(id)
						}
					}
				}
			case *ast.DeclStmt:
				h.noteNames(&ast.File{Decls: []ast.Decl{st.Decl}})
			}
		}
	}
}

// Names returns the names the session's cells declared, sorted.
func (h *Host) Names() []string {
	out := make([]string, 0, len(h.names))
	for n := range h.names {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Packages returns the names of the packages the session can use, sorted.
func (h *Host) Packages() []string {
	out := make([]string, 0, len(h.pkgs))
	for n := range h.pkgs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// PackagePath returns the import path of a package the session imported
// under name.
func (h *Host) PackagePath(name string) (string, bool) {
	for p, n := range h.imported {
		if n == name {
			return p, true
		}
	}
	return "", false
}

// Value evaluates a name of the session (for :vars), or reports false.
func (h *Host) Value(name string) (reflect.Value, bool) {
	if !h.names[name] {
		return reflect.Value{}, false
	}
	v, err := h.in.Eval(name)
	return v, err == nil && v.IsValid()
}

// Incomplete reports whether src is a prefix of valid input that needs more
// lines (an unclosed brace, parenthesis, string or comment), with the rules
// yaegi's own REPL uses.
func Incomplete(src string) bool {
	for _, c := range splitCell(src) {
		var err error
		if c.decl {
			_, err = parser.ParseFile(token.NewFileSet(), "", "package main\n"+c.src, 0)
		} else {
			_, err = parser.ParseFile(token.NewFileSet(), "", "package main\nfunc main() {\n"+c.src+"\n}", 0)
		}
		if el, ok := err.(scanner.ErrorList); ok && len(el) > 0 && incompleteError(el[0].Msg, c.src) {
			return true
		}
	}
	return false
}

// incompleteError follows yaegi's ignoreScannerError (interp/interp.go).
func incompleteError(msg, src string) bool {
	switch {
	case strings.HasSuffix(msg, "found 'EOF'"), strings.HasSuffix(msg, "found '}'") && !strings.HasSuffix(strings.TrimSpace(src), "}"):
		return true
	case msg == "raw string literal not terminated", msg == "comment not terminated":
		return true
	}
	return false
}

// worthPrinting reports whether the value of a final statement should be
// shown: an expression statement that is not a call to a print function.
func worthPrinting(st ast.Stmt) bool {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return true
	}
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name != "print" && f.Name != "println" && f.Name != "panic"
	case *ast.SelectorExpr:
		if pkg, ok := f.X.(*ast.Ident); ok && (pkg.Name == "fmt" || pkg.Name == "log") &&
			(strings.HasPrefix(f.Sel.Name, "Print") || strings.HasPrefix(f.Sel.Name, "Fprint")) {
			return false
		}
	}
	return true
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		return v.IsNil()
	}
	return false
}

// formatValue prints a value as Go's %v does, with strings quoted.
func formatValue(v reflect.Value) string {
	if !v.IsValid() {
		return ""
	}
	if v.Kind() == reflect.String {
		return strconv.Quote(v.String())
	}
	if v.CanInterface() {
		return fmt.Sprintf("%v", v.Interface())
	}
	return v.String()
}

// Transcript returns the session's successful cells as a runnable script:
// declarations at the top level, statements in func main, and imports for
// the preloaded packages the code uses.
func (h *Host) Transcript() string {
	var decls, stmts []string
	for _, s := range h.history {
		if s.decl {
			decls = append(decls, s.src)
		} else {
			stmts = append(stmts, s.src)
		}
	}
	code := strings.Join(decls, "\n\n") + "\n" + strings.Join(stmts, "\n")
	var imports []string
	seen := map[string]bool{}
	for _, p := range Preloaded {
		if strings.Contains(code, ImportName(p)+".") {
			imports = append(imports, strconv.Quote(p))
			seen[strconv.Quote(p)] = true
		}
	}
	for _, im := range h.cellImports {
		if !seen[im] {
			seen[im] = true
			imports = append(imports, im)
		}
	}
	var b strings.Builder
	b.WriteString("package main\n\n")
	if len(imports) > 0 {
		b.WriteString("import (\n\t" + strings.Join(imports, "\n\t") + "\n)\n\n")
	}
	for _, d := range decls {
		if d != "" {
			b.WriteString(d + "\n\n")
		}
	}
	b.WriteString("func main() {\n")
	for _, s := range stmts {
		for _, l := range strings.Split(s, "\n") {
			b.WriteString("\t" + l + "\n")
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// LoadFile runs a Go file in the session, like a cell named after the file:
// its package clause is dropped, its declarations stay in the session, and
// its func main (declared as scriptMain) runs once.
func (h *Host) LoadFile(ctx context.Context, path string) (ranMain bool, err error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.PackageClauseOnly)
	if err != nil {
		return false, err
	}
	if f.Name.Name != "main" {
		return false, fmt.Errorf("%s: package %s: :load takes package main files", path, f.Name.Name)
	}
	// Blank the package clause, keeping every position in the file.
	start, end := int(f.Package)-1, int(f.Name.End())-1
	body := string(src[:start]) + strings.Repeat(" ", end-start) + string(src[end:])
	res, err := h.RunCell(ctx, path, body)
	if err != nil {
		return false, err
	}
	for _, n := range res.Notes {
		if strings.Contains(n, "scriptMain") {
			_, err := h.RunCell(ctx, path+" (main)", "scriptMain()")
			return true, err
		}
	}
	return false, nil
}
