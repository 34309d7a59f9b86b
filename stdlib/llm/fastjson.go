package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/llmsam/llmsam/internal/jsonenc"
)

// appendJSONString appends s as a JSON string exactly as json.Marshal
// encodes it: request bodies are built by appending, and stay
// byte-identical to json.Marshal's, so cache keys do not change.
func appendJSONString(dst []byte, s string) []byte { return jsonenc.AppendString(dst, s, true) }

// answerJSON is what llmsam reads of a completion: the choices' texts and
// finish reasons, and the usage.
type answerJSON struct {
	n       int      // choices
	text    string   // the first choice's text
	finish  string   // the first choice's finish reason
	texts   []string // every choice's text, when there are several
	missing bool     // a choice had neither a message content nor a text
	usage   Usage
}

// add records the next choice.
func (a *answerJSON) add(text, finish string, has bool) {
	switch a.n {
	case 0:
		a.text, a.finish = text, finish
	case 1:
		a.texts = append(a.texts, a.text, text)
	default:
		a.texts = append(a.texts, text)
	}
	a.n++
	a.missing = a.missing || !has
}

var errSlowPath = errors.New("not the common shape")

// scanAnswer reads a chat completion or completion body in one pass
// without reflection. It returns errSlowPath for anything it does not
// handle (the caller then decodes with encoding/json, which also reports
// malformed answers), so its results are those of encoding/json.
func scanAnswer(data []byte) (answerJSON, error) {
	s := scanner{d: data}
	var a answerJSON
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "choices":
			return s.array(func() error {
				var text, finish string
				has, message := false, false
				err := s.object(func(k []byte) error {
					switch string(k) {
					case "message":
						if s.null() {
							return nil
						}
						message, has, text = true, true, ""
						return s.object(func(mk []byte) error {
							if string(mk) != "content" {
								if folds(mk, "content") {
									return errSlowPath
								}
								return s.skip()
							}
							if s.null() {
								return nil
							}
							v, err := s.str()
							text = v
							return err
						})
					case "text":
						v, err := s.str()
						if !message {
							text, has = v, true
						}
						return err
					case "finish_reason":
						if s.null() {
							return nil
						}
						v, err := s.finishReason()
						finish = v
						return err
					}
					if folds(k, "message", "text", "finish_reason") {
						return errSlowPath
					}
					return s.skip()
				})
				a.add(text, finish, has)
				return err
			})
		case "usage":
			return s.object(func(k []byte) error {
				switch string(k) {
				case "prompt_tokens":
					v, err := s.integer()
					a.usage.PromptTokens = v
					return err
				case "completion_tokens":
					v, err := s.integer()
					a.usage.CompletionTokens = v
					return err
				}
				if folds(k, "prompt_tokens", "completion_tokens") {
					return errSlowPath
				}
				return s.skip()
			})
		}
		if folds(key, "choices", "usage") {
			return errSlowPath
		}
		return s.skip()
	})
	if err != nil {
		return answerJSON{}, err
	}
	s.ws()
	if s.i != len(s.d) {
		return answerJSON{}, errSlowPath
	}
	return a, nil
}

// folds reports whether key, which is none of names, matches one of them
// as encoding/json matches a field's name: without regard to case (and
// Unicode's simple folding, as bytes.EqualFold). The scanner leaves such
// keys to encoding/json. Keys of lower-case ASCII letters, digits and
// underscores, the usual ones, are told apart at a glance.
func folds(key []byte, names ...string) bool {
	plain := true
	for _, c := range key {
		if c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return false
	}
	for _, n := range names {
		if bytes.EqualFold(key, []byte(n)) {
			return true
		}
	}
	return false
}

// finishReason reads a string value as str does, without a copy for the
// common reasons.
func (s *scanner) finishReason() (string, error) {
	s.ws()
	for _, r := range [...]string{`"stop"`, `"length"`} {
		if len(s.d)-s.i >= len(r) && string(s.d[s.i:s.i+len(r)]) == r {
			s.i += len(r)
			return r[1 : len(r)-1], nil
		}
	}
	return s.str()
}

// scanner is a minimal JSON reader for scanAnswer.
type scanner struct {
	d []byte
	i int
}

