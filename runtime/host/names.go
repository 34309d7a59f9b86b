package host

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// declaredNames returns the top-level names a file declares (functions,
// types, variables, constants) and its methods as "Type.Method".
func declaredNames(f *ast.File) (names, methods []string) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names = append(names, d.Name.Name)
			} else if t := recvType(d); t != "" {
				methods = append(methods, t+"."+d.Name.Name)
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.ValueSpec:
					for _, id := range sp.Names {
						names = append(names, id.Name)
					}
				case *ast.TypeSpec:
					names = append(names, sp.Name.Name)
				}
			}
		}
	}
	return clean(names), methods
}

// recvType returns the name of a method's receiver type.
func recvType(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	for {
		switch v := t.(type) {
		case *ast.StarExpr:
			t = v.X
		case *ast.IndexExpr:
			t = v.X
		case *ast.IndexListExpr:
			t = v.X
		case *ast.ParenExpr:
			t = v.X
		case *ast.Ident:
			return v.Name
		default:
			return ""
		}
	}
}

// definedNames returns the names top-level statements define (with := or
// a var, const or type declaration statement).
func definedNames(body *ast.BlockStmt) []string {
	var names []string
	for _, st := range body.List {
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, e := range st.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						names = append(names, id.Name)
					}
				}
			}
		case *ast.DeclStmt:
			n, _ := declaredNames(&ast.File{Decls: []ast.Decl{st.Decl}})
			names = append(names, n...)
		}
	}
	return clean(names)
}

// clean drops blank and host-internal names.
func clean(names []string) []string {
	out := names[:0]
	for _, n := range names {
		if n != "_" && !strings.HasPrefix(n, "__llmsam") {
			out = append(out, n)
		}
	}
	return out
}

// checkChunk refuses, before yaegi sees it, a chunk that would leave the
// session inconsistent: one that uses a name whose declaration failed
// (yaegi keeps such names, with a zero or broken value), or that declares
// again a method (yaegi keeps the first definition of a method, even when
// the type is declared again).
func (h *Host) checkChunk(name string, p parsed) error {
	fset := h.in.FileSet()
	redeclared := map[string]bool{}
	for _, n := range p.names {
		redeclared[n] = true
	}
	if id := h.unresolved(p.node, func(n string) bool { return h.failed[n] != "" && !redeclared[n] }); id != nil {
		return fmt.Errorf("%s: undefined: %s (its declaration in %s failed)", fset.Position(id.Pos()), id.Name, h.failed[id.Name])
	}
	if !p.decl {
		return nil
	}
	for _, d := range p.node.(*ast.File).Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil {
			continue
		}
		key := recvType(fd) + "." + fd.Name.Name
		if where, ok := h.methods[key]; ok && !strings.HasPrefix(where, "!") && h.declSrc["method "+key] == p.declSrc["method "+key] {
			continue // the same method again (a cell run twice): kept as it is
		}
		if where, ok := h.methods[key]; ok {
			what := "is already defined in " + where
			if strings.HasPrefix(where, "!") {
				what = "was defined in " + where[1:] + ", where it failed"
			}
			return fmt.Errorf("%s: method %s %s; yaegi, llmsam's interpreter, cannot replace a method: "+
				"declare the type under a new name (type %s2 ...) with its methods, or :reset and run the cells again",
				fset.Position(fd.Name.Pos()), key, what, recvType(fd))
		}
	}
	// Nor can a type be declared again: yaegi keeps the first declaration
	// (and its methods).
	for _, d := range p.node.(*ast.File).Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, sp := range g.Specs {
			ts := sp.(*ast.TypeSpec)
			if where, ok := h.types[ts.Name.Name]; ok && h.declSrc["type "+ts.Name.Name] != p.declSrc["type "+ts.Name.Name] {
				return fmt.Errorf("%s: type %s is already declared in %s; yaegi, llmsam's interpreter, cannot replace a type "+
					"(nor its methods): declare it under a new name (type %s2 ...), or :reset and run the cells again",
					fset.Position(ts.Name.Pos()), ts.Name.Name, where, ts.Name.Name)
			}
		}
	}
	h.dropRepeated(p.node.(*ast.File), p)
	return nil
}

