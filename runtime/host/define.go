package host

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"regexp"
	"strings"

	"github.com/traefik/yaegi/interp"
)

// yaegi's global type analysis cannot type some top-level definitions that
// Go accepts, such as `x := run.Metrics()[0][2]` (indexing the result of a
// compiled method), and reports them as a "definition loop" or crashes.
// defineFallback runs such a statement in three steps that avoid the
// analysis: each value is computed as `tmp := any(expr)`, its dynamic type
// is read from the result, and the name is declared with that type and
// assigned. The values are computed once, in order, so side effects happen
// as in Go.
func (h *Host) defineFallback(ctx context.Context, as *ast.AssignStmt) (reflect.Value, bool, error) {
	if as.Tok != token.DEFINE || len(as.Lhs) != len(as.Rhs) {
		return reflect.Value{}, false, nil
	}
	type pending struct {
		name, tmp, typ string
	}
	var todo []pending
	var last reflect.Value
	for i, rhs := range as.Rhs {
		id, ok := as.Lhs[i].(*ast.Ident)
		if !ok {
			return reflect.Value{}, false, nil
		}
		h.tmps++
		tmp := fmt.Sprintf("__llmsam_tmp%d", h.tmps)
		stmt := &ast.BlockStmt{List: []ast.Stmt{&ast.AssignStmt{
			Lhs: []ast.Expr{ast.NewIdent(tmp)}, Tok: token.DEFINE,
			Rhs: []ast.Expr{&ast.CallExpr{Fun: ast.NewIdent("any"), Args: []ast.Expr{rhs}}},
		}}}
		prog, err := h.compile(stmt)
		if err != nil {
			return reflect.Value{}, false, nil
		}
		if _, err := h.run(ctx, prog); err != nil {
			return reflect.Value{}, true, err
		}
		v, err := h.in.Eval(tmp)
		if err != nil {
			return reflect.Value{}, false, nil
		}
		// From here on the value has been computed (with its side effects):
		// failing to store it is reported as such, not as the compile error.
		stuck := func(why string) (reflect.Value, bool, error) {
			return reflect.Value{}, true, fmt.Errorf("%s: the value of %s was computed, but %s; declare it with an explicit type (var %s T = ...)",
				h.in.FileSet().Position(as.Pos()), id.Name, why, id.Name)
		}
		for v.Kind() == reflect.Interface && !v.IsNil() {
			v = v.Elem()
		}
		if !v.IsValid() || v.Kind() == reflect.Interface {
			return stuck("it is an untyped nil")
		}
		typ := v.Type().String()
		if !expressible.MatchString(typ) || strings.Contains(typ, "main.") {
			return stuck("its type " + typ + " cannot be written in Go source")
		}
		todo = append(todo, pending{id.Name, tmp, typ})
		last = v
	}
	for _, p := range todo {
		src := fmt.Sprintf("var %s %s\n%s = %s.(%s)", p.name, p.typ, p.name, p.tmp, p.typ)
		chunks, serr := splitCell(src)
		if serr != nil {
			return reflect.Value{}, true, serr
		}
		for _, c := range chunks {
			pc, err := h.parseChunk("define", 0, c)
			if err == nil {
				var prog *interp.Program
				if prog, err = h.compile(pc.node); err == nil {
					_, err = h.run(ctx, prog)
				}
			}
			if err != nil {
				return reflect.Value{}, true, fmt.Errorf("%s: the value of %s was computed but could not be stored as %s: %w",
					h.in.FileSet().Position(as.Pos()), p.name, p.typ, err)
			}
		}
		h.names[p.name] = true
	}
	return last, true, nil
}

// expressible matches type names that can be written back in Go source:
// built-in and package-qualified names, possibly under pointers, slices,
// arrays and maps.
var expressible = regexp.MustCompile(`^(?:\*|\[\d*\]|map\[[\w.]+\])*[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)?$`)

// universe holds Go's predeclared identifiers.
var universe = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`any append bool byte cap clear close comparable complex complex64
		complex128 copy delete error false float32 float64 imag int int8 int16 int32 int64 iota len
		make max min new nil panic print println real recover rune string true uint uint8 uint16
		uint32 uint64 uintptr`) {
		universe[n] = true
	}
}
