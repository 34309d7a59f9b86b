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
//   - The same assignments as if, switch and for init statements and as
//     for post statements; receives into anything but a name in select
//     cases (`case m[k] = <-ch:`, `case s[i], ok = <-ch:`).
//   - A three-clause loop whose body assigns its variable (`i++` to skip
//     an element): yaegi undoes the assignment (see loopVar).
//   - A type switch whose only clause is default, `switch y := x.(type) {
//     default: ... }`: yaegi binds y to nil.
//
// And one it fails on loudly: a parallel assignment of nil, `x, err = 1,
// nil` (see nilAssign).

// fixAssignments rewrites, everywhere under node (function literals
// included), the statements yaegi runs wrongly (see above) and reports
// whether it changed anything. It needs nothing from the host at run time.
func (g *guarder) fixAssignments(node ast.Node) bool {
	return replaceStmts(node, false, func(st ast.Stmt) ast.Stmt {
		if l, ok := st.(*ast.LabeledStmt); ok {
			// The label stays on its statement (break L, continue L) when
			// a rewrite puts statements before it.
			return g.fixStmt(l.Stmt, l)
		}
		return g.fixStmt(st, nil)
	})
}

// fixStmt returns the rewrite of st, labeled by label when that is not
// nil, or nil when st needs none.
func (g *guarder) fixStmt(st ast.Stmt, label *ast.LabeledStmt) ast.Stmt {
	var pre []ast.Stmt
	changed := false
	switch v := st.(type) {
	case *ast.AssignStmt:
		if r := g.tupleAssign(v); r != nil {
			st, changed = r, true
		} else if r := g.nilAssign(v); r != nil {
			st, changed = r, true
		}
	case *ast.RangeStmt:
		if r := g.rangeAssign(v, label); r != nil {
			return r
		}
		changed = fillEmpty(v.Body)
	case *ast.ForStmt:
		if r := g.loopVar(v, label); r != nil {
			return r
		}
		changed = fillEmpty(v.Body)
		if as, ok := v.Post.(*ast.AssignStmt); ok {
			if r := g.tupleAssign(as); r != nil {
				// The post statement must stay a simple statement: a
				// function literal called at once does the assignment.
				v.Post = &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.FuncLit{Type: &ast.FuncType{Func: as.Pos(), Params: &ast.FieldList{}}, Body: r.(*ast.BlockStmt)}, Lparen: as.Pos(), Rparen: as.Pos()}}
				changed = true
			}
		}
		pre = g.hoistInit(&v.Init)
	case *ast.IfStmt:
		pre = g.hoistInit(&v.Init)
	case *ast.SwitchStmt:
		pre = g.hoistInit(&v.Init)
	case *ast.TypeSwitchStmt:
		if sw := onlyDefault(v); sw != nil {
			st, changed = sw, true
			pre = g.hoistInit(&sw.Init)
			break
		}
		pre = g.hoistInit(&v.Init)
	case *ast.SelectStmt:
		changed = g.selectRecv(v)
	}
	if !changed && len(pre) == 0 {
		return nil
	}
	if label != nil {
		st = &ast.LabeledStmt{Label: label.Label, Colon: label.Colon, Stmt: st}
	}
	if len(pre) == 0 {
		return st
	}
	return &ast.BlockStmt{Lbrace: st.Pos(), List: append(pre, st), Rbrace: st.End()}
}

// onlyDefault rewrites a type switch whose only clause is default and
// which binds a name, `switch y := x.(type) { default: body }` (yaegi
// binds y to nil there), as `switch { default: y := x; _ = y; body }`,
// which keeps what break means; it returns nil for other type switches.
func onlyDefault(ts *ast.TypeSwitchStmt) *ast.SwitchStmt {
	as, ok := ts.Assign.(*ast.AssignStmt)
	if !ok || len(ts.Body.List) != 1 || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return nil
	}
	cc, ok := ts.Body.List[0].(*ast.CaseClause)
	ta, isAssert := as.Rhs[0].(*ast.TypeAssertExpr)
	if !ok || cc.List != nil || !isAssert {
		return nil
	}
	y := as.Lhs[0].(*ast.Ident)
	bind := []ast.Stmt{
		&ast.AssignStmt{Lhs: []ast.Expr{y}, TokPos: as.TokPos, Tok: token.DEFINE, Rhs: []ast.Expr{ta.X}},
		&ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: y.Pos(), Name: "_"}}, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: []ast.Expr{&ast.Ident{NamePos: y.Pos(), Name: y.Name}}},
	}
	cc.Body = append(bind, cc.Body...)
	return &ast.SwitchStmt{Switch: ts.Switch, Init: ts.Init, Body: ts.Body}
}

