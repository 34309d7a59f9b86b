package repl

import (
	"strings"
)

// complete is liner's word completer: it completes `:` commands at the start
// of a line, and otherwise asks the host (package members, the session's
// names, fields and methods of its values, keywords).
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
	start, cands := r.host.Complete(line, pos)
	return line[:start], cands, tail
}
