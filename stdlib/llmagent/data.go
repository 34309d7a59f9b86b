package llmagent

import (
	"fmt"
	"math"
	"sort"
	"strconv"

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
	p, err := newPromptCache(a, a.templates(), env, cur).exact(i, nil)
	return p.shared, p.user, err
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
		return "Free chat " + strconv.Itoa(c)
	}
	return "Round " + strconv.Itoa(q)
}

// stepData is what the Data of every agent at one step share, built once
// per step: the schedule and its labels, the initial state, the worked
// examples.
type stepData struct {
	ag       *Agents
	env      *agent.Env
	n        int // agents
	release  bool
	names    bool // the templates may show names: all but the package's default set
	sched    []scenario.Round
	labels   []string // stepLabel of each step of sched
	initial  *agent.State
	answers  packedAnswers // the current state's
	examples *exampleLists
}

func newStepData(a *Agents, tpl *Templates, env *agent.Env, cur *agent.State) *stepData {
	s := &stepData{ag: a, env: env, n: cur.N(), release: tpl.Release, names: tpl != defaultTemplates(), sched: schedule(env)}
	s.labels = make([]string, len(s.sched))
	for t := range s.labels {
		s.labels[t] = stepLabel(s.sched, t)
	}
	s.initial = initialOf(env, cur)
	s.answers = packAnswers(cur)
	s.examples = newExampleLists(a, env, tpl.Release)
	return s
}

// label is stepLabel(sched, t), looked up.
func (s *stepData) label(t int) string {
	if t >= 0 && t < len(s.labels) {
		return s.labels[t]
	}
	return stepLabel(s.sched, t)
}

// data builds the templates' data for agent i at the step, into d (whose
// Friends and Memory slices are reused).
func (s *stepData) data(d *Data, cur *agent.State, i int) {
	env, sc, n := s.env, s.env.Scenario, s.n
	friendsBuf, memoryBuf := d.Friends[:0], d.Memory[:0]
	*d = Data{
		Scenario: sc, Round: env.Round, Step: env.Step, Person: env.People[i], Agent: i,
		GroupSize: n, Label: s.label(env.Step), News: env.Round.Info,
	}
	if s.names {
		d.Name = pop.ReleaseName(n, i)
	}
	if env.Round.FreeChat && len(sc.Rounds) > 0 {
		d.News = sc.Rounds[len(sc.Rounds)-1].Info
	}
	d.Final = env.Step > 0 && env.Step == len(s.sched)-1 && !env.Round.FreeChat
	d.Own = s.turn(s.initial, 0, i)
	d.Examples = s.examples.forAgent(i, &env.People[i])
	if s.release {
		d.Degree = n
		d.Friends = s.releaseFriends(env.Graph, cur, env.Step-1, i)
		d.Shown = len(d.Friends)
		d.Blocks = s.blocks(cur, i)
		return
	}
	if !s.ag.NoMemory {
		for t := 1; t < env.Step && t < len(env.Past); t++ {
			memoryBuf = append(memoryBuf, s.turn(env.Past[t], t, i))
		}
		if len(memoryBuf) > 0 {
			d.Memory = memoryBuf
		}
	}
	if env.Step == 0 || env.Graph == nil {
		return
	}
	friends := env.Graph.Neighbors(i)
	d.Degree = len(friends)
	var buf [32]int
	shown := s.ag.shownFriends(env, i, friends, buf[:0])
	d.Shown = len(shown)
	// The friends' answers first, in a loop of their own, so that reading
	// them (a cache miss each at 10^6 agents) overlaps; then the rest.
	for _, f := range shown {
		friendsBuf = append(friendsBuf, s.answer(cur, f))
	}
	for k, f := range shown {
		s.complete(&friendsBuf[k], cur, env.Step-1, f)
	}
	if len(friendsBuf) > 0 {
		d.Friends = friendsBuf
	}
}

// releaseFriends lists agent i's friends as the release did: every agent
// with a 1 in i's row of the adjacency matrix, i itself included when the
// graph is complete (the release's small groups used an all-ones matrix).
func (s *stepData) releaseFriends(g interface {
	Neighbors(int) []int32
	Degree(int) int
}, st *agent.State, step, i int) []Turn {
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
		out[k] = s.turn(st, step, f)
	}
	return out
}

// blocks returns the release's accumulated question blocks: one per
// question step up to env's step (free-chat steps add none, so a free-chat
// step repeats the last question's prompt), each with the friends'
// answers of the step before it on that step's network.
func (sd *stepData) blocks(cur *agent.State, i int) []Block {
	env, sched := sd.env, sd.sched
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
			Friends: sd.releaseFriends(g, before, s-1, i)})
	}
	return out
}

// turn is agent i's answer in state st (of step step); in the release set
// the opinion is truncated as the release's int(10 * O) was.
func (s *stepData) turn(st *agent.State, step, i int) Turn {
	t := s.answer(st, i)
	s.complete(&t, st, step, i)
	return t
}

// answer is the part of turn that holds agent i's opinion and decision.
func (s *stepData) answer(st *agent.State, i int) Turn {
	var t Turn
	var action uint8
	switch {
	case s.release:
		t.Opinion, action = int(st.Opinion[i]*10), st.Action[i]
	case st == s.answers.st:
		t.Opinion, action = s.answers.at(i)
	default:
		t.Opinion, action = answerOf(st, i), st.Action[i]
	}
	t.Decision = "No"
	if action == 1 {
		t.Decision = "Yes"
	}
	return t
}

