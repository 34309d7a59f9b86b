package jsonenc

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestMatchesEncodingJSON compares AppendString with encoding/json, with and
// without HTML escapes, on strings with every kind of byte that is escaped.
func TestMatchesEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", `quote " and \ backslash`, "<a href='x'>&</a>", "tab\tnew\nline\rcr\bbs\fff\x00\x1f",
		"ünïcödé 中文", "bad \xff utf8 \xc3", "line\u2028sep\u2029", strings.Repeat("é<", 100)}
	for _, s := range cases {
		for _, html := range []bool{true, false} {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(html)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			want := strings.TrimSuffix(b.String(), "\n")
			if got := string(AppendString(nil, s, html)); got != want {
				t.Errorf("AppendString(%q, html %v) = %s, want %s", s, html, got, want)
			}
		}
	}
}
