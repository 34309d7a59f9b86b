// Package jsonenc appends Go strings as JSON strings byte for byte as
// encoding/json writes them, without reflection, for the hot paths that
// build request bodies and prompts by appending.
package jsonenc

import (
	"slices"
	"unicode/utf8"
)

// safe[html][b] marks the ASCII bytes encoding/json writes as they are,
// with (html = 1) and without (html = 0) its HTML-safe escapes of <, > and &.
var safe = func() (t [2][utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[0][b] = b != '"' && b != '\\'
		t[1][b] = t[0][b] && b != '<' && b != '>' && b != '&'
	}
	return t
}()

// AppendString appends s as a JSON string exactly as encoding/json encodes
// it: json.Marshal when escapeHTML is true, an Encoder with
// SetEscapeHTML(false) otherwise. Invalid UTF-8 becomes \ufffd; U+2028 and
// U+2029 are escaped.
func AppendString(dst []byte, s string, escapeHTML bool) []byte {
	dst = AppendEscaped(append(dst, '"'), s, escapeHTML)
	return append(dst, '"')
}

// AppendEscaped appends what AppendString writes between the quotes. The
// escapes of a string split between two calls are those of the whole
// string unless a UTF-8 sequence is split: the second part then starts
// with a continuation byte (0x80-0xBF).
func AppendEscaped(dst []byte, s string, escapeHTML bool) []byte {
	const hex = "0123456789abcdef"
	ok := &safe[0]
	if escapeHTML {
		ok = &safe[1]
	}
	// Chunks of up to 64 bytes, each written by index into room reserved
	// for its worst case (6 bytes out per byte in: \u00XX, or \ufffd for
	// one invalid byte), instead of an append per byte or per run.
	for i := 0; i < len(s); {
		end := min(i+64, len(s))
		if cap(dst)-len(dst) < 6*(end-i) {
			dst = slices.Grow(dst, 6*(end-i)+len(s)-end)
		}
		buf := dst[:cap(dst)]
		n := len(dst)
		for i < end {
			b := s[i]
			if b < utf8.RuneSelf {
				i++
				if ok[b] {
					buf[n] = b
					n++
					continue
				}
				buf[n] = '\\'
				switch b {
				case '\\', '"':
					buf[n+1] = b
				case '\b':
					buf[n+1] = 'b'
				case '\f':
					buf[n+1] = 'f'
				case '\n':
					buf[n+1] = 'n'
				case '\r':
					buf[n+1] = 'r'
				case '\t':
					buf[n+1] = 't'
				default:
					n += 1 + copy(buf[n+1:], []byte{'u', '0', '0', hex[b>>4], hex[b&0xF]})
					continue
				}
				n += 2
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				n += copy(buf[n:], `\ufffd`)
			case r == '\u2028' || r == '\u2029':
				n += copy(buf[n:], []byte{'\\', 'u', '2', '0', '2', hex[r&0xF]})
			default:
				n += copy(buf[n:], s[i:i+size])
			}
			i += size
		}
		dst = buf[:n]
	}
	return dst
}
