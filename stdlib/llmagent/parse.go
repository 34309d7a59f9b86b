package llmagent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Answer is one parsed answer.
type Answer struct {
	Thought  string
	Opinion  int // 0..10
	Decision bool
}

// Parser turns a model's text into an Answer. The rules are the same in
// chat and completion modes, and strict where the LLM-SAM release was:
//
//   - the answer is the first balanced {...} object, prose around it
//     allowed, that holds the keys below;
//   - keys match in any case, resolved in a fixed order: for each name in
//     order (thought, thoughts, reason; opinion; decision), the key spelled
//     exactly so wins, else the first key in the object equal to it but for
//     case, so that {"opinion": 2, "Opinion": 7} is always 2;
//   - opinion is a JSON number in [0, 10], cast to an integer as the release
//     did (7.9 is 7), or a string holding an integer 0-10;
//   - decision is the string yes or no, in any case, with surrounding
//     spaces and one trailing full stop tolerated ("Not sure", "Nope",
//     "None" and true are invalid);
//   - thought is a non-empty string, unless ThoughtOptional.
type Parser struct {
	ThoughtOptional bool // the prompts do not ask for a thought
}

// Parse parses text with the default rules (a thought is required).
func Parse(text string) (Answer, error) { return Parser{}.Parse(text) }

// Parse extracts an answer from a model's text, or says why there is none.
func (p Parser) Parse(text string) (Answer, error) {
	var firstErr error
	for start := strings.IndexByte(text, '{'); start >= 0; {
		end := matchBrace(text, start)
		if end < 0 {
			if firstErr == nil {
				firstErr = fmt.Errorf("unbalanced JSON object (a truncated answer?)")
			}
			break
		}
		a, err := p.fromObject(text[start : end+1])
		if err == nil {
			return a, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		next := strings.IndexByte(text[start+1:], '{')
		if next < 0 {
			break
		}
		start += 1 + next
	}
	if firstErr == nil {
		firstErr = fmt.Errorf("no JSON object in the answer")
	}
	return Answer{}, firstErr
}

// matchBrace returns the index of the brace closing the one at start,
// skipping strings, or -1.
func matchBrace(s string, start int) int {
	depth, inStr, esc := 0, false, false
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// member is one key of an object, in document order.
type member struct {
	key   string
	value json.RawMessage
}

// members decodes an object's top-level keys in document order.
func members(obj string) ([]member, error) {
	dec := json.NewDecoder(strings.NewReader(obj))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("invalid JSON object")
	}
	var out []member
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %v", err)
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("invalid JSON: %v", err)
		}
		out = append(out, member{key, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	return out, nil
}

// lookup resolves names in order: the key spelled exactly as a name, else
// the first key equal to it but for case.
func lookup(ms []member, names ...string) (json.RawMessage, string, bool) {
	for _, n := range names {
		for _, m := range ms {
			if m.key == n {
				return m.value, m.key, true
			}
		}
		for _, m := range ms {
			if strings.EqualFold(m.key, n) {
				return m.value, m.key, true
			}
		}
	}
	return nil, "", false
}

func (p Parser) fromObject(obj string) (Answer, error) {
	ms, err := members(obj)
	if err != nil {
		return Answer{}, err
	}
	var a Answer
	op, _, ok := lookup(ms, "opinion")
	if !ok {
		return a, fmt.Errorf("no opinion key")
	}
	if a.Opinion, err = opinion(op); err != nil {
		return a, err
	}
	dec, _, ok := lookup(ms, "decision")
	if !ok {
		return a, fmt.Errorf("no decision key")
	}
	if a.Decision, err = decision(dec); err != nil {
		return a, err
	}
	th, key, ok := lookup(ms, "thought", "thoughts", "reason")
	if ok {
		var s string
		if json.Unmarshal(th, &s) != nil {
			return a, fmt.Errorf("%s %s is not a string", key, th)
		}
		a.Thought = strings.TrimSpace(s)
	}
	if a.Thought == "" && !p.ThoughtOptional {
		return a, fmt.Errorf("no thought (a non-empty \"thought\" string is required)")
	}
	return a, nil
}

// opinion reads a number in [0, 10] (cast to an integer) or a string
// holding an integer 0-10.
func opinion(v json.RawMessage) (int, error) {
	v = bytes.TrimSpace(v)
	var x float64
	if len(v) > 0 && v[0] == '"' {
		var s string
		json.Unmarshal(v, &s)
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return 0, fmt.Errorf("opinion %s is not an integer", v)
		}
		x = float64(n)
	} else if err := json.Unmarshal(v, &x); err != nil {
		return 0, fmt.Errorf("opinion %s is not a number", v)
	}
	if math.IsNaN(x) || x < 0 || x > 10 {
		return 0, fmt.Errorf("opinion %s outside 0-10", v)
	}
	return int(x), nil
}

// decision reads "yes" or "no" (any case, spaces and one trailing full
// stop tolerated).
func decision(v json.RawMessage) (bool, error) {
	var s string
	if json.Unmarshal(v, &s) != nil {
		return false, fmt.Errorf("decision %s is not a string", v)
	}
	d := strings.TrimSpace(s)
	d = strings.TrimSpace(strings.TrimSuffix(d, "."))
	switch strings.ToLower(d) {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return false, fmt.Errorf("decision %q is neither yes nor no", s)
}

// Schema is the JSON schema of an answer, sent as structured output.
var Schema = json.RawMessage(`{"type":"object","properties":{"thought":{"type":"string"},"opinion":{"type":"integer","minimum":0,"maximum":10},"decision":{"type":"string","enum":["Yes","No"]}},"required":["thought","opinion","decision"],"additionalProperties":false}`)

// ReleaseSchema is Schema with the release's capitalised keys (Thought,
// Opinion, Decision), the keys the release prompt set asks for.
var ReleaseSchema = json.RawMessage(`{"type":"object","properties":{"Thought":{"type":"string"},"Opinion":{"type":"integer","minimum":0,"maximum":10},"Decision":{"type":"string","enum":["Yes","No"]}},"required":["Thought","Opinion","Decision"],"additionalProperties":false}`)
