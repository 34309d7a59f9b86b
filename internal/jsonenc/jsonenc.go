// Package jsonenc appends Go strings as JSON strings byte for byte as
// encoding/json writes them, without reflection, for the hot paths that
// build request bodies and prompts by appending.
package jsonenc

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"
	"unsafe"
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
	const hex = "0123456789abcdef"
	ok := &safe[0]
	if escapeHTML {
		ok = &safe[1]
	}
	dst = slices.Grow(dst, len(s)+2+8)
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		// Eight bytes at a time: each word is stored into the spare
		// capacity, and kept up to its first byte that needs a look.
		for i+8 <= len(s) {
			if cap(dst)-len(dst) < 8 {
				dst = slices.Grow(dst, len(s)-i+8)
			}
			x := load8(s, i)
			n := len(dst)
			binary.LittleEndian.PutUint64(dst[n:n+8], x)
			bad := needs8(x, escapeHTML)
			if bad == 0 {
				dst = dst[:n+8]
				i += 8
				continue
			}
			k := bits.TrailingZeros64(bad) >> 3
			dst = dst[:n+k]
			i += k
			break
		}
		if i >= len(s) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			i++
			if ok[b] {
				dst = append(dst, b)
				continue
			}
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// Word-at-a-time tests (Hacker's Delight, 2nd ed., section 6-1): in each
// mask the lowest set bit is the high bit of the first byte that matches
// (bits above it may be set falsely by borrows, and are not used).
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// needs8 returns a mask whose lowest set bit marks the first of x's eight
// bytes that is not plain ASCII needing no escape (below 0x20, '"', '\\',
// non-ASCII, and '<', '>', '&' when escapeHTML), or 0 when there is none.
func needs8(x uint64, escapeHTML bool) uint64 {
	bad := x&highs | (x-ones*0x20)&^x&highs | hasByte(x, '"') | hasByte(x, '\\')
	if escapeHTML {
		bad |= hasByte(x, '<') | hasByte(x, '>') | hasByte(x, '&')
	}
	return bad
}

func hasByte(x uint64, b byte) uint64 {
	y := x ^ (ones * uint64(b))
	return (y - ones) &^ y & highs
}

// load8 reads s[i:i+8] as a little-endian word; the caller checks the bounds.
func load8(s string, i int) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
}
