// Package ascii holds the byte-level helpers the project's own HTTP/1.1
// client (stdlib/llm) and server (stdlib/fleetsim) share.
package ascii

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