func (s *scanner) ws() {
	for s.i < len(s.d) {
		switch s.d[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) peek() byte {
	s.ws()
	if s.i < len(s.d) {
		return s.d[s.i]
	}
	return 0
}

func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		return errSlowPath
	}
	s.i++
	return nil
}

// object reads {"key": value, ...}, calling field with each key; field must
// consume the value.
func (s *scanner) object(field func(key []byte) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		key, err := s.rawKey()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return errSlowPath
		}
	}
}

func (s *scanner) array(elem func() error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return errSlowPath
		}
	}
}

// rawKey reads a key without escapes (keys with escapes take the slow path).
func (s *scanner) rawKey() ([]byte, error) {
	if err := s.expect('"'); err != nil {
		return nil, err
	}
	start := s.i
	for s.i < len(s.d) {
		switch c := s.d[s.i]; {
		case c == '"':
			s.i++
			return s.d[start : s.i-1], nil
		case c == '\\' || c < 0x20:
			return nil, errSlowPath
		}
		s.i++
	}
	return nil, errSlowPath
}

func (s *scanner) null() bool {
	if s.peek() == 'n' && s.i+4 <= len(s.d) && string(s.d[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// str reads a string value, decoding escapes as encoding/json does.
func (s *scanner) str() (string, error) { return s.scanStr(true) }

// skipStr consumes a string value as str does, without keeping it (a
// string without escapes is not copied).
func (s *scanner) skipStr() error {
	_, err := s.scanStr(false)
	return err
}

// scanStr reads a string value, and returns it when keep.
func (s *scanner) scanStr(keep bool) (string, error) {
	if err := s.expect('"'); err != nil {
		return "", err
	}
	start := s.i
	for s.plain(); s.i < len(s.d); s.plain() {
		c := s.d[s.i]
		switch {
		case c == '"':
			s.i++
			if !keep {
				return "", nil
			}
			return string(s.d[start : s.i-1]), nil
		case c == '\\':
			return s.strEscaped(start)
		case c < 0x20:
			return "", errSlowPath
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(s.d[s.i:])
			if r == utf8.RuneError && size == 1 {
				return "", errSlowPath
			}
			s.i += size
			continue
		}
		s.i++
	}
	return "", errSlowPath
}

// strStop marks the bytes a scan of a string stops at: its end, an escape,
// a control character (not allowed) and non-ASCII (checked as UTF-8).
var strStop = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf
	}
	return t
}()

// plain moves past bytes a string scan need not look at.
func (s *scanner) plain() {
	d, i := s.d, s.i
	for i < len(d) && !strStop[d[i]] {
		i++
	}
	s.i = i
}

func (s *scanner) strEscaped(start int) (string, error) {
	// The raw text bounds the decoded one (no escape decodes longer).
	end := s.i
	for end < len(s.d) && s.d[end] != '"' {
		if s.d[end] == '\\' {
			end++
		}
		end++
	}
	out := append(make([]byte, 0, min(end, len(s.d))-start), s.d[start:s.i]...)
	for s.i < len(s.d) {
		c := s.d[s.i]
		switch {
		case c == '"':
			s.i++
			return unsafe.String(unsafe.SliceData(out), len(out)), nil // out is not used again
		case c < 0x20:
			return "", errSlowPath
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(s.d[s.i:])
			if r == utf8.RuneError && size == 1 {
				return "", errSlowPath
			}
			out = append(out, s.d[s.i:s.i+size]...)
			s.i += size
			continue
		case c != '\\':
			from := s.i // copy the run of plain ASCII at once
			s.i++
			s.plain()
			out = append(out, s.d[from:s.i]...)
			continue
		}
		if s.i+1 >= len(s.d) {
			return "", errSlowPath
		}
		e := s.d[s.i+1]
		s.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return "", errSlowPath
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if s.i+1 < len(s.d) && s.d[s.i] == '\\' && s.d[s.i+1] == 'u' {
					save := s.i
					s.i += 2
					if v, ok := s.hex4(); ok {
						r2 = v
					} else {
						return "", errSlowPath
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						out = utf8.AppendRune(out, dec)
						continue
					}
					s.i = save
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", errSlowPath
		}
	}
	return "", errSlowPath
}

func (s *scanner) hex4() (rune, bool) {
	if s.i+4 > len(s.d) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(s.d[s.i:s.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	s.i += 4
	return rune(v), true
}

// integer reads a non-negative integer that fits an int.
func (s *scanner) integer() (int, error) {
	s.ws()
	start := s.i
	for s.i < len(s.d) && s.d[s.i] >= '0' && s.d[s.i] <= '9' {
		s.i++
	}
	if s.i == start || s.i-start > 15 {
		return 0, errSlowPath
	}
	if s.i < len(s.d) && (s.d[s.i] == '.' || s.d[s.i] == 'e' || s.d[s.i] == 'E') {
		return 0, errSlowPath
	}
	v, _ := strconv.Atoi(string(s.d[start:s.i]))
	return v, nil
}

// skip consumes any value, checking its syntax: strings, literals and
// integers by hand, anything else with encoding/json.
func (s *scanner) skip() error {
	s.ws()
	if s.i < len(s.d) {
		switch c := s.d[s.i]; {
		case c == '"':
			return s.skipStr()
		case c == 'n' || c == 't' || c == 'f':
			for _, lit := range []string{"null", "true", "false"} {
				if len(s.d)-s.i >= len(lit) && string(s.d[s.i:s.i+len(lit)]) == lit {
					s.i += len(lit)
					return nil
				}
			}
			return errSlowPath
		case c >= '0' && c <= '9':
			j := s.i
			for j < len(s.d) && s.d[j] >= '0' && s.d[j] <= '9' {
				j++
			}
			if j < len(s.d) && (s.d[j] == '.' || s.d[j] == 'e' || s.d[j] == 'E') {
				break // a float: checked below
			}
			if c == '0' && j-s.i > 1 {
				return errSlowPath
			}
			s.i = j
			return nil
		}
	}
	start := s.i
	depth, inStr := 0, false
	for s.i < len(s.d) {
		c := s.d[s.i]
		s.i++
		switch {
		case inStr:
			if c == '\\' {
				s.i++
			} else if c == '"' {
				inStr = false
				if depth == 0 {
					return s.valid(start)
				}
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 { // the end of the enclosing value ends a scalar
				s.i--
				return s.valid(start)
			}
			depth--
			if depth == 0 {
				return s.valid(start)
			}
		case depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t'):
			s.i--
			return s.valid(start)
		}
	}
	if depth == 0 && !inStr && s.i > start {
		return s.valid(start)
	}
	return errSlowPath
}

func (s *scanner) valid(start int) error {
	if v := s.d[start:s.i]; len(v) == 0 || !json.Valid(v) {
		return errSlowPath
	}
	return nil
}

// appendJSONFloat appends f as encoding/json encodes a float64.
func appendJSONFloat(dst []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' { // e-09 becomes e-9, as encoding/json writes it
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// compactSchemas caches schemas as encoding/json writes a RawMessage
// (compacted, HTML-escaped), keyed by the address and length of the
// caller's bytes (agents pass the same schema with every request), checked
// against a copy of them; it starts over past 256 entries.
var (
	compactSchemas sync.Map // schemaID -> *compactSchema
	schemaCount    atomic.Int32
)

type schemaID struct {
	p *byte
	n int
}

type compactSchema struct{ raw, out []byte }

func appendRawJSON(dst []byte, raw json.RawMessage) ([]byte, error) {
	id := schemaID{unsafe.SliceData(raw), len(raw)}
	if v, ok := compactSchemas.Load(id); ok {
		if c := v.(*compactSchema); bytes.Equal(c.raw, raw) {
			return append(dst, c.out...), nil
		}
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return dst, err
	}
	var h bytes.Buffer
	json.HTMLEscape(&h, b.Bytes())
	if schemaCount.Add(1) > 256 {
		compactSchemas.Clear()
		schemaCount.Store(1)
	}
	compactSchemas.Store(id, &compactSchema{raw: bytes.Clone(raw), out: h.Bytes()})
	return append(dst, h.Bytes()...), nil
}
