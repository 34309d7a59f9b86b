package host

import (
	"reflect"
	"sort"
	"strings"
	"unicode"

	"github.com/traefik/yaegi/stdlib"

	"github.com/llmsam/llmsam/runtime/symbols"
)

// Complete returns the completions of the name or selector that ends at
// byte offset cursor of src: the text src[start:cursor] is to be replaced
// by one of candidates. It completes the session's names, package names
// and Go keywords; `pkg.Pre` with the package's exported members; and
// `x.Pre`, `x.f.Pre` with the fields and methods of the session's values
// (x must be a name or a chain of field selections: nothing is called).
func (h *Host) Complete(src string, cursor int) (start int, candidates []string) {
	if cursor > len(src) {
		cursor = len(src)
	}
	start = cursor
	for start > 0 {
		c := rune(src[start-1])
		if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_' || c == '.') {
			break
		}
		start--
	}
	word := src[start:cursor]
	i := strings.LastIndexByte(word, '.')
	if i < 0 {
		seen := map[string]bool{}
		for _, list := range [][]string{h.Names(), h.Packages(), keywords} {
			for _, n := range list {
				if strings.HasPrefix(n, word) && !seen[n] {
					seen[n] = true
					candidates = append(candidates, n)
				}
			}
		}
		sort.Strings(candidates)
		return start, candidates
	}
	base, member := word[:i], word[i+1:]
	var names []string
	if !strings.Contains(base, ".") && h.pkgs[base] && !h.names[base] {
		names = h.packageMembers(base)
	} else {
		names = h.valueMembers(base)
	}
	for _, m := range names {
		if strings.HasPrefix(m, member) {
			candidates = append(candidates, base+"."+m)
		}
	}
	return start, candidates
}

// packageMembers lists the exported names of a package the session
// imported, by its name.
func (h *Host) packageMembers(pkg string) []string {
	path, ok := h.PackagePath(pkg)
	if !ok {
		return nil
	}
	key := path + "/" + ImportName(path)
	seen := map[string]bool{}
	var out []string
	for _, table := range []map[string]map[string]reflect.Value{symbols.Symbols, stdlib.Symbols} {
		for name := range table[key] {
			if len(name) > 0 && unicode.IsUpper(rune(name[0])) && !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// valueMembers lists the exported fields and methods of the value of expr,
// a session name possibly followed by field selections.
func (h *Host) valueMembers(expr string) []string {
	parts := strings.Split(expr, ".")
	if !h.names[parts[0]] {
		return nil
	}
	for _, p := range parts {
		if p == "" || !isIdent(p) {
			return nil
		}
	}
	v, err := h.in.Eval(parts[0])
	if err != nil || !v.IsValid() {
		return nil
	}
	t := v.Type()
	for _, f := range parts[1:] {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		sf, ok := t.FieldByName(f)
		if !ok {
			return nil
		}
		t = sf.Type
	}
	return Members(t)
}

// Members returns the exported fields (of the struct or the struct a
// pointer points to) and methods of a type, sorted.
func Members(t reflect.Type) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] && n != "" && unicode.IsUpper(rune(n[0])) {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, tt := range []reflect.Type{t, reflect.PointerTo(t)} {
		for i := 0; i < tt.NumMethod(); i++ {
			add(tt.Method(i).Name)
		}
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		for _, f := range reflect.VisibleFields(st) {
			if f.IsExported() {
				add(f.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func isIdent(s string) bool {
	for i, c := range s {
		if !(unicode.IsLetter(c) || c == '_' || i > 0 && unicode.IsDigit(c)) {
			return false
		}
	}
	return s != ""
}

var keywords = []string{"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map", "package",
	"range", "return", "select", "struct", "switch", "type", "var"}
