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

// TestEveryByteAtEveryOffset puts each byte value (and two-byte UTF-8
// sequences) at each offset of plain text, so that the eight-bytes-at-a-time
// path meets it in every lane and at the word boundaries.
func TestEveryByteAtEveryOffset(t *testing.T) {
	plain := "abcdefghijklmnopqrstuvwxyz0123456789"[:24]
	for b := range 256 {
		for _, ins := range []string{string([]byte{byte(b)}), string(rune(b))} {
			for off := range len(plain) {
				s := plain[:off] + ins + plain[off:]
				for _, html := range []bool{true, false} {
					var buf bytes.Buffer
					enc := json.NewEncoder(&buf)
					enc.SetEscapeHTML(html)
					enc.Encode(s)
					want := strings.TrimSuffix(buf.String(), "\n")
					if got := string(AppendString(nil, s, html)); got != want {
						t.Fatalf("AppendString(%q, html %v) = %s, want %s", s, html, got, want)
					}
				}
			}
		}
	}
}

// BenchmarkAppendString escapes a 1.5 KB prompt-like text, against
// encoding/json's encoder in the same run.
func BenchmarkAppendString(b *testing.B) {
	s := strings.Repeat("- friend 12: opinion 7, decision Yes, \"It saves water & time.\"\n", 24)
	b.Run("encoding-json", func(b *testing.B) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		b.SetBytes(int64(len(s)))
		for b.Loop() {
			buf.Reset()
			enc.Encode(s)
		}
	})
	b.Run("jsonenc", func(b *testing.B) {
		var dst []byte
		b.SetBytes(int64(len(s)))
		for b.Loop() {
			dst = AppendString(dst[:0], s, true)
		}
	})
}

// TestEscapedInParts: AppendEscaped of a string cut in two, part after
// part, is AppendString's inside of the whole string, when the second part
// does not start with a UTF-8 continuation byte (as its doc says).
func TestEscapedInParts(t *testing.T) {
	s := "a\"b\\c<d>&e\n\x01 é中\xff\xc3 \u2028\U0001F600 end\xe4\xb8"
	for cut := range len(s) + 1 {
		if cut < len(s) && s[cut]&0xC0 == 0x80 {
			continue
		}
		for _, html := range []bool{true, false} {
			want := AppendString(nil, s, html)
			got := AppendEscaped(AppendEscaped([]byte{'"'}, s[:cut], html), s[cut:], html)
			if got = append(got, '"'); !bytes.Equal(got, want) {
				t.Fatalf("cut at %d, html %v: %s, want %s", cut, html, got, want)
			}
		}
	}
}