// dropRepeated removes from a declaration chunk the types and methods the
// session already has with the same source (a cell run again, as in a
// notebook): yaegi could not declare them again, and they are unchanged.
func (h *Host) dropRepeated(f *ast.File, p parsed) {
	var decls []ast.Decl
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				key := "method " + recvType(d) + "." + d.Name.Name
				if _, ok := h.declSrc[key]; ok && h.declSrc[key] == p.declSrc[key] {
					continue
				}
			}
		case *ast.GenDecl:
			if d.Tok == token.TYPE {
				var specs []ast.Spec
				for _, sp := range d.Specs {
					key := "type " + sp.(*ast.TypeSpec).Name.Name
					if _, ok := h.declSrc[key]; ok && h.declSrc[key] == p.declSrc[key] {
						continue
					}
					specs = append(specs, sp)
				}
				if len(specs) == 0 {
					continue
				}
				d.Specs = specs
			}
		}
		decls = append(decls, d)
	}
	f.Decls = decls
}

// declSources returns the source of a file's types and methods, keyed
// "type T" and "method T.M", to recognise a declaration run again.
func declSources(fset *token.FileSet, f *ast.File) map[string]string {
	out := map[string]string{}
	print := func(n ast.Node) string {
		var b strings.Builder
		printer.Fprint(&b, fset, n)
		return b.String()
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				// Without its doc comment: the first declaration of a
				// chunk carries the //line directive naming the cell,
				// which would make the same method in another cell look
				// different.
				nodoc := *d
				nodoc.Doc = nil
				out["method "+recvType(d)+"."+d.Name.Name] = print(&nodoc)
			}
		case *ast.GenDecl:
			if d.Tok == token.TYPE {
				for _, sp := range d.Specs {
					out["type "+sp.(*ast.TypeSpec).Name.Name] = print(sp)
				}
			}
		}
	}
	return out
}

// chunkFailed forgets the names a failed chunk declared (unless an earlier
// cell declared them successfully, in which case yaegi kept the old
// definition... or replaced it; either way later uses are checked) and
// records its methods as broken.
func (h *Host) chunkFailed(name string, p parsed) {
	for _, n := range p.names {
		if !h.names[n] {
			h.failed[n] = name
		}
	}
	for _, m := range h.keptMethods(p) {
		h.methods[m] = "!" + name
	}
}

// keptMethods returns the methods of a chunk whose receiver type exists,
// in the session or in the chunk: when such a chunk fails, yaegi keeps the
// method attached, broken. A method of a type nobody declared (a method
// typed before its type) is attached to nothing and may be declared again.
func (h *Host) keptMethods(p parsed) []string {
	var kept []string
	for _, m := range p.methods {
		recv, _, _ := strings.Cut(m, ".")
		if _, ok := h.types[recv]; ok || slices.Contains(p.names, recv) {
			kept = append(kept, m)
		}
	}
	return kept
}

// chunkDone records the names and methods a chunk declared.
func (h *Host) chunkDone(p parsed) {
	for _, n := range p.names {
		h.names[n] = true
		delete(h.failed, n)
	}
	name := h.cellNames[len(h.cellNames)-1]
	for _, m := range p.methods {
		if _, ok := h.methods[m]; !ok || strings.HasPrefix(h.methods[m], "!") {
			h.methods[m] = name
		}
	}
	for k, v := range p.declSrc {
		if _, ok := h.declSrc[k]; !ok {
			h.declSrc[k] = v
		}
	}
	if f, ok := p.node.(*ast.File); ok {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, sp := range g.Specs {
					if _, ok := h.types[sp.(*ast.TypeSpec).Name.Name]; !ok {
						h.types[sp.(*ast.TypeSpec).Name.Name] = name
					}
				}
			}
		}
	}
}

// recordImports remembers the imports cells made, for Transcript.
func (h *Host) recordImports(f *ast.File) {
	for _, im := range f.Imports {
		line := im.Path.Value
		if im.Name != nil {
			line = im.Name.Name + " " + line
		}
		p, _ := strconv.Unquote(im.Path.Value)
		if p == guardPath {
			continue
		}
		h.cellImports = append(h.cellImports, line)
	}
}

// undeclared reports whether a name is unknown to the session.
func (h *Host) undeclared(name string) bool {
	return !h.names[name] && !h.pkgs[name] && !universe[name] && !h.consts[name]
}

