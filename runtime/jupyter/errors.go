package jupyter

import (
	"errors"
	"fmt"
	"strings"

	"github.com/llmsam/llmsam/runtime/host"
)

// errorOutput turns a cell's error into Jupyter's error output: its kind,
// its message, and a traceback that quotes the line at the position the
// compiler or the panic gave (in this cell or an earlier one, from
// sources), with a caret under the column.
func errorOutput(err error, sources map[string]string) Output {
	ename := "Error"
	var pos host.Position
	var compile *host.CompileError
	var panicked host.PanicError
	var exit host.ExitError
	switch {
	case errors.As(err, &compile):
		ename, pos = "CompileError", compile.Pos
	case errors.As(err, &panicked):
		ename, pos = "Panic", panicked.Pos
	case errors.As(err, &exit):
		ename = "Exit"
	}
	msg := err.Error()
	tb := strings.Split(strings.TrimRight(msg, "\n"), "\n")
	if src, ok := sources[pos.File]; ok && pos.IsValid() {
		tb = append(tb, quote(pos, src)...)
	}
	first, _, _ := strings.Cut(msg, "\n")
	return Output{Type: ErrorType, EName: ename, EValue: first, Traceback: tb}
}

// quote returns the source line at pos with a caret under its column.
func quote(pos host.Position, src string) []string {
	lines := strings.Split(src, "\n")
	if pos.Line > len(lines) {
		return nil
	}
	line := lines[pos.Line-1]
	widen := func(s string) string { return strings.ReplaceAll(s, "\t", "    ") }
	pad := len(widen(line[:min(max(pos.Col-1, 0), len(line))]))
	gutter := fmt.Sprintf("%4d | ", pos.Line)
	return []string{"", gutter + widen(line), strings.Repeat(" ", len(gutter)-2) + "| " + strings.Repeat(" ", pad) + "^"}
}
