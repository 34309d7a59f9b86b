package host

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
)

// guardPath is the import path of the binary package through which guarded
// goroutines report a panic to the host.
const (
	guardPath = "llmsam.host/guard"
	guardName = "__llmsam_guard"
)

// constNames holds identifiers known to name constants (untyped constants
// must not be copied into variables: they would take their default type).
type constNames map[string]bool

// collectConsts adds every constant declared in node to c.
func (c constNames) collect(node ast.Node) {
	ast.Inspect(node, func(n ast.Node) bool {
		if g, ok := n.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, sp := range g.Specs {
				for _, name := range sp.(*ast.ValueSpec).Names {
					c[name.Name] = true
				}
			}
		}
		return true
	})
}

// guarder rewrites go statements so that a panic in the goroutine is
// recovered and reported to the host instead of crashing the process:
//
//	go f(x, y)
//
// becomes
//
//	{
//		__fn, __a0, __a1 := f, x, y
//		go func() {
//			defer func() { if r := recover(); r != nil { guard.Report(r, "file:line:col") } }()
//			__fn(__a0, __a1)
//		}()
//	}
//
// so that, as in Go, the function value and arguments are evaluated at the go
// statement. Expressions that may be untyped constants (literals, declared
// constants, package-qualified names, nil, true, false) are left in place,
// since copying them would change their type and evaluating them later gives
// the same value; so are builtins.
type guarder struct {
	fset     *token.FileSet
	consts   constNames
	packages map[string]bool // names of imported packages
	n        int
}

// rewrite guards every go statement under node and reports whether it
// changed anything.
func (g *guarder) rewrite(node ast.Node) bool {
	return replaceStmts(node, false, func(st ast.Stmt) ast.Stmt {
		if gs, ok := st.(*ast.GoStmt); ok {
			return g.guard(gs)
		}
		return nil
	})
}

// replaceStmts replaces each statement under node (in blocks, case and
// comm clauses, and behind labels) for which replace returns a new one,
// not descending into function literals when skipFuncLits is set, and
// reports whether it replaced any.
func replaceStmts(node ast.Node, skipFuncLits bool, replace func(ast.Stmt) ast.Stmt) bool {
	changed := false
	fix := func(list []ast.Stmt) {
		for i, st := range list {
			if r := replace(st); r != nil {
				list[i] = r
				changed = true
			}
		}
	}
	ast.Inspect(node, func(n ast.Node) bool {
		switch v := n.(type) {
		case *ast.FuncLit:
			return !skipFuncLits
		case *ast.BlockStmt:
			fix(v.List)
		case *ast.CaseClause:
			fix(v.Body)
		case *ast.CommClause:
			fix(v.Body)
		case *ast.LabeledStmt:
			if r := replace(v.Stmt); r != nil {
				v.Stmt = r
				changed = true
			}
		}
		return true
	})
	return changed
}

var builtins = map[string]bool{
	"append": true, "cap": true, "clear": true, "close": true, "complex": true, "copy": true,
	"delete": true, "imag": true, "len": true, "make": true, "max": true, "min": true, "new": true,
	"panic": true, "print": true, "println": true, "real": true, "recover": true,
}

// constantLike reports whether e may be an untyped constant (or is nil).
func (g *guarder) constantLike(e ast.Expr) bool {
	switch v := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		return g.consts[v.Name] || v.Name == "nil" || v.Name == "true" || v.Name == "false" || v.Name == "iota"
	case *ast.SelectorExpr:
		id, ok := v.X.(*ast.Ident)
		return ok && g.packages[id.Name]
	case *ast.ParenExpr:
		return g.constantLike(v.X)
	case *ast.UnaryExpr:
		return g.constantLike(v.X)
	case *ast.BinaryExpr:
		return g.constantLike(v.X) && g.constantLike(v.Y)
	}
	return false
}

// rewriteDefers turns the defer statements of a cell's top level (outside
// function literals) into calls registered with the host, which runs them
// when the cell ends; yaegi would otherwise run them after every later
// cell. As in Go, the function and its arguments are evaluated at once.
func (g *guarder) rewriteDefers(body *ast.BlockStmt) bool {
	return replaceStmts(body, true, func(st ast.Stmt) ast.Stmt {
		if ds, ok := st.(*ast.DeferStmt); ok {
			return g.deferred(ds)
		}
		return nil
	})
}

// deferred rewrites `defer f(x)` as `{ fn, a := f, x; guard.Defer(func() { fn(a) }) }`.
func (g *guarder) deferred(ds *ast.DeferStmt) ast.Stmt {
	lhs, rhs, call := g.hold(ds.Call)
	reg := &ast.ExprStmt{X: &ast.CallExpr{
		Fun: &ast.SelectorExpr{X: ast.NewIdent(guardName), Sel: ast.NewIdent("Defer")},
		Args: []ast.Expr{&ast.FuncLit{
			Type: &ast.FuncType{Params: &ast.FieldList{}},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: call}}},
		}},
	}}
	if len(lhs) == 0 {
		return reg
	}
	return &ast.BlockStmt{List: []ast.Stmt{&ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs}, reg}}
}

