package llmagent

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/llmsam/llmsam/internal/jsonenc"
)

// This file holds the quoted form of the compiled templates (see renderer):
// the user message rendered straight into its JSON string.

// renderQuoted appends parts rendered with d (a struct, or a pointer to
// one) to dst as one JSON string, quotes included: byte for byte
// jsonenc.AppendString(dst, text, true) of the text renderString renders.
// ok is false, and dst is returned as it was, when a part has no quoted
// form or a dynamic string starts with a UTF-8 continuation byte (which
// could complete a rune begun by the string before it): the caller then
// renders the text.
func renderQuoted(dst []byte, d any, parts ...part) (out []byte, ok bool, err error) {
	if !quotable(parts) {
		return dst, false, nil
	}
	v := dataValue(d)
	out = append(dst, '"')
	for _, p := range parts {
		if out, err = p.q(out, v); err != nil {
			if err == errSplitRune {
				err = nil
			}
			return dst, false, err
		}
	}
	return append(out, '"'), true, nil
}

// quotable reports whether every part has a quoted form.
func quotable(parts []part) bool {
	for _, p := range parts {
		if p.q == nil {
			return false
		}
	}
	return true
}

// errSplitRune stops a quoted renderer at a dynamic string that starts
// with a UTF-8 continuation byte: escaped on its own it might not be what
// it is in the whole text (see jsonenc.AppendEscaped).
var errSplitRune = fmt.Errorf("llmagent: a string starts inside a UTF-8 sequence")

// appendQuotedString appends a dynamic string s in a quoted renderer.
func appendQuotedString(dst []byte, s string) ([]byte, error) {
	if len(s) > 0 && s[0]&0xC0 == 0x80 {
		return dst, errSplitRune
	}
	return jsonenc.AppendEscaped(dst, s, true), nil
}

// A stringMemo appends the dynamic strings of one action of a quoted
// renderer (appendQuotedString), remembering the escapes of the last long
// string it escaped: the scenario's texts and the step's news are the
// same string (the same bytes in memory, which the memo keeps alive) in
// every prompt of a step, and are then copied instead of escaped again.
// An action whose strings keep changing (thoughts, facts) stops being
// remembered after memoMisses of them.
type stringMemo struct {
	last   atomic.Pointer[escapedString]
	misses atomic.Int32
}

type escapedString struct {
	s   string
	esc []byte
}

const (
	memoMin    = 32 // shorter strings are escaped as fast as they are looked up
	memoMisses = 64
)

func (m *stringMemo) appendTo(dst []byte, s string) ([]byte, error) {
	if len(s) < memoMin {
		return appendQuotedString(dst, s)
	}
	if e := m.last.Load(); e != nil && len(e.s) == len(s) && unsafe.StringData(e.s) == unsafe.StringData(s) {
		return append(dst, e.esc...), nil
	}
	start := len(dst)
	dst, err := appendQuotedString(dst, s)
	if err == nil && m.misses.Load() < memoMisses && m.misses.Add(1) <= memoMisses {
		m.last.Store(&escapedString{s, slices.Clone(dst[start:])})
	}
	return dst, err
}

// appendTurnJSONQuoted appends Turn.JSON of a Turn value as it is
// written inside a JSON string.
func appendTurnJSONQuoted(dst []byte, v reflect.Value) []byte {
	t := turnOf(v)
	dst = append(dst, `{\"thought\": `...)
	dst = appendJSONTextQuoted(dst, t.Thought)
	dst = append(dst, `, \"opinion\": `...)
	dst = strconv.AppendInt(dst, int64(t.Opinion), 10)
	dst = append(dst, `, \"decision\": `...)
	dst = appendJSONTextQuoted(dst, t.Decision)
	return append(dst, '}')
}

// twice[b] is the ASCII byte b escaped twice: in a JSON string without
// HTML escapes (appendJSONText) itself written inside an HTML-safe JSON
// string (a quoted renderer's output); same[b] says it stays b.
var twice, same = func() (t [utf8.RuneSelf]string, same [utf8.RuneSelf]bool) {
	for b := range t {
		inner := jsonenc.AppendEscaped(nil, string(rune(b)), false)
		t[b] = string(jsonenc.AppendEscaped(nil, string(inner), true))
		same[b] = t[b] == string(rune(b))
	}
	return t, same
}()

// appendJSONTextQuoted appends appendJSONText(s), quotes included, as it
// is written inside a JSON string, in one pass: byte for byte
// jsonenc.AppendEscaped(dst, appendJSONText(nil, s), true)
// (TestJSONTextQuoted).
func appendJSONTextQuoted(dst []byte, s string) []byte {
	dst = append(dst, `\"`...)
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			j := i
			for j < len(s) && s[j] < utf8.RuneSelf && same[s[j]] {
				j++
			}
			if j > i {
				dst = append(dst, s[i:j]...)
				i = j
				continue
			}
			dst = append(dst, twice[b]...)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\\ufffd`...)
		case r == '\u2028':
			dst = append(dst, `\\u2028`...)
		case r == '\u2029':
			dst = append(dst, `\\u2029`...)
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, `\"`...)
}
