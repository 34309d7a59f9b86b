package host

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// replFile is yaegi's file name for REPL input: imports made under it are
// visible to every later cell.
const replFile = "_.go"

// cellLine separates cells in encoded line numbers: line L of cell k is
// reported by the interpreter as line k*cellLine + L.
const cellLine = 1_000_000

var yaegiBasic = regexp.MustCompile(`\b(type )(bool|u?int(?:8|16|32|64|ptr)?|float(?:32|64)|complex(?:64|128)|string)T\b`)

var encodedPos = regexp.MustCompile(`(?:_\.go:)?\b(\d{7,}):(\d+)`)

// Position is a place in a script file or a cell: File is the script's path
// or the cell's name ("cell 3", a notebook's path); Line and Col are
// 1-based.
type Position struct {
	File      string
	Line, Col int
}

func (p Position) String() string {
	if p.File == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsValid reports whether the position is known.
func (p Position) IsValid() bool { return p.Line > 0 }

// CompileError is a cell or script that does not compile: a syntax error,
// a type error, an undefined or unusable name. Msg is the compiler's
// message (yaegi's, or go/parser's for syntax).
type CompileError struct {
	Pos Position
	Msg string
}

func (e *CompileError) Error() string { return e.Pos.String() + ": " + e.Msg }

// PanicError is a panic in interpreted code: Msg is the panic's value, Pos
// the statement where it happened, Trace the interpreted functions that
// led there, innermost first (their positions are not known: yaegi reports
// only the function). For a panic in a goroutine the script started, Pos
// is the go statement.
type PanicError struct {
	Msg       string
	Pos       Position
	Trace     []Frame
	Goroutine bool
}

// Frame is one interpreted call of a panic's trace.
type Frame struct {
	Pos  Position
	Func string // e.g. "main.idx"
}

func (e PanicError) Error() string {
	if e.Goroutine {
		return fmt.Sprintf("panic in goroutine started at %s: %s", e.Pos, e.Msg)
	}
	var b strings.Builder
	switch {
	case e.Pos.IsValid():
		b.WriteString(e.Pos.String() + ": ")
	case e.Pos.File != "":
		b.WriteString(e.Pos.File + ": ")
	}
	b.WriteString("panic: " + e.Msg)
	for i, f := range e.Trace {
		switch {
		case f.Func == "":
			continue
		case i == 0:
			b.WriteString("\n\tin " + f.Func)
		default:
			b.WriteString("\n\tcalled from " + f.Func)
		}
		if f.Pos.IsValid() {
			b.WriteString(" at " + f.Pos.String())
		}
	}
	return b.String()
}

// position decodes a position the interpreter reported.
func (h *Host) position(file string, line, col int) Position {
	if line >= cellLine {
		id := line / cellLine
		if id >= 1 && id <= len(h.cellNames) {
			return Position{File: h.cellNames[id-1], Line: line % cellLine, Col: col}
		}
	}
	if file == replFile {
		file = ""
	}
	return Position{File: file, Line: line, Col: col}
}

// decodeString rewrites encoded positions into "cell:line:col".
func (h *Host) decodeString(s string) string {
	// yaegi names the basic types by its type categories ("cannot use "a"
	// (type stringT) as type intT"): say them as Go does.
	s = yaegiBasic.ReplaceAllString(s, "${1}${2}")
	return encodedPos.ReplaceAllStringFunc(s, func(m string) string {
		sub := encodedPos.FindStringSubmatch(m)
		n, err := strconv.Atoi(sub[1])
		if err != nil {
			return m
		}
		col, _ := strconv.Atoi(sub[2])
		p := h.position(replFile, n, col)
		if p.File == "" {
			return m
		}
		return p.String()
	})
}

// leadingPos matches an error message that starts with file:line:col.
var leadingPos = regexp.MustCompile(`(?s)^(.*?):(\d+):(\d+): (.*)$`)

// decode returns err with cell positions decoded, compile errors as
// *CompileError.
func (h *Host) decode(err error) error {
	if err == nil {
		return nil
	}
	var p PanicError
	var exit ExitError
	var ce *CompileError
	switch {
	case errors.As(err, &p), errors.As(err, &exit), errors.As(err, &ce),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	msg := h.decodeString(err.Error())
	if m := leadingPos.FindStringSubmatch(msg); m != nil && !strings.Contains(m[1], "\n") {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return &CompileError{Pos: Position{File: m[1], Line: line, Col: col}, Msg: m[4]}
	}
	if msg == err.Error() {
		return err
	}
	return decodedError{msg: msg, err: err}
}

// decodedError keeps the original error for errors.Is and errors.As while
// showing decoded positions.
type decodedError struct {
	msg string
	err error
}

func (e decodedError) Error() string { return e.msg }
func (e decodedError) Unwrap() error { return e.err }