// complete fills in the rest of turn t of agent i (step, label, name,
// thought).
func (s *stepData) complete(t *Turn, st *agent.State, step, i int) {
	t.Step, t.Label, t.Agent = step, s.label(step), i
	if s.names {
		t.Name = pop.ReleaseName(s.n, i)
	}
	if st.Thought != nil {
		t.Thought = st.Thought[i]
	}
}

// exampleLists are the worked examples of one step: the scenario's real
// participants, then Examples round-1 answers drawn from ExamplePool. Most
// agents are none of them and share one list, built once; outside the
// release set a participant who is the agent itself is left out, and a
// drawn example never is the agent, so that no agent sees its own
// coefficients and answers presented as another person's.
type exampleLists struct {
	release   bool
	scenario  []Example      // every participant of the scenario
	pool      pop.Population // where the drawn examples come from
	ownPool   bool           // pool is the study's people: the agent is left out by index
	order     []int          // pool rows with a reason, in drawing order
	count     int            // examples drawn (Agents.Examples)
	common    []Example      // the list of an agent who is none of the examples
	commonKey uint64         // examplesKey(common)
}

func newExampleLists(a *Agents, env *agent.Env, release bool) *exampleLists {
	l := &exampleLists{release: release, count: max(a.Examples, 0)}
	sc := env.Scenario
	for _, e := range sc.Examples {
		ex := Example{Person: pop.Person{A: e.Coef.A, Tau: e.Coef.Tau, F: e.Coef.F, Lambda: e.Coef.Lambda}}
		for r := range min(len(e.Opinions), len(e.Decisions), len(sc.Rounds)) {
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
		l.scenario = append(l.scenario, ex)
	}
	if l.count > 0 {
		l.pool = a.ExamplePool
		if l.pool == nil {
			l.pool, l.ownPool = env.People, true
		}
		type cand struct {
			i int
			h uint64
		}
		var cs []cand
		for k, p := range l.pool {
			if p.Reason != "" {
				s := agent.NewStream(0x6578616d706c65, 0, k)
				cs = append(cs, cand{k, s.Uint64()})
			}
		}
		sort.Slice(cs, func(x, y int) bool { return cs[x].h < cs[y].h })
		l.order = make([]int, len(cs))
		for k, c := range cs {
			l.order[k] = c.i
		}
	}
	l.common = l.build(-1, nil)
	l.commonKey = examplesKey(l.common)
	return l
}

// forAgent returns agent i's worked examples (self is its person).
func (l *exampleLists) forAgent(i int, self *pop.Person) []Example {
	for k := range l.scenario {
		if l.isSelf(&l.scenario[k], self) {
			return l.build(i, self)
		}
	}
	for _, row := range l.order[:min(l.count, len(l.order))] {
		if l.isDrawnSelf(row, i, self) {
			return l.build(i, self)
		}
	}
	return l.common
}

// build returns the examples of agent i with person self, or the common
// list when self is nil.
func (l *exampleLists) build(i int, self *pop.Person) []Example {
	var out []Example
	for k := range l.scenario {
		if self == nil || !l.isSelf(&l.scenario[k], self) {
			out = append(out, l.scenario[k])
		}
	}
	added := 0
	for _, row := range l.order {
		if added == l.count {
			break
		}
		if self != nil && l.isDrawnSelf(row, i, self) {
			continue
		}
		p := l.pool[row]
		t := Turn{Agent: -1, Thought: p.Reason, Opinion: int(math.Round(p.Opinion0 * 10)), Decision: "No"}
		if p.Action0 == 1 {
			t.Decision = "Yes"
		}
		out = append(out, Example{Person: p, Turns: []Turn{t}})
		added++
	}
	return out
}

// isSelf reports whether the scenario's participant e is the person self,
// whom it is not shown to (outside the release set).
func (l *exampleLists) isSelf(e *Example, self *pop.Person) bool {
	return !l.release && samePerson(e.Person, *self) && len(e.Turns) > 0 &&
		e.Turns[0].Opinion == int(math.Round(self.Opinion0*10)) && e.Person.Action0 == self.Action0
}

// isDrawnSelf reports whether pool row row is agent i (person self).
func (l *exampleLists) isDrawnSelf(row, i int, self *pop.Person) bool {
	if l.ownPool {
		return row == i
	}
	return l.pool[row] == *self
}

// key returns the key of the shared part showing the list ex: the common
// list's, or ex's hash.
func (l *exampleLists) key(ex []Example) uint64 {
	if len(ex) == len(l.common) && (len(ex) == 0 || &ex[0] == &l.common[0]) {
		return l.commonKey
	}
	return examplesKey(ex)
}

// examplesKey hashes what the shared part shows of a list of examples.
func examplesKey(ex []Example) uint64 {
	h := uint64(len(ex))
	for _, e := range ex {
		for _, x := range [...]float64{e.Person.A, e.Person.Tau, e.Person.F, e.Person.Lambda} {
			h = mix64(h ^ math.Float64bits(x))
		}
		for _, t := range e.Turns {
			h = hashString(hashString(mix64(h^uint64(t.Opinion)), t.Thought), t.Decision)
		}
	}
	return h
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
