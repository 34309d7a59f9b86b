package llmagent_test

import (
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"github.com/llmsam/llmsam/internal/openaitest"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/fleetsim"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

// userPrompts returns the user messages the server received, sorted.
func userPrompts(t *testing.T, srv *openaitest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		var body struct {
			Messages []llm.Message `json:"messages"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		out = append(out, body.Messages[1].Content)
	}
	slices.Sort(out)
	return out
}

func TestExactResolutionSendsTheAgentsOwnPrompts(t *testing.T) {
	g, _ := netw.BarabasiAlbert(80, 4, 3)
	people := pop.MustSynthetic(scenario.Dishwasher(), 80, 3)
	var prompts [2][]string
	for k := range 2 {
		srv := openaitest.New(openaitest.Options{})
		defer srv.Close()
		agents := llmagent.New(client(t, srv, llm.Config{Timeout: 30e9}))
		agents.MaxFriends = 3
		var m agent.Model = agents
		if k == 1 {
			m = &llmagent.Archetypes{Agents: agents, Resolution: llmagent.Exact}
		}
		// One step: later prompts quote answers, which differ with the seeds.
		if _, err := sim.Run(sim.Study{Network: g, People: people, Agents: m, Steps: 2, Seed: 4, Quiet: true}); err != nil {
			t.Fatal(err)
		}
		prompts[k] = userPrompts(t, srv)
	}
	// The test server answers some prompts with garbage, which both re-ask:
	// compare the distinct prompts.
	a, b := slices.Compact(prompts[0]), slices.Compact(prompts[1])
	if !slices.Equal(a, b) {
		t.Fatalf("exact archetypes sent %d distinct prompts, agents %d; they differ", len(b), len(a))
	}
}

// exactStep runs one step of people without friends with the Exact
// resolution against a simulated endpoint, and returns the run, the step's
// report and how many completions the endpoint served.
func exactStep(t *testing.T, people pop.Population) (*history.Run, []llmagent.StepReport, int64) {
	t.Helper()
	f, err := fleetsim.Start(fleetsim.Options{Slots: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, _ := netw.FromEdges(len(people), false)
	c, err := llm.New(llm.Config{Model: "m", BaseURL: f.URLs()[0], Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var reports []llmagent.StepReport
	m := &llmagent.Archetypes{Agents: llmagent.New(c), Resolution: llmagent.Exact, Report: func(r llmagent.StepReport) { reports = append(reports, r) }}
	run, err := sim.Run(sim.Study{Network: g, People: people, Agents: m, Steps: 2, Seed: 1, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	return run, reports, f.Served()
}

func TestDuplicatePromptsShareOneRequest(t *testing.T) {
	// 30 identical people without friends: one prompt, asked once per step
	// for 30 answers, which the members take in turn.
	const n = 30
	people := make(pop.Population, n)
	for i := range people {
		people[i] = pop.Person{A: 0.3, Tau: 0.5, F: 0.2, Lambda: 0.4, Opinion0: 0.6, Fact: "same"}
	}
	run, reports, served := exactStep(t, people)
	if served != 1 || len(reports) != 1 || reports[0].Requests != 1 || reports[0].Active != n || reports[0].Groups != 1 {
		t.Fatalf("served %d, reports %+v: want one request for %d agents", served, reports, n)
	}
	distinct := map[string]bool{}
	for i, th := range run.Final().Thought {
		distinct[th+string(rune('0'+run.Final().Action[i]))+string(rune('0'+int(10*run.Final().Opinion[i])))] = true
	}
	if len(distinct) < 3 {
		t.Fatalf("members got %d distinct answers out of 30 asked", len(distinct))
	}
}

// TestDuplicatesAmongDistinctAgents: among agents with coefficients of
// their own, the identical ones still share a request (agents alone with
// their coefficients are keyed without reading their friends).
func TestDuplicatesAmongDistinctAgents(t *testing.T) {
	people := make(pop.Population, 40)
	for i := range people {
		people[i] = pop.Person{A: 0.3, Tau: 0.5, F: 0.2, Lambda: 0.4, Opinion0: 0.6, Fact: "same"}
		if i >= 10 { // 10 identical agents, then 30 each of its own
			people[i].Lambda = 0.01 * float64(i)
		}
	}
	_, reports, _ := exactStep(t, people)
	if len(reports) != 1 || reports[0].Groups != 31 || reports[0].Requests != 31 {
		t.Fatalf("reports %+v: want 31 distinct prompts and requests (10 identical agents, 30 others)", reports)
	}
}

func TestArchetypesShareRequestsReproducibly(t *testing.T) {
	f, err := fleetsim.Start(fleetsim.Options{Endpoints: 2, Slots: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const n = 3000
	g, _ := netw.BarabasiAlbert(n, 4, 2)
	people := pop.MustSynthetic(scenario.Dishwasher(), n, 2)
	run := func() (*history.Run, []llmagent.StepReport) {
		c, err := llm.New(llm.Config{Model: "m", BaseURL: f.URLs()[0], Endpoints: f.URLs()[1:], Quiet: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var mu sync.Mutex
		var reports []llmagent.StepReport
		m := &llmagent.Archetypes{Agents: llmagent.New(c), Answers: 4, Resolution: llmagent.Resolution{Coefficients: 2, Opinions: 2, Shares: 2}, Report: func(r llmagent.StepReport) {
			mu.Lock()
			reports = append(reports, r)
			mu.Unlock()
		}}
		r, err := sim.Run(sim.Study{Network: g, People: people, Steps: 3, Seed: 7, Quiet: true,
			Agents: agent.Activation{Model: m, Rate: 0.5}})
		if err != nil {
			t.Fatal(err)
		}
		return r, reports
	}
	r1, rep1 := run()
	r2, _ := run()
	for step := range r1.Replicates[0].States {
		a, b := r1.Replicates[0].States[step], r2.Replicates[0].States[step]
		if !slices.Equal(a.Opinion, b.Opinion) || !slices.Equal(a.Action, b.Action) {
			t.Fatalf("step %d differs between two runs", step)
		}
	}
	_, tot := r1.UsageTotals()
	sent := 0
	for _, r := range rep1 {
		if r.Active < n/2-200 || r.Active > n/2+200 {
			t.Fatalf("step %d: %d active agents at rate 0.5 of %d", r.Step, r.Active, n)
		}
		if r.Groups >= r.Active/2 || r.Requests < r.Groups {
			t.Fatalf("step %d: %d archetypes and %d requests for %d agents", r.Step, r.Groups, r.Requests, r.Active)
		}
		sent += r.Requests
	}
	if tot.Requests != sent || tot.AgentSteps != rep1[0].Active+rep1[1].Active || tot.Fallbacks != 0 {
		t.Fatalf("usage %+v against reports %+v", tot, rep1)
	}
	// Inactive agents kept their state; active ones took an archetype's answer.
	s0, s1 := r1.Replicates[0].States[0], r1.Replicates[0].States[1]
	kept := 0
	for i := range n {
		if s1.Thought[i] == "" {
			kept++
			if s1.Opinion[i] != s0.Opinion[i] {
				t.Fatalf("agent %d did not answer but its opinion moved", i)
			}
		}
	}
	if kept+rep1[0].Active != n && kept+rep1[1].Active != n {
		t.Fatalf("%d agents without an answer at step 1, reports %+v", kept, rep1)
	}
}

// TestDefaultResolutionAtAMillion checks the bound: at the default
// resolution a step of 10^6 agents (BA m = 5, synthetic dishwasher
// population, initial answers) needs at most 10^5 requests.
func TestDefaultResolutionAtAMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("10^6 agents: skipped with -short")
	}
	const n = 1_000_000
	g, err := netw.BarabasiAlbert(n, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	people := pop.MustSynthetic(scenario.Dishwasher(), n, 1)
	cur := agent.NewState(n)
	copy(cur.Opinion, people.Opinions())
	copy(cur.Action, people.Actions())
	env := &agent.Env{Graph: g, People: people, Step: 1, Workers: 2}
	m := &llmagent.Archetypes{Agents: llmagent.New(nil)}
	groups := m.Count(env, cur)
	if groups > 100_000 || groups < 1000 {
		t.Fatalf("%d archetypes for 10^6 agents at the default resolution, want at most 10^5", groups)
	}
	coarse := &llmagent.Archetypes{Agents: llmagent.New(nil), Resolution: llmagent.Resolution{Coefficients: 2, Opinions: 2, Shares: 2}}
	if c := coarse.Count(env, cur); c >= groups {
		t.Fatalf("a coarser resolution gives %d archetypes, the default %d", c, groups)
	}
	fine := &llmagent.Archetypes{Agents: llmagent.New(nil), Resolution: llmagent.Resolution{Coefficients: 10, Opinions: 11, Shares: 10}}
	medium := &llmagent.Archetypes{Agents: llmagent.New(nil), Resolution: llmagent.Resolution{Coefficients: 5, Opinions: 6, Shares: 4}}
	t.Logf("%d archetypes at the default resolution, %d at the coarse one, %d at the medium one, %d at the fine one",
		groups, coarse.Count(env, cur), medium.Count(env, cur), fine.Count(env, cur))
}

// TestArchetypesBySeeds asks each archetype's answers in requests of their
// own (servers without n) and gets the same answers as with n whatever the
// order they arrive in: two runs are identical.
func TestArchetypesBySeeds(t *testing.T) {
	f, err := fleetsim.Start(fleetsim.Options{Endpoints: 2, Slots: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const n = 400
	g, _ := netw.BarabasiAlbert(n, 3, 5)
	people := pop.MustSynthetic(scenario.Dishwasher(), n, 5)
	run := func() (*history.Run, int64) {
		c, err := llm.New(llm.Config{Model: "m", BaseURL: f.URLs()[0], Endpoints: f.URLs()[1:], Quiet: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		before := f.Served()
		var groups int
		m := &llmagent.Archetypes{Agents: llmagent.New(c), Answers: 3, Seeds: true, Resolution: llmagent.Resolution{Coefficients: 2, Opinions: 2, Shares: 2},
			Report: func(r llmagent.StepReport) { groups = r.Groups }}
		r, err := sim.Run(sim.Study{Network: g, People: people, Agents: m, Steps: 2, Seed: 3, Quiet: true})
		if err != nil {
			t.Fatal(err)
		}
		if sent := f.Served() - before; sent != int64(3*groups) {
			t.Fatalf("%d requests for %d archetypes with 3 answers each", sent, groups)
		}
		return r, f.Served() - before
	}
	a, _ := run()
	b, _ := run()
	if !slices.Equal(a.Final().Opinion, b.Final().Opinion) || !slices.Equal(a.Final().Thought, b.Final().Thought) {
		t.Fatal("two runs with Seeds differ")
	}
}
