package llmagent

import (
	"bytes"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// referenceExamples is how agent i's worked examples were built before
// they were built once per step (exampleLists), agent by agent: the oracle
// of TestExampleListsMatchFreshLists.
func referenceExamples(a *Agents, env *agent.Env, i int, release bool) []Example {
	self := env.People[i]
	var out []Example
	for _, e := range env.Scenario.Examples {
		p := pop.Person{A: e.Coef.A, Tau: e.Coef.Tau, F: e.Coef.F, Lambda: e.Coef.Lambda}
		ex := Example{Person: p}
		for r := range min(len(e.Opinions), len(e.Decisions), len(env.Scenario.Rounds)) {
			t := Turn{Step: r, Agent: -1, Opinion: e.Opinions[r], Decision: "No"}
			if e.Decisions[r] {
				t.Decision = "Yes"
			}
			ex.Turns = append(ex.Turns, t)
		}
		if len(ex.Turns) > 0 {
			ex.Person.Opinion0 = float64(ex.Turns[0].Opinion) / 10
			if e.Decisions[0] {
				ex.Person.Action0 = 1
			}
		}
		if !release && samePerson(p, self) && len(ex.Turns) > 0 &&
			ex.Turns[0].Opinion == int(math.Round(self.Opinion0*10)) && ex.Person.Action0 == self.Action0 {
			continue
		}
		out = append(out, ex)
	}
	if a.Examples <= 0 {
		return out
	}
	pool, own := a.ExamplePool, false
	if pool == nil {
		pool, own = env.People, true
	}
	type cand struct {
		i int
		h uint64
	}
	var cs []cand
	for k, p := range pool {
		if p.Reason != "" {
			s := agent.NewStream(0x6578616d706c65, 0, k)
			cs = append(cs, cand{k, s.Uint64()})
		}
	}
	sort.Slice(cs, func(x, y int) bool { return cs[x].h < cs[y].h })
	added := 0
	for _, c := range cs {
		if added == a.Examples {
			break
		}
		p := pool[c.i]
		if (own && c.i == i) || (!own && p == self) {
			continue
		}
		t := Turn{Agent: -1, Thought: p.Reason, Opinion: int(math.Round(p.Opinion0 * 10)), Decision: "No"}
		if p.Action0 == 1 {
			t.Decision = "Yes"
		}
		out = append(out, Example{Person: p, Turns: []Turn{t}})
		added++
	}
	return out
}

// TestExampleListsMatchFreshLists checks that the examples an agent gets
// from the step's lists (the common list for most) are the ones built for
// it alone, for people who are the scenario's participants, people drawn
// as examples from the study's people or from another pool, and everyone
// else, in both prompt sets.
func TestExampleListsMatchFreshLists(t *testing.T) {
	sc := scenario.Dishwasher()
	people := pop.MustSynthetic(sc, 300, 5)
	for k, e := range sc.Examples { // agents 0..2 are the participants, agent 3 has their coefficients but another answer
		p := &people[k]
		p.A, p.Tau, p.F, p.Lambda = e.Coef.A, e.Coef.Tau, e.Coef.F, e.Coef.Lambda
		p.Opinion0, p.Action0 = float64(e.Opinions[0])/10, 0
		if e.Decisions[0] {
			p.Action0 = 1
		}
	}
	people[3].A, people[3].Tau, people[3].F, people[3].Lambda = people[0].A, people[0].Tau, people[0].F, people[0].Lambda
	people[3].Opinion0 = math.Mod(people[0].Opinion0+0.5, 1)
	for k := range people {
		if k%3 == 0 {
			people[k].Reason = "reason " + itoaTest(k)
		}
	}
	pool := append(pop.Population(nil), people[100:140]...) // a pool holding some of the study's people
	env := &agent.Env{Scenario: sc, People: people, Step: 1, Steps: 3}
	for _, tc := range []struct {
		name    string
		a       *Agents
		release bool
	}{
		{"scenario-only", &Agents{}, false},
		{"own-pool", &Agents{Examples: 4}, false},
		{"other-pool", &Agents{Examples: 5, ExamplePool: pool}, false},
		{"release-own-pool", &Agents{Examples: 2}, true},
	} {
		l := newExampleLists(tc.a, env, tc.release)
		own := 0
		for i := range people {
			want := referenceExamples(tc.a, env, i, tc.release)
			got := l.forAgent(i, &people[i])
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: agent %d: examples\n%+v\nwant\n%+v", tc.name, i, got, want)
			}
			if !reflect.DeepEqual(got, l.common) {
				own++
			}
		}
		// The case is exercised: some agents have lists of their own
		// (none in the release set without drawn examples of themselves).
		if own == 0 {
			t.Errorf("%s: every agent got the common list", tc.name)
		}
	}
}

