package kernel

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/llmsam/llmsam/runtime/host"
)

// byteOffset converts a cursor position in code points (the protocol's
// unit since 5.2) into a byte offset of code.
func byteOffset(code string, cursor int) int {
	if cursor < 0 {
		return 0
	}
	off := 0
	for i := 0; i < cursor && off < len(code); i++ {
		_, n := utf8.DecodeRuneInString(code[off:])
		off += n
	}
	return off
}

// completions completes the word before the cursor as the REPL does and
// returns the span it replaces, in code points.
func completions(h *host.Host, code string, cursor int) (start, end int, matches []string) {
	off := byteOffset(code, cursor)
	from, got := h.Complete(code, off)
	if got == nil {
		got = []string{}
	}
	return utf8.RuneCountInString(code[:from]), utf8.RuneCountInString(code[:off]), got
}

// inspection returns :doc's text for the (possibly qualified) name at the
// cursor, e.g. sim.Study when the cursor is in or just after it.
func inspection(h *host.Host, code string, cursor int) (string, bool) {
	off := byteOffset(code, cursor)
	isName := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' }
	start, end := off, off
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(code[:start])
		if !isName(r) {
			break
		}
		start -= n
	}
	for end < len(code) {
		r, n := utf8.DecodeRuneInString(code[end:])
		if !isName(r) {
			break
		}
		end += n
	}
	word := strings.Trim(code[start:end], ".")
	// Try the whole name, then drop trailing parts (sim.Study.Steps -> sim.Study).
	for w := word; w != ""; {
		if text, ok := h.Doc(w); ok {
			return text, true
		}
		i := strings.LastIndexByte(w, '.')
		if i < 0 {
			break
		}
		w = w[:i]
	}
	return "", false
}

// indentOf returns the indentation to continue incomplete input with: the
// last line's, plus a tab after an opening brace or parenthesis.
func indentOf(code string) string {
	lines := strings.Split(strings.TrimRight(code, "\n"), "\n")
	last := lines[len(lines)-1]
	indent := last[:len(last)-len(strings.TrimLeft(last, " \t"))]
	if t := strings.TrimSpace(last); strings.HasSuffix(t, "{") || strings.HasSuffix(t, "(") {
		indent += "\t"
	}
	return indent
}
