package host

import (
	"go/format"
	"go/scanner"
	"go/token"
	"regexp"
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
		case s.shown:
			src = "display.Show(" + src + ")"
		case s.expr:
			src = "_ = " + src
		}
		stmts = append(stmts, src)
	}
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
