package text

import "testing"

func TestEqualFold(t *testing.T) {
	for _, c := range []struct {
		b, s string
		want bool
	}{{"Content-Length", "content-length", true}, {"CONNECTION", "connection", true}, {"content-length", "content-length", true},
		{"Content-Lengths", "content-length", false}, {"Content_Length", "content-length", false}, {"", "", true}, {"K", "k", true}, {"\u212a", "k", false}} {
		if got := EqualFold([]byte(c.b), c.s); got != c.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", c.b, c.s, got, c.want)
		}
	}
}

func TestCut(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{{"short", 10, "short"}, {"abcdef", 3, "abc…"}, {"caf\u00e9s", 4, "caf…"}, {"caf\u00e9s", 5, "caf\u00e9…"}} {
		if got := Cut(c.s, c.n); got != c.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}