func itoaTest(k int) string { return string(rune('a'+k%26)) + string(rune('a'+k/26%26)) }

// TestPromptCacheMatchesTextTemplate renders every agent's prompt of a
// step through the step's cache (recycled Data, shared example lists,
// compiled templates, cached shared part) and compares it with
// text/template executing the templates with Data built afresh, for the
// package's default set, the release set and a user's set.
func TestPromptCacheMatchesTextTemplate(t *testing.T) {
	user := DefaultTemplates()
	user.Name = "user"
	user.Round = template.Must(template.New("r").Parse(`{{.Name}} at {{.Label}}:{{range .Friends}} {{.Name}} ({{.Label}}, {{.Opinion}}){{end}}`))
	for _, tc := range []struct {
		name string
		tpl  *Templates
	}{{"default", defaultTemplates()}, {"release", ReleaseTemplates()}, {"user", user}} {
		env, cur := promptStudy(300, 2, true)
		a := &Agents{Templates: tc.tpl, MaxFriends: 4, Examples: 2}
		for i := range env.People {
			if i%7 == 0 {
				env.People[i].Reason = "my reason"
			}
		}
		c := newPromptCache(a, tc.tpl, env, cur)
		for i := range cur.N() {
			p, err := c.exact(i, nil)
			shared, userText := p.shared, p.user
			if err != nil {
				t.Fatal(err)
			}
			var d Data
			newStepData(a, tc.tpl, env, cur).data(&d, cur, i)
			var want [3]bytes.Buffer
			for k, tt := range []*template.Template{tc.tpl.Shared, tc.tpl.Agent, tc.tpl.Round} {
				if err := tt.Execute(&want[k], d); err != nil {
					t.Fatal(err)
				}
			}
			if shared != want[0].String() || userText != want[1].String()+want[2].String() {
				t.Fatalf("%s: agent %d's prompt differs:\n%s\n%s\nwant\n%s\n%s%s", tc.name, i, shared, userText, &want[0], &want[1], &want[2])
			}
			if tc.name == "user" && !strings.HasPrefix(want[2].String(), "User"+strconv.Itoa(i)+" at Round 3: User") {
				t.Fatalf("a user's template does not see names and labels: %q", &want[2])
			}
		}
	}
}

func TestRequestIDs(t *testing.T) {
	env := &agent.Env{Run: "study-x", Replicate: 3, Step: 12}
	for _, c := range []struct {
		kind            byte
		index, sub, try int
		want            string
	}{{'a', 41, -1, 0, "study-x/r3/s12/a41/t0"}, {'g', 7, 2, 1, "study-x/r3/s12/g7/k2/t1"}, {'g', 1000000, -1, 2, "study-x/r3/s12/g1000000/t2"}} {
		if got := requestID(env, c.kind, c.index, c.sub, c.try); got != c.want {
			t.Errorf("requestID = %q, want %q", got, c.want)
		}
	}
}

func TestPackedAnswersReadAsTheState(t *testing.T) {
	st := &agent.State{Opinion: []float64{0, 0.55, 1, -0.3, 13, 0.7, 0.26}, Action: []uint8{0, 1, 1, 0, 1, 2, 0}}
	p := packAnswers(st)
	for i := range st.Opinion {
		o, a := p.at(i)
		if o != answerOf(st, i) || a != st.Action[i] {
			t.Errorf("agent %d: packed answer %d, action %d; the state has %d, %d", i, o, a, answerOf(st, i), st.Action[i])
		}
	}
}