// unresolved finds an identifier that a chunk uses, that the chunk itself
// does not declare (parameters, locals, labels, its top-level names) and
// for which bad is true. Struct literal keys and selected names are
// skipped.
func (h *Host) unresolved(n ast.Node, bad func(string) bool) *ast.Ident {
	var roots []ast.Node
	if f, ok := n.(*ast.File); ok {
		for _, d := range f.Decls {
			roots = append(roots, d)
		}
	} else {
		roots = []ast.Node{n}
	}
	declared := map[string]bool{}
	for _, r := range roots {
		ast.Inspect(r, func(x ast.Node) bool {
			switch v := x.(type) {
			case *ast.AssignStmt:
				if v.Tok == token.DEFINE {
					for _, e := range v.Lhs {
						if id, ok := e.(*ast.Ident); ok {
							declared[id.Name] = true
						}
					}
				}
			case *ast.Field:
				for _, id := range v.Names {
					declared[id.Name] = true
				}
			case *ast.ValueSpec:
				for _, id := range v.Names {
					declared[id.Name] = true
				}
			case *ast.TypeSpec:
				declared[v.Name.Name] = true
			case *ast.FuncDecl:
				if v.Recv == nil {
					declared[v.Name.Name] = true
				}
			case *ast.RangeStmt:
				for _, e := range []ast.Expr{v.Key, v.Value} {
					if id, ok := e.(*ast.Ident); ok {
						declared[id.Name] = true
					}
				}
			case *ast.LabeledStmt:
				declared[v.Label.Name] = true
			case *ast.ImportSpec:
				if v.Name != nil {
					declared[v.Name.Name] = true
				} else {
					p, _ := strconv.Unquote(v.Path.Value)
					declared[ImportName(p)] = true
				}
			}
			return true
		})
	}
	var found *ast.Ident
	var visit func(x ast.Node) bool
	visit = func(x ast.Node) bool {
		if found != nil {
			return false
		}
		switch v := x.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(v.X, visit)
			return false
		case *ast.KeyValueExpr:
			if _, ok := v.Key.(*ast.Ident); !ok {
				ast.Inspect(v.Key, visit)
			}
			ast.Inspect(v.Value, visit)
			return false
		case *ast.BranchStmt, *ast.ImportSpec:
			return false
		case *ast.FuncDecl:
			// The receiver, parameters and body; not the name.
			if v.Recv != nil {
				ast.Inspect(v.Recv, visit)
			}
			ast.Inspect(v.Type, visit)
			if v.Body != nil {
				ast.Inspect(v.Body, visit)
			}
			return false
		case *ast.Ident:
			name := v.Name
			if name != "_" && !declared[name] && !strings.HasPrefix(name, "__llmsam") && bad(name) {
				found = v
			}
		}
		return true
	}
	for _, r := range roots {
		ast.Inspect(r, visit)
	}
	return found
}

// TypeName returns the name the session gave a struct type (the
// interpreter's struct types are unnamed to reflect), or "".
func (h *Host) TypeName(t reflect.Type) string {
	if t.Kind() != reflect.Struct || t.Name() != "" {
		return ""
	}
	if h.typeNames == nil || h.typeNamesFor != len(h.types) {
		h.typeNames, h.typeNamesFor = map[reflect.Type]string{}, len(h.types)
		for n := range h.types {
			if v, err := h.in.Eval(n + "{}"); err == nil && v.IsValid() && v.Kind() == reflect.Struct {
				h.typeNames[v.Type()] = n
			}
		}
	}
	return h.typeNames[t]
}

// FieldNames returns the field names of a session struct type as declared
// (yaegi renames unexported fields, w to Xw), or nil.
func (h *Host) FieldNames(t reflect.Type) []string {
	name := h.TypeName(t)
	src, ok := h.declSrc["type "+name]
	if name == "" || !ok {
		return nil
	}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\ntype "+src, 0)
	if err != nil {
		return nil
	}
	st, ok := f.Decls[0].(*ast.GenDecl).Specs[0].(*ast.TypeSpec).Type.(*ast.StructType)
	if !ok {
		return nil
	}
	var out []string
	for _, fl := range st.Fields.List {
		if len(fl.Names) == 0 { // embedded: the type's name
			e := fl.Type
			if s, ok := e.(*ast.StarExpr); ok {
				e = s.X
			}
			if sel, ok := e.(*ast.SelectorExpr); ok {
				e = sel.Sel
			}
			if id, ok := e.(*ast.Ident); ok {
				out = append(out, id.Name)
			} else {
				return nil
			}
		}
		for _, n := range fl.Names {
			out = append(out, n.Name)
		}
	}
	return out
}