// hold returns assignments that evaluate a call's function and arguments
// now, and the call made with the held values.
func (g *guarder) hold(call *ast.CallExpr) (lhs, rhs []ast.Expr, held *ast.CallExpr) {
	g.n++
	hold := func(e ast.Expr, name string) ast.Expr {
		lhs = append(lhs, ast.NewIdent(name))
		rhs = append(rhs, e)
		return ast.NewIdent(name)
	}
	fun := call.Fun
	if id, ok := fun.(*ast.Ident); !(ok && builtins[id.Name]) && !g.constantLike(fun) {
		if _, lit := fun.(*ast.FuncLit); !lit {
			fun = hold(fun, fmt.Sprintf("__llmsam_fn%d", g.n))
		}
	}
	args := make([]ast.Expr, len(call.Args))
	for i, a := range call.Args {
		if g.constantLike(a) {
			args[i] = a
			continue
		}
		args[i] = hold(a, fmt.Sprintf("__llmsam_a%d_%d", g.n, i))
	}
	return lhs, rhs, &ast.CallExpr{Fun: fun, Args: args, Ellipsis: call.Ellipsis}
}

func (g *guarder) guard(gs *ast.GoStmt) ast.Stmt {
	where := g.fset.Position(gs.Pos()).String()
	lhs, rhs, call := g.hold(gs.Call)
	recoverCall := &ast.IfStmt{
		Init: &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("r")}, Tok: token.DEFINE,
			Rhs: []ast.Expr{&ast.CallExpr{Fun: ast.NewIdent("recover")}}},
		Cond: &ast.BinaryExpr{X: ast.NewIdent("r"), Op: token.NEQ, Y: ast.NewIdent("nil")},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
			Fun:  &ast.SelectorExpr{X: ast.NewIdent(guardName), Sel: ast.NewIdent("Report")},
			Args: []ast.Expr{ast.NewIdent("r"), &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(where)}},
		}}}},
	}
	deferRecover := &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{recoverCall}},
	}}}
	body := &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{
			deferRecover,
			&ast.ExprStmt{X: call},
		}},
	}
	goStmt := &ast.GoStmt{Go: gs.Go, Call: &ast.CallExpr{Fun: body}}
	if len(lhs) == 0 {
		return goStmt
	}
	return &ast.BlockStmt{List: []ast.Stmt{
		&ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs},
		goStmt,
	}}
}

// instrument records, before every statement of node's function bodies,
// the statement's position in the host's position register
// (`__llmsam_guard.Pos = pos`), so that a panic can name the statement that
// raised it: yaegi's own trace names only the function. Statements of
// function literals deferred directly (`defer func() { ... }()`) are left
// alone, since they run while a panic unwinds. The cost is one store per
// statement executed.
func (g *guarder) instrument(node ast.Node) {
	skip := map[*ast.FuncLit]bool{}
	mark := func(list []ast.Stmt) []ast.Stmt {
		if len(list) == 0 {
			return list
		}
		switch list[0].(type) {
		case *ast.CaseClause, *ast.CommClause:
			return list // a switch or select body
		}
		out := make([]ast.Stmt, 0, 2*len(list))
		for _, st := range list {
			out = append(out, &ast.AssignStmt{
				Lhs: []ast.Expr{&ast.SelectorExpr{X: &ast.Ident{NamePos: st.Pos(), Name: guardName}, Sel: &ast.Ident{NamePos: st.Pos(), Name: "Pos"}}},
				Tok: token.ASSIGN, TokPos: st.Pos(),
				Rhs: []ast.Expr{&ast.BasicLit{ValuePos: st.Pos(), Kind: token.INT, Value: strconv.Itoa(int(st.Pos()))}},
			}, st)
		}
		return out
	}
	ast.Inspect(node, func(n ast.Node) bool {
		switch v := n.(type) {
		case *ast.DeferStmt:
			if lit, ok := v.Call.Fun.(*ast.FuncLit); ok {
				skip[lit] = true
			}
		case *ast.FuncLit:
			return !skip[v]
		case *ast.BlockStmt:
			v.List = mark(v.List)
		case *ast.CaseClause:
			v.Body = mark(v.Body)
		case *ast.CommClause:
			v.Body = mark(v.Body)
		}
		return true
	})
}

// isPositionRecord reports whether st is a statement instrument inserted.
func isPositionRecord(st ast.Stmt) bool {
	as, ok := st.(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 1 {
		return false
	}
	sel, ok := as.Lhs[0].(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == guardName && sel.Sel.Name == "Pos"
}
