package llmagent

import (
	"strings"
	"unicode/utf8"
)

// parseCanonical reads an answer in the exact shape structured output and
// the schema produce, {"thought": "...", "opinion": 7, "decision": "Yes"}
// (keys in that order, any spaces between tokens, a thought without
// escapes), in one pass without allocating more than the thought. Anything
// else returns false and goes to Parse, which gives the same answer for
// this shape: it only saves the decoding of a map for every answer.
func parseCanonical(s string) (Answer, bool) {
	i := 0
	ws := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
			i++
		}
	}
	lit := func(l string) bool {
		ws()
		if len(s)-i >= len(l) && s[i:i+len(l)] == l {
			i += len(l)
			return true
		}
		return false
	}
	var a Answer
	if !lit("{") || !lit(`"thought"`) || !lit(":") || !lit(`"`) {
		return a, false
	}
	start := i
	for i < len(s) && s[i] != '"' {
		if s[i] == '\\' || s[i] < 0x20 {
			return a, false
		}
		i++
	}
	if i == len(s) || !utf8.ValidString(s[start:i]) {
		return a, false
	}
	a.Thought = s[start:i]
	i++
	if !lit(",") || !lit(`"opinion"`) || !lit(":") {
		return a, false
	}
	ws()
	switch {
	case len(s)-i >= 2 && s[i] == '1' && s[i+1] == '0':
		a.Opinion, i = 10, i+2
	case i < len(s) && s[i] >= '0' && s[i] <= '9':
		a.Opinion, i = int(s[i]-'0'), i+1
	default:
		return a, false
	}
	if i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == 'e' || s[i] == 'E') {
		return a, false
	}
	if !lit(",") || !lit(`"decision"`) || !lit(":") {
		return a, false
	}
	switch {
	case lit(`"Yes"`):
		a.Decision = true
	case lit(`"No"`):
	default:
		return a, false
	}
	if !lit("}") {
		return a, false
	}
	ws()
	return a, i == len(s)
}

// parseAnswer parses an answer with p's rules, taking the one-pass path
// when it can.
func parseAnswer(p Parser, s string) (Answer, error) {
	if a, ok := parseCanonical(s); ok {
		if a.Thought = strings.TrimSpace(a.Thought); a.Thought != "" || p.ThoughtOptional {
			return a, nil
		}
	}
	return p.Parse(s)
}
