package llmagent

import (
	"math/rand/v2"
	"testing"
)

func TestParseCanonicalAgreesWithParse(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{`{`, `"thought"`, `:`, ` `, `"a thought, é"`, `"with \"escape\""`, `,`, `"opinion"`, `7`, `10`, `11`, `07`, `7.5`, `-1`,
		`"decision"`, `"Yes"`, `"No"`, `"yes"`, `}`, "\n", `"reason"`, `x`}
	canonical := []string{`{"thought": "ok", "opinion": 7, "decision": "Yes"}`, `{"thought":"","opinion":0,"decision":"No"}`, `{"thought":"  spaced  ","opinion":3,"decision":"No"}`,
		" {\n  \"thought\": \"t\",\n  \"opinion\": 10,\n  \"decision\": \"No\"\n}\n"}
	tried, fast := 0, 0
	check := func(s string) {
		tried++
		if _, ok := parseCanonical(s); ok {
			fast++
		}
		for _, p := range []Parser{{}, {ThoughtOptional: true}} {
			got, gerr := parseAnswer(p, s)
			want, werr := p.Parse(s)
			if (gerr == nil) != (werr == nil) || got != want {
				t.Fatalf("%q (%+v): parseAnswer %+v (%v), Parse %+v (%v)", s, p, got, gerr, want, werr)
			}
		}
	}
	for _, s := range canonical {
		if _, ok := parseCanonical(s); !ok {
			t.Fatalf("%q should take the fast path", s)
		}
		check(s)
	}
	for range 100000 {
		s := ""
		for range 3 + r.IntN(14) {
			s += pieces[r.IntN(len(pieces))]
		}
		check(s)
	}
	// Mutations of canonical answers.
	for range 20000 {
		b := []byte(canonical[r.IntN(len(canonical))])
		b[r.IntN(len(b))] = "{}\":, 0179Yx\\"[r.IntN(13)]
		check(string(b))
	}
	t.Logf("%d strings, %d took the fast path", tried, fast)
}