func TestNilTemplateIsAnError(t *testing.T) {
	env, cur := promptStudy(20, 1, false)
	a := &Agents{Templates: &Templates{Shared: defaultTemplates().Shared}}
	if _, _, err := a.Prompt(env, cur, 3); err == nil || !strings.Contains(err.Error(), "nil") {
		t.Fatalf("Prompt with nil Agent and Round templates: %v, want an error", err)
	}
}

// TestUsePromptsDefaultIsThePackagesSet checks that the default set chosen
// by name is the package's own parsed set (compiled, shared part cached)
// and that Archetypes get the set chosen for them.
func TestUsePromptsDefaultIsThePackagesSet(t *testing.T) {
	a := &Agents{Templates: ReleaseTemplates()}
	if err := UsePrompts(a, "default"); err != nil || a.templates() != defaultTemplates() {
		t.Fatalf("UsePrompts(default): %v, templates %q", err, a.templates().Name)
	}
	m := &Archetypes{Agents: &Agents{}}
	if err := UsePrompts(m, "release"); err != nil || m.Agents.templates().Name != "release" {
		t.Fatalf("UsePrompts(archetypes, release): %v, templates %q", err, m.Agents.templates().Name)
	}
}

// TestExactKeysMatchPrompts checks that agents share an Exact key exactly
// when their prompts are identical, among duplicates of a few people, some
// of whom are the scenario's worked examples (left out of their own
// prompts), with and without friends.
func TestExactKeysMatchPrompts(t *testing.T) {
	sc := scenario.Dishwasher()
	base := pop.MustSynthetic(sc, 4, 9)
	e := sc.Examples[0]
	base[0].A, base[0].Tau, base[0].F, base[0].Lambda = e.Coef.A, e.Coef.Tau, e.Coef.F, e.Coef.Lambda
	base[0].Opinion0, base[0].Action0 = float64(e.Opinions[0])/10, 0
	if e.Decisions[0] {
		base[0].Action0 = 1
	}
	base[1] = base[0]
	base[1].Opinion0 = math.Mod(base[0].Opinion0+0.3, 1) // the example's coefficients, another answer: sees the example
	const n = 40
	people := make(pop.Population, n)
	for i := range people {
		people[i] = base[i%len(base)]
	}
	for _, edges := range [][][2]int{nil, {{0, 4}, {8, 12}, {1, 2}}} {
		g, err := netw.FromEdges(n, false, edges...)
		if err != nil {
			t.Fatal(err)
		}
		s0 := agent.NewState(n)
		copy(s0.Opinion, people.Opinions())
		copy(s0.Action, people.Actions())
		env := &agent.Env{Run: "keys", Step: 1, Steps: 2, Seed: 3, Graph: g, Network: g, People: people, Scenario: sc,
			Round: sc.Schedule(2)[1], Initial: s0, Past: []*agent.State{s0}, Workers: 1}
		m := &Archetypes{Agents: &Agents{}, Resolution: Exact}
		s := m.newStep(env, s0, false)
		byPrompt := map[string]uint64{}
		for g := range s.groups {
			for _, mem := range s.members[s.groups[g].lo:s.groups[g].hi] {
				p, err := s.prompts.exact(int(mem.agent), nil)
				shared, user := p.shared, p.user
				if err != nil {
					t.Fatal(err)
				}
				if k, ok := byPrompt[shared+user]; ok && k != s.groups[g].key {
					t.Fatalf("agent %d: an identical prompt has another key", mem.agent)
				}
				byPrompt[shared+user] = s.groups[g].key
			}
		}
		if len(byPrompt) != len(s.groups) {
			t.Fatalf("%d distinct prompts in %d archetypes", len(byPrompt), len(s.groups))
		}
		if len(s.groups) >= n {
			t.Fatalf("%d archetypes for %d agents: duplicates were not merged", len(s.groups), n)
		}
	}
}
