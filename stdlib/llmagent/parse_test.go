package llmagent

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Answer
		ok   bool
	}{
		{`{"thought": "ok", "opinion": 7, "decision": "Yes"}`, Answer{"ok", 7, true}, true},
		{`Sure! {"Thought": "x", "Opinion": "3", "Decision": "no."} bye`, Answer{"x", 3, false}, true},
		{`{"reason": "r", "OPINION": 10, "decision": "YES"}`, Answer{"r", 10, true}, true},
		{`{"opinion": 7.9, "decision": "No"}`, Answer{"", 7, false}, true},
		{`{"note": {"a": 1}} then {"opinion": 2, "decision": "no", "thought": "has } brace"}`, Answer{"has } brace", 2, false}, true},
		{`{"thought": "I think the pri`, Answer{}, false},
		{`{"thought": "t", "opinion": 14, "decision": "Yes"}`, Answer{}, false},
		{`{"thought": "t", "opinion": -1, "decision": "Yes"}`, Answer{}, false},
		{`{"idea": "t", "score": 7, "choice": "Yes"}`, Answer{}, false},
		{`{"opinion": 5, "decision": "maybe"}`, Answer{}, false},
		{`{"opinion": "five", "decision": "yes"}`, Answer{}, false},
		{`no json here`, Answer{}, false},
	} {
		got, err := Parse(tc.text)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("Parse(%q) = %+v, %v; want %+v ok=%v", tc.text, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`{"thought": "ok", "opinion": 7, "decision": "Yes"}`)
	f.Add(`prose {"opinion": "3", "decision": "no"} {`)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err == nil && (a.Opinion < 0 || a.Opinion > 10) {
			t.Fatalf("accepted opinion %d", a.Opinion)
		}
	})
}
