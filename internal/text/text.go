// Package text holds the small text helpers several packages share: the
// header-name comparison of the project's own HTTP/1.1 client (stdlib/llm)
// and server (stdlib/fleetsim), and shortening a text for a message.
package text

// EqualFold reports whether b equals s ignoring ASCII case, where s is
// lower case: the comparison of HTTP header names.
func EqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// Cut shortens s to at most n bytes, on a rune boundary, marking the cut
// with an ellipsis.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}
