package jupyter

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/llmsam/llmsam/runtime/host"
)

// errorOutput turns a cell's error into Jupyter's error output: its kind,
// its message, and a traceback that quotes the cell's line at the position
// the compiler or the panic gave, with a caret under the column.
func errorOutput(name, code string, err error) Output {
	ename := "CompileError"
	var panicked host.PanicError
	var exit host.ExitError
	switch {
	case errors.As(err, &panicked):
		ename = "Panic"
	case errors.As(err, &exit):
		ename = "Exit"
	}
	msg := err.Error()
	tb := strings.Split(strings.TrimRight(msg, "\n"), "\n")
	if line, col, ok := Position(name, msg); ok {
		lines := strings.Split(code, "\n")
		if line >= 1 && line <= len(lines) {
			src := strings.ReplaceAll(lines[line-1], "\t", "    ")
			// the caret goes under column col of the original line (tabs widened)
			prefix := lines[line-1][:min(max(col-1, 0), len(lines[line-1]))]
			pad := len(strings.ReplaceAll(prefix, "\t", "    "))
			gutter := fmt.Sprintf("%4d | ", line)
			tb = append(tb, "", gutter+src, strings.Repeat(" ", len(gutter)-2)+"| "+strings.Repeat(" ", pad)+"^")
		}
	}
	first, _, _ := strings.Cut(msg, "\n")
	return Output{Type: ErrorType, EName: ename, EValue: first, Traceback: tb}
}

// Position finds the first "NAME:LINE:COL" in an error message.
func Position(name, msg string) (line, col int, ok bool) {
	m := regexp.MustCompile(regexp.QuoteMeta(name) + `:(\d+):(\d+)`).FindStringSubmatch(msg)
	if m == nil {
		return 0, 0, false
	}
	line, _ = strconv.Atoi(m[1])
	col, _ = strconv.Atoi(m[2])
	return line, col, true
}
