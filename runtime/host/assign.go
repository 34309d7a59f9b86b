package host

import (
	"fmt"
	"go/ast"
	"go/token"
)

// This file rewrites statements that yaegi (llmsam's interpreter) compiles
// without complaint but runs wrongly, into equivalent statements it runs as
// Go does. Each was measured against `go run` (see the conformance program
// cmd/llmsam/testdata/conformance/assignments.go):
//
//   - A tuple assignment from one multi-valued expression with an index
//     expression on the left, `m[k], err = f()` (also `= <-ch`, `= v.(T)`,
//     `= m2[j]`): yaegi leaves a map element unchanged.
//   - A range loop that assigns instead of declaring, `for k, v = range x`:
//     yaegi never assigns an index expression, field or pointed-to variable,
//     and leaves a plain variable as it was before the loop.
//   - A for loop with an empty body, `for i := 0; i < n; i++ {}` or
//     `for range x {}`: yaegi ends the enclosing function after the loop,
//     skipping the statements that follow (a result silently missing).

// fixAssignments rewrites, everywhere under node (function literals
// included), the statements yaegi runs wrongly (see above) and reports
// whether it changed anything. It needs nothing from the host at run time.
func (g *guarder) fixAssignments(node ast.Node) bool {
	return replaceStmts(node, false, func(st ast.Stmt) ast.Stmt {
		switch v := st.(type) {
		case *ast.AssignStmt:
			return g.tupleAssign(v)
		case *ast.RangeStmt:
			if r := g.rangeAssign(v, nil); r != nil {
				return r
			}
			if len(v.Body.List) == 0 {
				v.Body.List = []ast.Stmt{&ast.EmptyStmt{Semicolon: v.Body.Lbrace}}
				return v
			}
		case *ast.LabeledStmt:
			// The label stays on the loop (break L, continue L) when the
			// rewrite puts statements before it.
			if rs, ok := v.Stmt.(*ast.RangeStmt); ok {
				return g.rangeAssign(rs, v)
			}
		case *ast.ForStmt:
			if len(v.Body.List) == 0 {
				v.Body.List = []ast.Stmt{&ast.EmptyStmt{Semicolon: v.Body.Lbrace}}
				return v
			}
		}
		return nil
	})
}

// tupleAssign rewrites `a[i], b = f()` as
//
//	{
//		__h := i              // index operands that are not pure, in order
//		__v1, __v2 := f()
//		a[__h], b = __v1, __v2
//	}
//
// As in Go, the operands of the left side's index expressions and pointer
// indirections are evaluated (once, left to right) before the right side,
// and the assignments are then made left to right. Pure operands (names,
// constants and expressions of them without calls or receives) are left in
// place: evaluating them later gives the same value.
func (g *guarder) tupleAssign(as *ast.AssignStmt) ast.Stmt {
	if as.Tok != token.ASSIGN || len(as.Rhs) != 1 || len(as.Lhs) < 2 || !anyIndex(as.Lhs) {
		return nil
	}
	g.n++
	pos := as.Pos()
	var list []ast.Stmt
	held := 0
	hold := func(e ast.Expr) ast.Expr {
		name := fmt.Sprintf("__llmsam_h%d_%d", g.n, held)
		held++
		list = append(list, define(pos, []ast.Expr{&ast.Ident{NamePos: pos, Name: name}}, e))
		return &ast.Ident{NamePos: pos, Name: name}
	}
	lhs := make([]ast.Expr, len(as.Lhs))
	for i, l := range as.Lhs {
		lhs[i] = holdOperands(l, hold)
	}
	var tmps, vals []ast.Expr
	for i := range as.Lhs {
		name := fmt.Sprintf("__llmsam_v%d_%d", g.n, i)
		tmps = append(tmps, &ast.Ident{NamePos: pos, Name: name})
		vals = append(vals, &ast.Ident{NamePos: pos, Name: name})
	}
	list = append(list, define(pos, tmps, as.Rhs[0]))
	list = append(list, &ast.AssignStmt{Lhs: lhs, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: vals})
	return &ast.BlockStmt{Lbrace: pos, List: list, Rbrace: as.End()}
}

// anyIndex reports whether one of the expressions is an index expression.
func anyIndex(list []ast.Expr) bool {
	for _, e := range list {
		if _, ok := ast.Unparen(e).(*ast.IndexExpr); ok {
			return true
		}
	}
	return false
}

// define returns `lhs := rhs` at pos.
func define(pos token.Pos, lhs []ast.Expr, rhs ast.Expr) *ast.AssignStmt {
	return &ast.AssignStmt{Lhs: lhs, TokPos: pos, Tok: token.DEFINE, Rhs: []ast.Expr{rhs}}
}

// holdOperands returns the assignable expression e with the operands that
// are not pure replaced by what hold returns for them (a temporary holding
// the value). The variable an index, selector or indirection leads to is
// kept as an expression, never copied: an array indexed must stay the same
// array.
func holdOperands(e ast.Expr, hold func(ast.Expr) ast.Expr) ast.Expr {
	switch v := e.(type) {
	case *ast.Ident:
		return v
	case *ast.ParenExpr:
		return &ast.ParenExpr{Lparen: v.Lparen, X: holdOperands(v.X, hold), Rparen: v.Rparen}
	case *ast.SelectorExpr:
		return &ast.SelectorExpr{X: holdOperands(v.X, hold), Sel: v.Sel}
	case *ast.IndexExpr:
		x := holdOperands(v.X, hold)
		index := v.Index
		if !pure(index) {
			index = hold(index)
		}
		return &ast.IndexExpr{X: x, Lbrack: v.Lbrack, Index: index, Rbrack: v.Rbrack}
	case *ast.StarExpr:
		return &ast.StarExpr{Star: v.Star, X: holdOperands(v.X, hold)}
	}
	// A call (f().x, g()[k]), a slice expression, a conversion: a pointer,
	// map or slice value, which a temporary holds as well.
	if pure(e) {
		return e
	}
	return hold(e)
}