// fillEmpty gives an empty loop body a statement that does nothing,
// `_ = 0` (yaegi skips an empty statement as it does an empty body), and
// reports whether the body was empty.
func fillEmpty(body *ast.BlockStmt) bool {
	if len(body.List) > 0 {
		return false
	}
	body.List = []ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: body.Lbrace, Name: "_"}}, TokPos: body.Lbrace, Tok: token.ASSIGN,
		Rhs: []ast.Expr{&ast.BasicLit{ValuePos: body.Lbrace, Kind: token.INT, Value: "0"}}}}
	return true
}

// hoistInit rewrites the init statement of an if, switch or for statement
// that tupleAssign rewrites, `if m[k], ok = m2[j]; ok`, into the
// assignment of the temporaries, `if m[k], ok = __v1, __v2; ok`, and
// returns the statements that must come before (defining them).
func (g *guarder) hoistInit(init *ast.Stmt) []ast.Stmt {
	as, ok := (*init).(*ast.AssignStmt)
	if !ok {
		return nil
	}
	b, ok := g.tupleAssign(as).(*ast.BlockStmt)
	if !ok {
		return nil
	}
	n := len(b.List)
	*init = b.List[n-1]
	return b.List[:n-1]
}

// selectRecv rewrites the cases of a select statement that receive into
// assigned variables, `case m[k], ok = <-ch:` (yaegi assigns neither an
// element nor a field there), as `case __r1, __r2 := <-ch: m[k], ok = __r1,
// __r2`: as in Go, the left side is evaluated and assigned when the case is
// chosen. It reports whether it changed anything.
func (g *guarder) selectRecv(sel *ast.SelectStmt) bool {
	changed := false
	for _, c := range sel.Body.List {
		cc, ok := c.(*ast.CommClause)
		if !ok {
			continue
		}
		as, ok := cc.Comm.(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN {
			continue
		}
		g.n++
		pos := as.Pos()
		var tmps, lhs, rhs []ast.Expr
		for i, l := range as.Lhs {
			if isBlank(l) {
				tmps = append(tmps, &ast.Ident{NamePos: pos, Name: "_"})
				continue
			}
			name := fmt.Sprintf("__llmsam_r%d_%d", g.n, i)
			tmps = append(tmps, &ast.Ident{NamePos: pos, Name: name})
			lhs = append(lhs, l)
			rhs = append(rhs, &ast.Ident{NamePos: pos, Name: name})
		}
		changed = true
		if len(lhs) == 0 {
			cc.Comm = &ast.ExprStmt{X: as.Rhs[0]}
			continue
		}
		cc.Comm = &ast.AssignStmt{Lhs: tmps, TokPos: as.TokPos, Tok: token.DEFINE, Rhs: as.Rhs}
		cc.Body = append([]ast.Stmt{&ast.AssignStmt{Lhs: lhs, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: rhs}}, cc.Body...)
	}
	return changed
}

// loopVar rewrites a three-clause loop that declares its variables,
// `for i := 0; i < n; i++ { body }`, when its body assigns one of them:
// yaegi gives each iteration a copy of the variable, as Go does, but
// tests the condition and runs the post statement on the variable of the
// first, so that the body's assignments are lost (`i++` in the body, to
// skip an element, is undone). The rewrite makes each iteration's
// variable, as the Go specification describes, with the previous
// iteration's value:
//
//	{
//		i := 0
//		__p := &i
//		for __first := true; ; __first = false {
//			i := *__p
//			__p = &i
//			if !__first {
//				i++
//			}
//			if !(i < n) {
//				break
//			}
//			{ body }
//		}
//	}
//
// It returns nil when the loop needs no rewrite. label is the statement
// that labels fs, if any: the result carries the label on its loop.
func (g *guarder) loopVar(fs *ast.ForStmt, label *ast.LabeledStmt) ast.Stmt {
	init, ok := fs.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE || fs.Cond == nil || fs.Post == nil {
		return nil
	}
	names := map[string]bool{}
	for _, l := range init.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok || isBlank(id) {
			return nil
		}
		names[id.Name] = true
	}
	if !assigns(fs.Body, names) {
		return nil
	}
	g.n++
	pos := fs.For
	ident := func(name string) *ast.Ident { return &ast.Ident{NamePos: pos, Name: name} }
	first := fmt.Sprintf("__llmsam_first%d", g.n)
	var vars, ptrs, addrs, derefs []ast.Expr
	for i, l := range init.Lhs {
		name := l.(*ast.Ident).Name
		p := fmt.Sprintf("__llmsam_p%d_%d", g.n, i)
		vars = append(vars, ident(name))
		ptrs = append(ptrs, ident(p))
		addrs = append(addrs, &ast.UnaryExpr{OpPos: pos, Op: token.AND, X: ident(name)})
		derefs = append(derefs, &ast.StarExpr{Star: pos, X: ident(p)})
	}
	assign := func(lhs, rhs []ast.Expr, tok token.Token) *ast.AssignStmt {
		return &ast.AssignStmt{Lhs: lhs, TokPos: pos, Tok: tok, Rhs: rhs}
	}
	body := []ast.Stmt{
		assign(vars, derefs, token.DEFINE),
		assign(ptrs, addrs, token.ASSIGN),
		&ast.IfStmt{If: pos, Cond: &ast.UnaryExpr{OpPos: pos, Op: token.NOT, X: ident(first)},
			Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{fs.Post}, Rbrace: pos}},
		&ast.IfStmt{If: pos, Cond: &ast.UnaryExpr{OpPos: pos, Op: token.NOT, X: &ast.ParenExpr{Lparen: pos, X: fs.Cond, Rparen: pos}},
			Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{&ast.BranchStmt{TokPos: pos, Tok: token.BREAK}}, Rbrace: pos}},
		fs.Body,
	}
	var loop ast.Stmt = &ast.ForStmt{For: pos,
		Init: assign([]ast.Expr{ident(first)}, []ast.Expr{ident("true")}, token.DEFINE),
		Post: assign([]ast.Expr{ident(first)}, []ast.Expr{ident("false")}, token.ASSIGN),
		Body: &ast.BlockStmt{Lbrace: fs.Body.Lbrace, List: body, Rbrace: fs.Body.Rbrace},
	}
	if label != nil {
		loop = &ast.LabeledStmt{Label: label.Label, Colon: label.Colon, Stmt: loop}
	}
	return &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{init, assign(ptrs, addrs, token.DEFINE), loop}, Rbrace: fs.End()}
}

