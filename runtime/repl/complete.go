package repl

import (
	"reflect"
	"sort"
	"strings"
	"unicode"

	"github.com/traefik/yaegi/stdlib"

	"github.com/llmsam/llmsam/runtime/host"
	"github.com/llmsam/llmsam/runtime/symbols"
)

// complete is liner's word completer: it completes `:` commands at the start
// of a line, `pkg.Member` for the session's packages, and otherwise the
// session's names, package names and Go keywords.
func (r *REPL) complete(line string, pos int) (head string, completions []string, tail string) {
	head, tail = line[:pos], line[pos:]
	if strings.HasPrefix(strings.TrimSpace(head), ":") && !strings.Contains(strings.TrimSpace(head), " ") {
		trimmed := strings.TrimSpace(head)
		for _, c := range commands {
			if strings.HasPrefix(c.name, trimmed) {
				completions = append(completions, c.name+" ")
			}
		}
		return head[:len(head)-len(trimmed)], completions, tail
	}
	start := len(head)
	for start > 0 {
		c := rune(head[start-1])
		if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_' || c == '.') {
			break
		}
		start--
	}
	word := head[start:]
	prefix := head[:start]
	return prefix, r.candidates(word), tail
}

// candidates returns the completions of a partial word.
func (r *REPL) candidates(word string) []string {
	var out []string
	if i := strings.LastIndexByte(word, '.'); i >= 0 {
		pkg, member := word[:i], word[i+1:]
		for _, m := range r.members(pkg) {
			if strings.HasPrefix(m, member) {
				out = append(out, pkg+"."+m)
			}
		}
		return out
	}
	seen := map[string]bool{}
	for _, list := range [][]string{r.host.Names(), r.host.Packages(), keywords} {
		for _, n := range list {
			if strings.HasPrefix(n, word) && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}

// members lists the exported names of a package the session imported,
// by its name.
func (r *REPL) members(pkg string) []string {
	path, ok := r.host.PackagePath(pkg)
	if !ok {
		return nil
	}
	key := path + "/" + host.ImportName(path)
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

var keywords = []string{"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map", "package",
	"range", "return", "select", "struct", "switch", "type", "var"}
