package llmagent

import (
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

// Parse extracts an answer from a model's text: the first balanced {...}
// object that holds an opinion and a decision (keys in any case; "reason"
// is accepted for the thought), with prose around it allowed. The opinion
// must be a number or numeric string in [0, 10] and is cast to an integer;
// the decision must start with yes or no, in any case.
func Parse(text string) (Answer, error) {
	var firstErr error
	for start := strings.IndexByte(text, '{'); start >= 0; {
		end := matchBrace(text, start)
		if end < 0 {
			if firstErr == nil {
				firstErr = fmt.Errorf("unbalanced JSON object (truncated answer?)")
			}
			break
		}
		a, err := fromObject(text[start : end+1])
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

func fromObject(obj string) (Answer, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(obj), &m); err != nil {
		return Answer{}, fmt.Errorf("invalid JSON: %v", err)
	}
	get := func(names ...string) (any, bool) {
		for k, v := range m {
			for _, n := range names {
				if strings.EqualFold(k, n) {
					return v, true
				}
			}
		}
		return nil, false
	}
	var a Answer
	if t, ok := get("thought", "reason", "thoughts"); ok {
		a.Thought = fmt.Sprint(t)
	}
	op, ok := get("opinion")
	if !ok {
		return a, fmt.Errorf("no opinion key")
	}
	var x float64
	switch v := op.(type) {
	case float64:
		x = v
	case string:
		var err error
		if x, err = strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
			return a, fmt.Errorf("opinion %q is not a number", v)
		}
	default:
		return a, fmt.Errorf("opinion %v is not a number", op)
	}
	if math.IsNaN(x) || x < 0 || x > 10 {
		return a, fmt.Errorf("opinion %v outside 0-10", op)
	}
	a.Opinion = int(x)
	dec, ok := get("decision")
	if !ok {
		return a, fmt.Errorf("no decision key")
	}
	d := strings.ToLower(strings.TrimSpace(fmt.Sprint(dec)))
	switch {
	case strings.HasPrefix(d, "yes"):
		a.Decision = true
	case strings.HasPrefix(d, "no"):
	default:
		return a, fmt.Errorf("decision %q is neither yes nor no", dec)
	}
	return a, nil
}

// Schema is the JSON schema of an answer, sent as structured output.
var Schema = json.RawMessage(`{"type":"object","properties":{"thought":{"type":"string"},"opinion":{"type":"integer","minimum":0,"maximum":10},"decision":{"type":"string","enum":["Yes","No"]}},"required":["thought","opinion","decision"],"additionalProperties":false}`)
