package host

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

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

// IsType reports whether name is a type the session declared.
func (h *Host) IsType(name string) bool {
	_, ok := h.types[name]
	return ok
}

// Value evaluates a name of the session (for :vars), or reports false.
func (h *Host) Value(name string) (reflect.Value, bool) {
	if !h.names[name] || h.IsType(name) {
		return reflect.Value{}, false
	}
	v, err := h.in.Eval(name)
	return v, err == nil && v.IsValid()
}

// worthPrinting reports whether the value of a final statement should be
// shown: an expression statement that is not a call to a print function,
// to a function literal without results, nor a receive.
func worthPrinting(st ast.Stmt) bool {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return false
	}
	if u, ok := es.X.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return false // a receive statement, <-ch, waits: its value is not the point
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return true
	}
	switch f := call.Fun.(type) {
	case *ast.Ident:
		// print functions, and builtins whose result is a by-product
		return f.Name != "print" && f.Name != "println" && f.Name != "panic" && f.Name != "copy" && f.Name != "recover"
	case *ast.FuncLit:
		return f.Type.Results != nil && len(f.Type.Results.List) > 0
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
