package repl

import (
	"github.com/llmsam/llmsam/runtime/host"
	"github.com/llmsam/llmsam/runtime/symbols"
)

// Complete completes the word before byte offset pos of line as Tab does
// in the REPL, for the session of h: head is the text before the word and
// each completion replaces the word.
func Complete(h *host.Host, line string, pos int) (head string, completions []string) {
	r := &REPL{host: h}
	head, completions, _ = r.complete(line, pos)
	return head, completions
}

// Doc returns the text `:doc key` shows, and whether key is documented (the
// text is otherwise a suggestion of names).
func Doc(key string) (string, bool) {
	_, ok := symbols.Docs[key]
	return doc(key), ok
}