// pure reports whether evaluating e calls nothing and receives nothing, so
// that evaluating it later, after the right side, gives the same value.
func pure(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch v := n.(type) {
		case *ast.CallExpr, *ast.FuncLit, *ast.CompositeLit:
			ok = false
		case *ast.UnaryExpr:
			if v.Op == token.ARROW {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// rangeAssign rewrites `for k, v = range x { body }` as
//
//	for __k, __v := range x {
//		k, v = __k, __v
//		body
//	}
//
// which assigns k and v at the start of each iteration, as Go does (the
// operands of index expressions on the left are evaluated each time), and
// returns nil when rs declares its variables. label is the statement that
// labels rs, if any: the result then carries the label on its loop.
func (g *guarder) rangeAssign(rs *ast.RangeStmt, label *ast.LabeledStmt) ast.Stmt {
	if rs.Tok != token.ASSIGN {
		return nil
	}
	g.n++
	pos := rs.For
	ident := func(name string) *ast.Ident { return &ast.Ident{NamePos: pos, Name: name} }
	labeled := func(loop ast.Stmt) ast.Stmt {
		if label == nil {
			return loop
		}
		return &ast.LabeledStmt{Label: label.Label, Colon: label.Colon, Stmt: loop}
	}
	var lhs, rhs []ast.Expr
	temp := func(e ast.Expr, name string) ast.Expr {
		if e == nil || isBlank(e) {
			return e
		}
		lhs = append(lhs, e)
		rhs = append(rhs, ident(name))
		return &ast.Ident{NamePos: e.Pos(), Name: name}
	}
	key, value := rs.Key, rs.Value
	k := fmt.Sprintf("__llmsam_k%d", g.n)
	rs.Key = temp(rs.Key, k)
	rs.Value = temp(rs.Value, fmt.Sprintf("__llmsam_e%d", g.n))
	if len(lhs) == 0 {
		// for _ = range x, for _, _ = range x: nothing is assigned.
		rs.Key, rs.Value, rs.Tok = nil, nil, token.ILLEGAL
		if len(rs.Body.List) == 0 {
			rs.Body.List = []ast.Stmt{&ast.EmptyStmt{Semicolon: rs.Body.Lbrace}}
		}
		return labeled(rs)
	}
	if rs.Key == nil || isBlank(rs.Key) {
		rs.Key = ident("_")
	}
	rs.Tok = token.DEFINE
	rs.Body.List = append([]ast.Stmt{&ast.AssignStmt{Lhs: lhs, TokPos: rs.TokPos, Tok: token.ASSIGN, Rhs: rhs}}, rs.Body.List...)
	if isBlank(key) || value != nil || !pure(key) || !g.untypedInt(rs.X) {
		return labeled(rs)
	}
	// for k = range 10: as in Go, the count takes k's type, which yaegi
	// cannot range over unless it is int; a three-clause loop counts in it
	// (reading k only when the loop runs, as an element may not exist):
	//
	//	if 10 > 0 {
	//		__n := k
	//		__n = 10
	//		for __k := __n - __n; __k < __n; __k++ {
	//			k = __k
	//			body
	//		}
	//	}
	n := fmt.Sprintf("__llmsam_n%d", g.n)
	loop := &ast.ForStmt{For: pos,
		Init: define(pos, []ast.Expr{ident(k)}, &ast.BinaryExpr{X: ident(n), OpPos: pos, Op: token.SUB, Y: ident(n)}),
		Cond: &ast.BinaryExpr{X: ident(k), OpPos: pos, Op: token.LSS, Y: ident(n)},
		Post: &ast.IncDecStmt{X: ident(k), TokPos: pos, Tok: token.INC},
		Body: rs.Body,
	}
	return &ast.IfStmt{If: pos,
		Cond: &ast.BinaryExpr{X: rs.X, OpPos: pos, Op: token.GTR, Y: &ast.BasicLit{ValuePos: pos, Kind: token.INT, Value: "0"}},
		Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{
			define(pos, []ast.Expr{ident(n)}, key),
			&ast.AssignStmt{Lhs: []ast.Expr{ident(n)}, TokPos: pos, Tok: token.ASSIGN, Rhs: []ast.Expr{rs.X}},
			labeled(loop),
		}, Rbrace: rs.End()},
	}
}

// untypedInt reports whether e may be an untyped integer constant: an
// integer literal, a constant declared in the source, or arithmetic of
// them.
func (g *guarder) untypedInt(e ast.Expr) bool {
	switch v := e.(type) {
	case *ast.BasicLit:
		return v.Kind == token.INT
	case *ast.Ident:
		return g.consts[v.Name]
	case *ast.ParenExpr:
		return g.untypedInt(v.X)
	case *ast.UnaryExpr:
		return g.untypedInt(v.X)
	case *ast.BinaryExpr:
		return g.untypedInt(v.X) && g.untypedInt(v.Y)
	}
	return false
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}
