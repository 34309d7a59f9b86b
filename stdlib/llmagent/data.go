package llmagent

import (
	"fmt"
	"math"
	"sort"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// Thinks tells the engine that LLM agents write a thought with every
// answer (theory models do not, so the engine clears their thoughts).
func (a *Agents) Thinks() bool { return true }

// Prompt returns what agent i is asked at env's step, given the current
// state cur: the system message (the shared part) and the user message
// (the agent's and the round's parts). In completion mode the prompt is
// system + "\n" + user. It needs no client, so the same code renders
// prompts for fine-tuning data (scripts/sft_data.go).
func (a *Agents) Prompt(env *agent.Env, cur *agent.State, i int) (system, user string, err error) {
	tpl := a.templates()
	d := a.data(tpl, env, cur, i)
	if system, err = a.render(tpl.Shared, d); err != nil {
		return "", "", err
	}
	agentPart, err := a.render(tpl.Agent, d)
	if err != nil {
		return "", "", err
	}
	roundPart, err := a.render(tpl.Round, d)
	if err != nil {
		return "", "", err
	}
	return system, agentPart + roundPart, nil
}

// PromptAt returns what agent i saw at step t of a recorded run, as
// Prompt renders it: states are the run's states (at least up to step t-1;
// states[0] the initial one), steps its length, nw its network. Step 0
// renders the round-1 question the people answered themselves. It is how
// scripts/sft_data.go turns runs into fine-tuning examples.
func (a *Agents) PromptAt(sc *scenario.Scenario, nw netw.Network, people pop.Population, states []*agent.State, steps, t, i int, seed uint64) (system, user string, err error) {
	if t < 0 || t >= steps || len(states) == 0 || (t > 0 && len(states) < t) || nw == nil {
		return "", "", fmt.Errorf("llmagent: no prompt for step %d of a run of %d steps with %d states", t, steps, len(states))
	}
	past, cur := states[:t], states[0]
	if t > 0 {
		cur = states[t-1]
	}
	env := &agent.Env{Step: t, Steps: steps, Seed: seed, Graph: nw.At(t), Network: nw, People: people, Scenario: sc,
		Round: sc.Schedule(steps)[t], Initial: states[0], Past: past}
	return a.Prompt(env, cur, i)
}

// schedule returns the rounds of env's run (at least up to env's step).
func schedule(env *agent.Env) []scenario.Round {
	steps := max(env.Steps, env.Step+1)
	return env.Scenario.Schedule(steps)
}

// stepLabel names step t of a schedule: "Round k" for question steps
// (counting round 1 as step 0), "Free chat k" for free-chat steps.
func stepLabel(sched []scenario.Round, t int) string {
	q, c := 1, 0
	for s := 1; s <= t && s < len(sched); s++ {
		if sched[s].FreeChat {
			c++
		} else {
			q++
		}
	}
	if t < len(sched) && sched[t].FreeChat {
		return fmt.Sprintf("Free chat %d", c)
	}
	return fmt.Sprintf("Round %d", q)
}

// data builds the templates' data for agent i at env's step.
func (a *Agents) data(tpl *Templates, env *agent.Env, cur *agent.State, i int) Data {
	n := cur.N()
	sched := schedule(env)
	sc := env.Scenario
	d := Data{
		Scenario: sc, Round: env.Round, Step: env.Step, Person: env.People[i], Agent: i,
		GroupSize: n, Name: pop.ReleaseName(n, i), Label: stepLabel(sched, env.Step), News: env.Round.Info,
	}
	if env.Round.FreeChat && len(sc.Rounds) > 0 {
		d.News = sc.Rounds[len(sc.Rounds)-1].Info
	}
	d.Final = env.Step > 0 && env.Step == len(sched)-1 && !env.Round.FreeChat
	initial := env.Initial
	if initial == nil && len(env.Past) > 0 {
		initial = env.Past[0]
	}
	if initial == nil {
		initial = cur
	}
	d.Own = a.turn(sched, initial, 0, i, n)
	d.Examples = a.examples(env, i, tpl.Release)
	if tpl.Release {
		d.Degree = n
		d.Friends = a.releaseFriends(env.Graph, cur, env.Step-1, i, sched)
		d.Shown = len(d.Friends)
		d.Blocks = a.blocks(env, cur, i, sched)
		return d
	}
	if !a.NoMemory {
		for t := 1; t < env.Step && t < len(env.Past); t++ {
			d.Memory = append(d.Memory, a.turn(sched, env.Past[t], t, i, n))
		}
	}
	if env.Step == 0 || env.Graph == nil {
		return d
	}
	friends := env.Graph.Neighbors(i)
	d.Degree = len(friends)
	shown := make([]int, len(friends))
	for k, f := range friends {
		shown[k] = int(f)
	}
	if a.MaxFriends > 0 && len(shown) > a.MaxFriends {
		s := agent.NewStream(env.Seed^0x667269656e64, env.Step, i)
		for k := range a.MaxFriends { // partial Fisher-Yates
			r := k + s.IntN(len(shown)-k)
			shown[k], shown[r] = shown[r], shown[k]
		}
		shown = shown[:a.MaxFriends]
		sort.Ints(shown)
	}
	d.Shown = len(shown)
	for _, f := range shown {
		d.Friends = append(d.Friends, a.turn(sched, cur, env.Step-1, f, n))
	}
	return d
}

// releaseFriends lists agent i's friends as the release did: every agent
// with a 1 in i's row of the adjacency matrix, i itself included when the
// graph is complete (the release's small groups used an all-ones matrix).
func (a *Agents) releaseFriends(g interface {
	Neighbors(int) []int32
	Degree(int) int
}, st *agent.State, step, i int, sched []scenario.Round) []Turn {
	if g == nil || step < 0 {
		return nil
	}
	n := st.N()
	var ids []int
	for _, f := range g.Neighbors(i) {
		ids = append(ids, int(f))
	}
	if g.Degree(i) == n-1 {
		ids = append(ids, i)
	}
	sort.Ints(ids)
	out := make([]Turn, len(ids))
	for k, f := range ids {
		out[k] = a.turn(sched, st, step, f, n)
	}
	return out
}

// blocks returns the release's accumulated question blocks: one per
// question step up to env's step (free-chat steps add none, so a free-chat
// step repeats the last question's prompt), each with the friends'
// answers of the step before it on that step's network.
func (a *Agents) blocks(env *agent.Env, cur *agent.State, i int, sched []scenario.Round) []Block {
	var out []Block
	rounds := len(env.Scenario.Rounds)
	for s := 1; s <= env.Step && s < len(sched); s++ {
		if sched[s].FreeChat {
			continue
		}
		r := min(len(out)+2, rounds)
		before := cur
		if s-1 < len(env.Past) {
			before = env.Past[s-1]
		}
		g := env.Graph
		if env.Network != nil {
			g = env.Network.At(s)
		}
		out = append(out, Block{Round: r, News: sched[s].Info, Final: r == rounds,
			Friends: a.releaseFriends(g, before, s-1, i, sched)})
	}
	return out
}

// turn is agent i's answer in state st (of step step); in the release set
// the opinion is truncated as the release's int(10 * O) was.
func (a *Agents) turn(sched []scenario.Round, st *agent.State, step, i, n int) Turn {
	t := Turn{Step: step, Agent: i, Name: pop.ReleaseName(n, i), Opinion: int(math.Round(st.Opinion[i] * 10)), Decision: "No"}
	if a.templates().Release {
		t.Opinion = int(st.Opinion[i] * 10)
	}
	t.Label = stepLabel(sched, step)
	if st.Action[i] == 1 {
		t.Decision = "Yes"
	}
	if st.Thought != nil {
		t.Thought = st.Thought[i]
	}
	return t
}

// examples returns agent i's worked examples: the scenario's real
// participants with their answers in every round, then Examples round-1
// answers drawn from ExamplePool. Outside the release set, a participant
// who is agent i itself is left out, so that no agent sees its own
// coefficients and answers presented as another person's.
func (a *Agents) examples(env *agent.Env, i int, release bool) []Example {
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

func samePerson(p, q pop.Person) bool {
	const eps = 1e-9
	return math.Abs(p.A-q.A) < eps && math.Abs(p.Tau-q.Tau) < eps && math.Abs(p.F-q.F) < eps && math.Abs(p.Lambda-q.Lambda) < eps
}

// ReleaseFacts returns a copy of pool with the private facts handed out as
// the release did for windows of n agents: the person at pooled row j gets
// fact k+1 with k = j mod n when k < 5 (the release's "Basic Information
// k+1"), and no fact otherwise. In the small groups (n = 3, 4, 5, windows
// at multiples of n) every member k gets fact k+1, as llmsam does too; in
// the 50- and 101-agent windows only five agents get one.
func ReleaseFacts(pool pop.Population, sc *scenario.Scenario, n int) pop.Population {
	out := append(pop.Population(nil), pool...)
	for j := range out {
		out[j].Fact = ""
		if k := j % n; n > 0 && k < len(sc.Facts) && k < 5 {
			out[j].Fact = sc.Facts[k]
		}
	}
	return out
}

// completionSuffix ends a raw completion prompt: a "# Answer" heading, or
// nothing for the release set, whose prompts end in "Answer:" as the
// release's did.
func (a *Agents) completionSuffix() string {
	if a.templates().Release {
		return ""
	}
	return "\n\n# Answer\n"
}

// releaseSeedRule describes the release set's request seeds, for the manifest.
const releaseSeedRule = "release: the replicate index plus 1000 x try, the same for every agent of a replicate (as the release's seed + 1000 i)"

// requestSeed is the sampling seed of an agent's try: the seeder's, or in
// the release set the release's own rule, the simulation's index plus 1000
// per try for every agent alike (so that agents with the same prompt get
// the same answer from a seeded server, as in the release).
func (a *Agents) requestSeed(s seeder, env *agent.Env, agentIdx, try int) int64 {
	if a.templates().Release {
		return int64(env.Replicate + 1000*try)
	}
	return s.seed(agentIdx, try)
}

func (a *Agents) seedRule() string {
	if a.templates().Release {
		return releaseSeedRule
	}
	return seedRule
}
