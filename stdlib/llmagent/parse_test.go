package llmagent

import (
	"strings"
	"testing"
)

// TestParse is the table of what counts as an answer. The same rules hold
// in chat and completion modes (completion answers come with the spaces
// and newline of the raw text, tried here too).
func TestParse(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Answer
		ok   bool
	}{
		// Valid answers.
		{`{"thought": "ok", "opinion": 7, "decision": "Yes"}`, Answer{"ok", 7, true}, true},
		{`Sure! {"Thought": "x", "Opinion": "3", "Decision": "no."} bye`, Answer{"x", 3, false}, true},
		{`{"reason": "r", "OPINION": 10, "decision": "YES"}`, Answer{"r", 10, true}, true},
		{`{"thought": "t", "opinion": 7.9, "decision": " no "}`, Answer{"t", 7, false}, true},
		{`{"thought": "t", "opinion": 0, "decision": "No."}`, Answer{"t", 0, false}, true},
		{`{"thought": "t", "opinion": " 4 ", "decision": "yes"}`, Answer{"t", 4, true}, true},
		{`{"note": {"a": 1}} then {"opinion": 2, "decision": "no", "thought": "has } brace"}`, Answer{"has } brace", 2, false}, true},
		// Keys resolve in a fixed order: the exact spelling first, then the first key in the object.
		{`{"thought": "t", "Opinion": 7, "opinion": 2, "decision": "No"}`, Answer{"t", 2, false}, true},
		{`{"thought": "t", "OPINION": 7, "Opinion": 2, "decision": "No"}`, Answer{"t", 7, false}, true},
		{`{"Reason": "r", "thought": "t", "opinion": 1, "decision": "No"}`, Answer{"t", 1, false}, true},
		{`{"thought": "a", "thought": "b", "opinion": 1, "decision": "No"}`, Answer{"a", 1, false}, true},
		// Invalid answers.
		{`{"thought": "I think the pri`, Answer{}, false},
		{`{"thought": "t", "opinion": 14, "decision": "Yes"}`, Answer{}, false},
		{`{"thought": "t", "opinion": -1, "decision": "Yes"}`, Answer{}, false},
		{`{"thought": "t", "opinion": "7.5", "decision": "Yes"}`, Answer{}, false},
		{`{"thought": "t", "opinion": "five", "decision": "yes"}`, Answer{}, false},
		{`{"thought": "t", "opinion": true, "decision": "yes"}`, Answer{}, false},
		{`{"idea": "t", "score": 7, "choice": "Yes"}`, Answer{}, false},
		{`{"thought": "t", "opinion": 5, "decision": "maybe"}`, Answer{}, false},
		{`{"thought": "t", "opinion": 5, "decision": "Not sure"}`, Answer{}, false},
		{`{"thought": "t", "opinion": 5, "decision": "Nope"}`, Answer{}, false},
		{`{"thought": "t", "opinion": 5, "decision": "None"}`, Answer{}, false},
		{`{"thought": "t", "opinion": 5, "decision": "Yes, I will"}`, Answer{}, false},
		{`{"thought": "t", "opinion": 5, "decision": "no.."}`, Answer{}, false},
		{`{"thought": "t", "opinion": 5, "decision": true}`, Answer{}, false},
		{`{"opinion": 7, "decision": "No"}`, Answer{}, false},
		{`{"thought": "  ", "opinion": 7, "decision": "No"}`, Answer{}, false},
		{`{"thought": 3, "opinion": 7, "decision": "No"}`, Answer{}, false},
		{`no json here`, Answer{}, false},
		{``, Answer{}, false},
	} {
		for _, text := range []string{tc.text, " " + tc.text + "\n"} {
			got, err := Parse(text)
			if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
				t.Errorf("Parse(%q) = %+v, %v; want %+v ok=%v", text, got, err, tc.want, tc.ok)
			}
		}
	}
	// Without a thought in the prompts, an answer without one is valid.
	if a, err := (Parser{ThoughtOptional: true}).Parse(`{"opinion": 7, "decision": "No"}`); err != nil || a != (Answer{"", 7, false}) {
		t.Errorf("ThoughtOptional: %+v, %v", a, err)
	}
}

// TestParseIsDeterministic parses an object with keys differing only in
// case many times: always the same answer (Go's maps iterate at random).
func TestParseIsDeterministic(t *testing.T) {
	text := `{"Thought": "T", "thought": "t", "OPINION": 9, "opinion": 2, "Opinion": 7, "Decision": "Yes", "decision": "no"}`
	first, err := Parse(text)
	if err != nil || first != (Answer{"t", 2, false}) {
		t.Fatalf("%+v, %v", first, err)
	}
	for range 200 {
		if a, _ := Parse(text); a != first {
			t.Fatalf("%+v then %+v", first, a)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`{"thought": "ok", "opinion": 7, "decision": "Yes"}`)
	f.Add(`prose {"opinion": "3", "decision": "no"} {`)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err == nil && (a.Opinion < 0 || a.Opinion > 10 || strings.TrimSpace(a.Thought) == "") {
			t.Fatalf("accepted %+v", a)
		}
	})
}