// assigns reports whether node may assign one of the variables named:
// by an assignment, an increment or decrement or a range loop whose left
// side is the variable (or an element or field of it), or by taking its
// address. A name declared again inside counts too (the rewrite it leads
// to is then merely unneeded).
func assigns(node ast.Node, names map[string]bool) bool {
	found := false
	root := func(e ast.Expr) bool {
		for {
			switch v := e.(type) {
			case *ast.Ident:
				return names[v.Name]
			case *ast.ParenExpr:
				e = v.X
			case *ast.SelectorExpr:
				e = v.X
			case *ast.IndexExpr:
				e = v.X
			default:
				return false
			}
		}
	}
	ast.Inspect(node, func(n ast.Node) bool {
		switch v := n.(type) {
		case *ast.AssignStmt:
			if v.Tok != token.DEFINE {
				for _, l := range v.Lhs {
					found = found || root(l)
				}
			}
		case *ast.IncDecStmt:
			found = found || root(v.X)
		case *ast.RangeStmt:
			if v.Tok == token.ASSIGN {
				found = found || v.Key != nil && root(v.Key) || v.Value != nil && root(v.Value)
			}
		case *ast.UnaryExpr:
			found = found || v.Op == token.AND && root(v.X)
		}
		return !found
	})
	return found
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

// nilAssign rewrites a parallel assignment of nil, `x, err = 1, nil`
// (yaegi panics: "reflect: New(nil)"), as
//
//	{
//		__z := err
//		__z = nil
//		x, err = 1, __z
//	}
//
// a nil of the variable's type. It returns nil when no value is nil or
// when a variable assigned nil is not pure (reading it first could call
// something).
func (g *guarder) nilAssign(as *ast.AssignStmt) ast.Stmt {
	if as.Tok != token.ASSIGN || len(as.Lhs) < 2 || len(as.Lhs) != len(as.Rhs) {
		return nil
	}
	var list []ast.Stmt
	rhs := append([]ast.Expr(nil), as.Rhs...)
	for i, r := range as.Rhs {
		if id, ok := r.(*ast.Ident); !ok || id.Name != "nil" {
			continue
		}
		if isBlank(as.Lhs[i]) || !pure(as.Lhs[i]) {
			return nil
		}
		if len(list) == 0 {
			g.n++
		}
		pos := r.Pos()
		name := fmt.Sprintf("__llmsam_z%d_%d", g.n, i)
		list = append(list,
			define(pos, []ast.Expr{&ast.Ident{NamePos: pos, Name: name}}, as.Lhs[i]),
			&ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: pos, Name: name}}, TokPos: pos, Tok: token.ASSIGN, Rhs: []ast.Expr{r}})
		rhs[i] = &ast.Ident{NamePos: pos, Name: name}
	}
	if len(list) == 0 {
		return nil
	}
	list = append(list, &ast.AssignStmt{Lhs: as.Lhs, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: rhs})
	return &ast.BlockStmt{Lbrace: as.Pos(), List: list, Rbrace: as.End()}
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
		fillEmpty(rs.Body)
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
