package repl

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

func TestInlineProtocols(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		env  func(string) string
		want string
	}{
		{env("KITTY_WINDOW_ID", "1"), "kitty"},
		{env("TERM", "xterm-kitty"), "kitty"},
		{env("TERM_PROGRAM", "iTerm.app"), "iterm2"},
		{env("TERM", "xterm-256color"), ""},
	} {
		if got := InlineProtocol(tc.env); got != tc.want {
			t.Errorf("InlineProtocol = %q, want %q", got, tc.want)
		}
	}
	png := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 2000) // 8000 bytes: 10668 base64 chars, 3 kitty chunks
	var b bytes.Buffer
	WriteInline(&b, "kitty", png)
	chunks := strings.Split(strings.TrimSuffix(b.String(), "\x1b\\"), "\x1b\\")
	if len(chunks) != 3 || !strings.HasPrefix(chunks[0], "\x1b_Ga=T,f=100,m=1;") || !strings.HasPrefix(chunks[2], "\x1b_Gm=0;") {
		t.Fatalf("kitty chunks: %d, first %q", len(chunks), chunks[0][:20])
	}
	var payload string
	for _, c := range chunks {
		payload += c[strings.IndexByte(c, ';')+1:]
	}
	if dec, err := base64.StdEncoding.DecodeString(payload); err != nil || !bytes.Equal(dec, png) {
		t.Fatal("kitty payload does not decode to the image")
	}
	b.Reset()
	WriteInline(&b, "iterm2", png)
	if !strings.HasPrefix(b.String(), "\x1b]1337;File=inline=1;size=8000;") || !strings.HasSuffix(b.String(), "\a") {
		t.Fatalf("iterm2 sequence %q", b.String()[:40])
	}
}
