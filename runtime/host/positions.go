package host

import (
	"errors"
	"regexp"
	"strconv"
)

// replFile is yaegi's file name for REPL input: imports made under it are
// visible to every later cell.
const replFile = "_.go"

// cellLine separates cells in encoded line numbers: line L of cell k is
// reported by the interpreter as line k*cellLine + L.
const cellLine = 1_000_000

var encodedPos = regexp.MustCompile(`(?:_\.go:)?\b(\d{7,}):(\d+)`)

// decodeString rewrites encoded positions into "cell:line:col".
func (h *Host) decodeString(s string) string {
	return encodedPos.ReplaceAllStringFunc(s, func(m string) string {
		sub := encodedPos.FindStringSubmatch(m)
		n, err := strconv.Atoi(sub[1])
		if err != nil {
			return m
		}
		id, line := n/cellLine, n%cellLine
		if id < 1 || id > len(h.cellNames) {
			return m
		}
		return h.cellNames[id-1] + ":" + strconv.Itoa(line) + ":" + sub[2]
	})
}

// decodedError keeps the original error for errors.Is and errors.As while
// showing decoded positions.
type decodedError struct {
	msg string
	err error
}

func (e decodedError) Error() string { return e.msg }
func (e decodedError) Unwrap() error { return e.err }

// decode returns err with cell positions decoded.
func (h *Host) decode(err error) error {
	if err == nil {
		return nil
	}
	var p PanicError
	if errors.As(err, &p) {
		return PanicError{Msg: h.decodeString(p.Msg)}
	}
	msg := h.decodeString(err.Error())
	if msg == err.Error() {
		return err
	}
	return decodedError{msg: msg, err: err}
}
