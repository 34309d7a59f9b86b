package host

import (
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Transcript returns the session's successful cells as a program that `go
// run` (and llmsam) runs and that prints what the session printed:
// declarations at the top level; statements in func main, in order; a
// value the session displayed printed with display.Show; a variable
// defined with := declared at the package level when its type can be
// written (so that functions of the session may use it, as in the session,
// and it is never "declared and not used"), and otherwise kept local and
// marked used; imports for the packages the code uses.
func (h *Host) Transcript() string {
	var decls, stmts []string
	hoisted := map[string]string{} // name -> type, declared at the package level
	var hoistOrder, locals []string
	defined := map[string]bool{}
	for _, s := range h.history {
		if s.decl {
			decls = append(decls, s.src)
			continue
		}
		src := s.src
		for _, n := range s.defines {
			if _, ok := hoisted[n]; ok || defined[n] {
				continue
			}
			if t, ok := h.writableType(n); ok {
				hoisted[n] = t
				hoistOrder = append(hoistOrder, n)
			} else {
				locals = append(locals, n)
			}
		}
		if len(s.defines) > 0 {
			all := true
			for _, n := range s.defines {
				_, hoist := hoisted[n]
				all = all && (hoist || defined[n])
			}
			if all {
				src = defineToAssign(src)
			}
			for _, n := range s.defines {
				defined[n] = true
			}
		}
		switch {
		case s.shown && s.nilType != "":
			src = "display.ShowAs(" + src + ", " + strconv.Quote(s.nilType) + ")"
		case s.shown:
			src = "display.Show(" + src + ")"
		case s.expr:
			src = "_ = " + src
		}
		stmts = append(stmts, src)
	}
	decls, redeclared := lastDeclarations(decls)
	code := strings.Join(decls, "\n\n") + "\n" + strings.Join(stmts, "\n")
	for _, t := range hoisted {
		code += "\n" + t
	}
	var imports []string
	seen := map[string]bool{}
	for _, p := range Preloaded {
		if regexp.MustCompile(`\b` + ImportName(p) + `\.`).MatchString(code) {
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
		// The standard library first, then the rest, as goimports groups them.
		var std, other []string
		for _, im := range imports {
			path := im[strings.IndexByte(im, '"'):]
			if first, _, _ := strings.Cut(strings.Trim(path, `"`), "/"); strings.Contains(first, ".") {
				other = append(other, im)
			} else {
				std = append(std, im)
			}
		}
		groups := strings.Join(std, "\n\t")
		if len(std) > 0 && len(other) > 0 {
			groups += "\n\n\t"
		}
		groups += strings.Join(other, "\n\t")
		b.WriteString("import (\n\t" + groups + "\n)\n\n")
	}
	if len(hoistOrder) > 0 {
		b.WriteString("// Variables the session defined with :=.\nvar (\n")
		for _, n := range hoistOrder {
			b.WriteString("\t" + n + " " + hoisted[n] + "\n")
		}
		b.WriteString(")\n\n")
	}
	if len(redeclared) > 0 {
		b.WriteString("// Declared more than once in the session, kept as last declared (cells run\n// before the last declaration used the earlier one): " + strings.Join(redeclared, ", ") + ".\n\n")
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
	if len(locals) > 0 {
		b.WriteString("\t_, _ = " + strings.Join(locals, ", ") + ", 0\n")
	}
	b.WriteString("}\n")
	if src, err := format.Source([]byte(b.String())); err == nil {
		return string(src)
	}
	return b.String()
}

// writableType returns the type of a session variable as Go source, when
// it can be written: named types of the packages the session knows,
// built-in types, and pointers, slices, arrays and maps of them.
func (h *Host) writableType(name string) (string, bool) {
	v, err := h.in.Eval(name)
	if err != nil || !v.IsValid() {
		return "", false
	}
	s := strings.ReplaceAll(v.Type().String(), "main.", "")
	if !expressible.MatchString(s) {
		return "", false
	}
	// A qualified name must be a package the program imports.
	for _, m := range regexp.MustCompile(`([A-Za-z_]\w*)\.`).FindAllStringSubmatch(s, -1) {
		if !h.pkgs[m[1]] {
			return "", false
		}
	}
	return s, true
}

// defineToAssign turns the first top-level := of a statement into =.
func defineToAssign(src string) string {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), nil, 0)
	depth := 0
	for {
		pos, tok, _ := s.Scan()
		switch tok {
		case token.EOF:
			return src
		case token.LBRACE, token.LPAREN, token.LBRACK:
			depth++
		case token.RBRACE, token.RPAREN, token.RBRACK:
			depth--
		case token.DEFINE:
			if depth == 0 {
				off := file.Offset(pos)
				return src[:off] + "=" + src[off+2:]
			}
		}
	}
}

// lastDeclarations drops the top-level declarations that a later cell
// declared again (a function redefined, a cell re-run): the session uses
// the last one, and `go run` refuses a name declared twice. A declaration
// is dropped when every name it declares is declared again later; the
// source of the others is kept as typed. It also returns the names (or
// "T.M" for methods) of what it dropped.
func lastDeclarations(decls []string) ([]string, []string) {
	const head = "package main\n"
	type item struct {
		chunk      int
		start, end int
		keys       []string
	}
	var items []item
	last := map[string]int{} // key -> index in items of its last declaration
	for k, src := range decls {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", head+src, parser.ParseComments)
		if err != nil {
			return decls, nil // cannot happen: the session parsed it; keep it as it is
		}
		base := fset.File(f.Pos()).Base() + len(head)
		for _, d := range f.Decls {
			it := item{chunk: k, start: int(d.Pos()) - base, end: int(d.End()) - base, keys: declKeys(d)}
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Doc != nil {
					it.start = int(d.Doc.Pos()) - base
				}
			case *ast.GenDecl:
				if d.Doc != nil {
					it.start = int(d.Doc.Pos()) - base
				}
			}
			for _, key := range it.keys {
				last[key] = len(items)
			}
			items = append(items, it)
		}
	}
	dropped := map[int]bool{}
	for i, it := range items {
		if len(it.keys) == 0 {
			continue
		}
		later := true
		for _, key := range it.keys {
			later = later && last[key] > i
		}
		dropped[i] = later
	}
	var names []string
	for i, it := range items {
		if dropped[i] {
			for _, key := range it.keys {
				if !slices.Contains(names, strings.TrimPrefix(key, "method ")) {
					names = append(names, strings.TrimPrefix(key, "method "))
				}
			}
		}
	}
	if len(names) == 0 {
		return decls, nil
	}
	// A chunk that lost a declaration is its remaining declarations, one
	// after the other (what separated them may be a semicolon).
	touched := map[int]bool{}
	for i, it := range items {
		touched[it.chunk] = touched[it.chunk] || dropped[i]
	}
	kept := make([][]string, len(decls))
	for i, it := range items {
		if !dropped[i] {
			kept[it.chunk] = append(kept[it.chunk], decls[it.chunk][it.start:it.end])
		}
	}
	out := make([]string, len(decls))
	for k, src := range decls {
		if touched[k] {
			out[k] = strings.Join(kept[k], "\n\n")
		} else {
			out[k] = src
		}
	}
	return out, names
}

// declKeys names what a top-level declaration declares: functions, types,
// variables and constants by their names (one name space), methods as
// "method T.M"; blank names and imports are not counted.
func declKeys(d ast.Decl) []string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv != nil {
			return []string{"method " + recvType(d) + "." + d.Name.Name}
		}
		return []string{d.Name.Name}
	case *ast.GenDecl:
		var keys []string
		for _, sp := range d.Specs {
			switch sp := sp.(type) {
			case *ast.TypeSpec:
				keys = append(keys, sp.Name.Name)
			case *ast.ValueSpec:
				for _, n := range sp.Names {
					if n.Name != "_" {
						keys = append(keys, n.Name)
					}
				}
			}
		}
		return keys
	}
	return nil
}
