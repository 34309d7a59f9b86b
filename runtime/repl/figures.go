package repl

import (
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// announceFigure tells the user where a cell saved a figure and, on a
// terminal that speaks an inline image protocol, shows PNGs in place.
func (r *REPL) announceFigure(path string) {
	fmt.Fprintf(r.out, "figure: %s\n", path)
	if !strings.HasSuffix(strings.ToLower(path), ".png") || !term.IsTerminal(int(os.Stdout.Fd())) {
		return
	}
	proto := InlineProtocol(os.Getenv)
	if proto == "" {
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	WriteInline(r.out, proto, b)
	fmt.Fprintln(r.out)
}

// InlineProtocol returns "kitty", "iterm2" or "" for the terminal described
// by the environment.
func InlineProtocol(getenv func(string) string) string {
	switch {
	case getenv("KITTY_WINDOW_ID") != "" || getenv("TERM") == "xterm-kitty":
		return "kitty"
	case getenv("TERM_PROGRAM") == "iTerm.app" || getenv("TERM_PROGRAM") == "WezTerm" || getenv("LC_TERMINAL") == "iTerm2":
		return "iterm2"
	}
	return ""
}

// WriteInline writes a PNG image in the given inline image protocol: kitty's
// graphics protocol (base64 chunks of at most 4096 bytes, f=100 for PNG) or
// iTerm2's OSC 1337 File sequence.
func WriteInline(w io.Writer, proto string, png []byte) {
	enc := base64.StdEncoding.EncodeToString(png)
	switch proto {
	case "kitty":
		for i := 0; i < len(enc); i += 4096 {
			end := min(i+4096, len(enc))
			more := 1
			if end == len(enc) {
				more = 0
			}
			if i == 0 {
				fmt.Fprintf(w, "\x1b_Ga=T,f=100,m=%d;%s\x1b\\", more, enc[i:end])
			} else {
				fmt.Fprintf(w, "\x1b_Gm=%d;%s\x1b\\", more, enc[i:end])
			}
		}
	case "iterm2":
		fmt.Fprintf(w, "\x1b]1337;File=inline=1;size=%d;preserveAspectRatio=1:%s\a", len(png), enc)
	}
}
