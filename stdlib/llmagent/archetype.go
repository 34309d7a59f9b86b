package llmagent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"text/template"

	"github.com/llmsam/llmsam/internal/text"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/pop"
)

// Archetypes are LLM agents that share requests, as AgentTorch's archetypes
// do (Chopra et al., 2024): agents whose prompts would carry the same
// information up to a Resolution form one archetype, which gets one request
// per step asking for Answers answers (the request's n); each member then
// takes one of them, drawn from its own seeded stream. With the Exact
// resolution every agent gets its own prompt, as with Agents, and only
// agents whose prompts are identical share a request (asking for as many
// answers as they are). Agents held by the engine (committed, or inactive
// under agent.Activation) send nothing.
//
// An archetype's prompt shows its bins' coefficients and its latest own
// answer (no thought) at the mean of the population's values in each bin,
// and its friends' latest answers as shares per opinion bin and decision,
// instead of each friend's answer.
type Archetypes struct {
	Agents     *Agents    // client, templates, tries, memory and friend options
	Resolution Resolution // how finely agents are told apart; the zero value is the default
	Answers    int        // answers asked per archetype and step; default 8
	// Seeds asks each answer in a request of its own, with its own seed,
	// instead of one request with n answers: for servers without n (llama.cpp's
	// llama-server answers one choice per request).
	Seeds bool
	Round *template.Template // the round part of an archetype's prompt (nil: the default, executed with an ArchetypeData)
	// Report, when set, receives each step's counts (from several
	// goroutines when replicates run at once).
	Report func(StepReport)
}

// Resolution says which agents share a request.
type Resolution struct {
	// Exact: only agents whose prompts are identical share a request (the
	// per-agent model, with duplicate prompts merged).
	Exact bool
	// Coefficients is the number of equal bins of a, tau and lambda on
	// [0, 1] (f follows from a + tau + f = 1); default 4.
	Coefficients int
	// Opinions is the number of bins of the 0-10 answer scale, for the
	// agent's own opinion and its friends'; default 3 (0-3, 4-7, 8-10).
	Opinions int
	// Shares is how finely the share of friends in each opinion bin and
	// decision is told: shares are rounded to multiples of 1/Shares (a
	// cell with friends in it never rounds to 0); default 3 (0, 33, 67,
	// 100%).
	//
	// The default gives 51,426 archetypes for 10^6 synthetic dishwasher
	// agents on a BA(m = 5) network at their initial answers.
	Shares int
}

// Exact is the resolution at which every agent has its own prompt.
var Exact = Resolution{Exact: true}

func (r Resolution) withDefaults() Resolution {
	if r.Coefficients <= 0 {
		r.Coefficients = 4
	}
	if r.Opinions <= 0 {
		r.Opinions = 3
	}
	if r.Shares <= 0 {
		r.Shares = 3
	}
	return r
}

// StepReport counts what one step of one replicate asked.
type StepReport struct {
	Replicate int `json:"replicate"`
	Step      int `json:"step"`
	Active    int `json:"active"`     // agents that answered at this step
	Groups    int `json:"archetypes"` // distinct prompts (archetypes)
	Requests  int `json:"requests"`   // requests sent or served from the cache, re-asks included
	Fallbacks int `json:"fallbacks"`  // agents that kept their previous answer
}

// ArchetypeData is what an archetype's templates see: the Data of its
// representative (Person holds its bins' values, Memory its latest own
// answer at its bin's value) and the friends' answers as shares.
type ArchetypeData struct {
	Data
	Summary []Share // non-empty cells only, in bin order, Yes before No
}

// Share is the share of an agent's friends whose latest answer fell in one
// opinion bin with one decision.
type Share struct {
	Percent  int    // rounded to the resolution's step
	Opinion  int    // the bin's value on the 0-10 scale (the mean answer in the bin at this step)
	Low      int    // the bin's lowest opinion
	High     int    // the bin's highest opinion
	Decision string // "Yes" or "No"
}

const archetypeRoundText = `
# {{.Label}}
{{if .Round.FreeChat}}{{if .News}}The news still stands: {{.News}}
{{end}}Talk with your friends. If someone's view convinces you, change your opinion and decision to match; if you keep yours, try to persuade the others.
{{else if .News}}New information from {{.Scenario.Source}}: {{.News}}
{{end}}{{if .Summary}}Your friends' latest answers:
{{range .Summary}}- {{.Percent}}% of them: opinion {{.Opinion}} (between {{.Low}} and {{.High}}), decision {{.Decision}}
{{end}}{{else if .Step}}You have no friends to hear from.
{{end}}
{{if .Final}}You have now made up your mind on your final opinion and decision. {{end}}{{.Scenario.Ask}} Give your opinion ({{.Scenario.Opinion}}) and your decision, as the JSON object only.`

var defaultArchetypeRound = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("archetype-round").Funcs(funcs).Parse(archetypeRoundText))
})

// IOBound tells the engine that the agents wait on servers.
func (a *Archetypes) IOBound() bool { return true }

// Name implements the engine's model naming.
func (a *Archetypes) Name() string {
	if a.Resolution.Exact {
		return a.Agents.Name() + " (duplicate prompts merged)"
	}
	return a.Agents.Name() + " (archetypes)"
}

// MarshalJSON describes the archetypes in a manifest.
func (a *Archetypes) MarshalJSON() ([]byte, error) {
	inner, err := a.Agents.MarshalJSON()
	if err != nil {
		return nil, err
	}
	r := a.Resolution.withDefaults()
	return json.Marshal(map[string]any{"agents": json.RawMessage(inner), "exact": r.Exact, "coefficient_bins": r.Coefficients,
		"opinion_bins": r.Opinions, "share_steps": r.Shares, "answers": a.answers(), "custom_round": a.Round != nil})
}

func (a *Archetypes) answers() int {
	if a.Answers <= 0 {
		return 8
	}
	return a.Answers
}

// Validate checks the archetypes before a run.
func (a *Archetypes) Validate(n int) error {
	if a.Agents == nil {
		return fmt.Errorf("llmagent: Archetypes.Agents is nil: set LLM agents (llmagent.New(client))")
	}
	r := a.Resolution
	if r.Coefficients < 0 || r.Opinions < 0 || r.Shares < 0 || r.Opinions > 11 {
		return fmt.Errorf("llmagent: Resolution %+v: want bins >= 0 (0 for the default) and at most 11 opinion bins", r)
	}
	return a.Agents.Validate(n)
}

// archMember is one agent's place in the grouping.
type archMember struct {
	key   uint64
	agent int32
}

// group is one archetype: members[lo:hi] of the sorted member list, the
// first of whom (the lowest agent) is its representative.
type group struct {
	lo, hi int32
	first  int32
	key    uint64
}

// Step implements agent.Model.
func (a *Archetypes) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	if env.Scenario == nil {
		return fmt.Errorf("llmagent: the study needs a Scenario")
	}
	n := cur.N()
	if next.Thought == nil {
		next.Thought = make([]string, n)
	}
	ag := a.Agents
	cfg := ag.Client.Config()
	rs := a.newStep(env, cur, cfg.Mode == llm.Completion)
	res, members, groups := rs.res, rs.members, rs.groups

	// What each archetype's requests got: the usage of its first member
	// (the archetype's spending and errors) and the valid answers.
	type state struct {
		mu    sync.Mutex // with Seeds, several requests answer one archetype at once
		usage agent.Usage
		got   [][]Answer // this try's valid answers, per request
		valid []Answer
	}
	type job struct{ g, sub int } // archetype g's request sub (0 unless Seeds)
	st := make([]state, len(groups))
	for g := range groups {
		st[g].usage.Agent = int(groups[g].first)
	}
	var requests atomic.Int64
	var (
		stopMu     sync.Mutex
		stop       error
		stopRecord *agent.ErrorRecord
		stopGroup  int
	)
	parser := Parser{ThoughtOptional: ag.NoThought}
	jobsOf := func(gs []int) []job {
		var out []job
		for _, g := range gs {
			n := 1
			if a.Seeds {
				n = rs.wanted(g)
			}
			for sub := range n {
				out = append(out, job{g, sub})
			}
			st[g].got = make([][]Answer, n)
		}
		return out
	}
	groupIdx := make([]int, len(groups))
	for g := range groupIdx {
		groupIdx[g] = g
	}
	pending := jobsOf(groupIdx)
	for try := 0; try < ag.tries() && len(pending) > 0; try++ {
		var renderErr atomic.Pointer[error]
		// Request k is built in mems[k], from requestMemories, which takes
		// it back when k is answered: the client keeps nothing of a
		// request once its done is called.
		var mems []*requestMemory
		if !rs.completion {
			mems = make([]*requestMemory, len(pending))
		}
		ag.Client.Stream(ctx, len(pending), func(k int) llm.Request {
			var mem *requestMemory
			if mems != nil {
				mem = requestMemories.Get().(*requestMemory)
				mems[k] = mem
			}
			r, err := rs.request(pending[k].g, pending[k].sub, try, mem)
			if err != nil {
				renderErr.CompareAndSwap(nil, &err)
			}
			return r
		}, func(k int, resp llm.Response) {
			if mems != nil && mems[k] != nil {
				mems[k].messages = [2]llm.Message{}
				requestMemories.Put(mems[k])
				mems[k] = nil
			}
			g, sub := pending[k].g, pending[k].sub
			s := &st[g]
			s.mu.Lock()
			defer s.mu.Unlock()
			u := &s.usage
			rep := u.Agent
			requests.Add(1)
			u.Tries++
			u.Retries += resp.Retries
			if resp.Cached {
				u.Cached++
			} else {
				u.Requests += 1 + resp.Retries
			}
			for _, f := range resp.Failures {
				u.Errors = append(u.Errors, failureRecord(env.Step, rep, try, f, f.Kind))
			}
			if resp.Err != nil {
				var le *llm.Error
				isLLM := errors.As(resp.Err, &le)
				if errors.Is(resp.Err, llm.ErrRepeated) && isLLM {
					// The request itself makes the server fail: an invalid
					// answer, asked again with a new seed.
					u.Invalid++
					u.Errors = append(u.Errors, failureRecord(env.Step, rep, try, le.Failure, "invalid: "+le.Kind))
					ag.tally.sample(env.Step, rep, try, le.Message, "")
					return
				}
				stopMu.Lock()
				if stop == nil || (errors.Is(stop, context.Canceled) && !errors.Is(resp.Err, context.Canceled)) {
					stop, stopRecord, stopGroup = fmt.Errorf("archetype of agent %d: %w", rep, resp.Err), nil, g
					if isLLM {
						r := failureRecord(env.Step, rep, try, le.Failure, "fatal: "+le.Kind)
						stopRecord = &r
					}
				}
				stopMu.Unlock()
				return
			}
			u.PromptTokens += resp.Usage.PromptTokens
			u.CompletionTokens += resp.Usage.CompletionTokens
			if !resp.Cached {
				u.Cost += (float64(resp.Usage.PromptTokens)*cfg.PriceInput + float64(resp.Usage.CompletionTokens)*cfg.PriceOutput) / 1e6
			}
			texts := resp.Choices
			if len(texts) == 0 {
				texts = []string{resp.Text}
			}
			for _, t := range texts {
				ans, err := parseAnswer(parser, t)
				if err != nil {
					msg := err.Error()
					if resp.FinishReason == "length" {
						msg += fmt.Sprintf(" (the answer was cut at -max-tokens %d)", cfg.MaxTokens)
					}
					u.Invalid++
					u.Errors = append(u.Errors, agent.ErrorRecord{Step: env.Step, Agent: rep, Try: try, Kind: "invalid",
						Message: msg, Raw: text.Cut(t, 2048)})
					ag.tally.sample(env.Step, rep, try, msg, t)
					continue
				}
				s.got[sub] = append(s.got[sub], ans)
			}
		})
		if p := renderErr.Load(); p != nil {
			return *p
		}
		if stop != nil {
			// Keep the record of what went wrong; the step is not answered.
			if stopRecord != nil {
				st[stopGroup].usage.Errors = append(st[stopGroup].usage.Errors, *stopRecord)
			}
			for g := range st {
				if len(st[g].usage.Errors) > 0 {
					env.Record(st[g].usage)
				}
			}
			return stop
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// Answers in the order of the requests, whatever order they came in.
		var still []int
		for k, j := range pending {
			if k > 0 && pending[k-1].g == j.g {
				continue
			}
			for _, got := range st[j.g].got {
				st[j.g].valid = append(st[j.g].valid, got...)
			}
			if len(st[j.g].valid) == 0 {
				still = append(still, j.g)
			}
		}
		pending = jobsOf(still)
	}

	// Each member takes one of its archetype's answers, drawn from its own
	// stream (in order when the group asked one answer per member); usage
	// is recorded in agent order.
	at := make([]int32, n)                 // agent -> its index in members, for free agents
	groupOf := make([]int32, len(members)) // member -> its archetype
	for g, gr := range groups {
		for k := gr.lo; k < gr.hi; k++ {
			at[members[k].agent] = k
			groupOf[k] = int32(g)
		}
	}
	fallbacks := 0
	pick := agent.StepKey(env.Seed^0x7069636b, env.Step)
	for i := range n {
		if env.IsCommitted(i) {
			continue
		}
		k := at[i]
		gr := groups[groupOf[k]]
		s := &st[groupOf[k]]
		u := agent.Usage{Agent: i, Tries: s.usage.Tries}
		if k == gr.lo { // the archetype's spending and errors are counted once, on its first member
			u = s.usage
		}
		if len(s.valid) == 0 {
			u.Fallback = true // next holds cur: the previous answer is kept
			fallbacks++
			env.Record(u)
			continue
		}
		var ans Answer
		if res.Exact {
			ans = s.valid[int(k-gr.lo)%len(s.valid)]
		} else {
			r := agent.StreamAt(pick, i)
			ans = s.valid[r.IntN(len(s.valid))]
		}
		next.Opinion[i] = float64(ans.Opinion) / 10
		next.Action[i] = 0
		if ans.Decision {
			next.Action[i] = 1
		}
		next.Thought[i] = ans.Thought
		env.Record(u)
	}
	if a.Report != nil {
		a.Report(StepReport{Replicate: env.Replicate, Step: env.Step, Active: len(members), Groups: len(groups),
			Requests: int(requests.Load()), Fallbacks: fallbacks})
	}
	tries, invalid := 0, 0
	for g := range st {
		tries += st[g].usage.Tries
		invalid += st[g].usage.Invalid
	}
	ag.tally.add(len(members), tries, invalid, fallbacks)
	return ag.budgetError(false)
}

// archStep is what one step of Archetypes builds its requests from: the
// archetypes (members grouped by key) and the prompts' per-step parts.
type archStep struct {
	a          *Archetypes
	env        *agent.Env
	cur        *agent.State
	res        Resolution
	completion bool // llm.Completion mode: one prompt string, no messages
	members    []archMember
	groups     []group
	prompts    *promptCache
	seeds      seeder
	bins       *binValues         // the bins' values (not with Exact)
	round      *template.Template // the archetype round template (not with Exact)
}

// newStep groups the free agents of env's step into archetypes.
func (a *Archetypes) newStep(env *agent.Env, cur *agent.State, completion bool) *archStep {
	s := &archStep{a: a, env: env, cur: cur, res: a.Resolution.withDefaults(), completion: completion,
		prompts: newPromptCache(a.Agents, a.Agents.templates(), env, cur), seeds: newSeeder(env)}
	s.members, s.groups = a.group(s.res, env, cur, s.prompts.step.answers, s.prompts.step.examples)
	if !s.res.Exact {
		s.bins = newBinValues(s.res, env, cur)
		if s.round = a.Round; s.round == nil {
			s.round = defaultArchetypeRound()
		}
	}
	return s
}

// wanted returns the number of answers archetype g asks for.
func (s *archStep) wanted(g int) int {
	if s.res.Exact {
		return int(s.groups[g].hi - s.groups[g].lo)
	}
	return s.a.answers()
}

// requestMemory is what a chat request is built in (see archStep.request):
// its messages and its user message's JSON string.
type requestMemory struct {
	messages [2]llm.Message
	user     []byte
}

// requestMemories recycles requestMemory.
var requestMemories = sync.Pool{New: func() any { return new(requestMemory) }}

// request builds archetype g's request sub (0 unless Seeds) of a try. In
// chat mode, when mem is not nil, the request is built in it: its
// messages, and its user message rendered into mem.user when it can be
// rendered as its JSON string (llm.Message.Quoted); mem must then not be
// written again until the request is done.
func (s *archStep) request(g, sub, try int, mem *requestMemory) (llm.Request, error) {
	env, ag := s.env, s.a.Agents
	rep := int(s.groups[g].first)
	want := s.wanted(g)
	if s.a.Seeds {
		want = 1
	}
	var buf *[]byte
	if mem != nil && !s.completion {
		buf = &mem.user
	}
	var p prompt
	var err error
	if s.res.Exact {
		p, err = s.prompts.exact(rep, buf)
	} else {
		p, err = s.prompts.archetype(s.round, s.res, s.bins, rep, buf)
	}
	key := s.groups[g].key
	var r llm.Request
	switch {
	case s.res.Exact && s.wanted(g) == 1:
		// One agent's own prompt: its id, endpoint and seed as Agents sends them.
		r = llm.Request{ID: requestID(env, 'a', rep, -1, try), Agent: rep, Seed: s.seeds.seed(rep, try), Attempt: try}
	case s.a.Seeds:
		r = llm.Request{ID: requestID(env, 'g', rep, sub, try), Agent: int(key >> 33),
			Seed: s.seeds.seed(int(key>>2), try<<16|sub), Attempt: try}
	default:
		r = llm.Request{ID: requestID(env, 'g', rep, -1, try), Agent: int(key >> 33),
			Seed: s.seeds.seed(int(key>>2), try), Attempt: try, N: want}
	}
	if s.completion {
		r.Prompt = p.shared + "\n" + p.user + ag.completionSuffix()
	} else {
		if mem != nil {
			mem.messages = [2]llm.Message{{Role: "system", Content: p.shared}, p.message()}
			r.Messages = mem.messages[:]
		} else {
			r.Messages = []llm.Message{{Role: "system", Content: p.shared}, p.message()}
		}
		r.Schema = ag.templates().Schema()
	}
	return r, err
}

// group keys every free agent by what its prompt would carry and returns
// the agents sorted so that each archetype is a run of equal keys, and the
// archetypes in the order of their first member (so that request ids and
// the endpoints' load do not depend on the hash).
// ex are the step's worked examples (for Exact only).
func (a *Archetypes) group(res Resolution, env *agent.Env, cur *agent.State, ans packedAnswers, ex *exampleLists) ([]archMember, []group) {
	n := cur.N()
	keys := make([]uint64, n)
	var alone func(i int) bool
	if res.Exact {
		alone = a.Agents.aloneInPrompt(env)
	}
	agent.ParallelFor(n, max(env.Workers, 1), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			switch {
			case env.IsCommitted(i):
			case !res.Exact:
				keys[i] = archetypeKey(res, env, cur, ans, i)
			case alone(i):
				keys[i] = ownKey(i)
			default:
				keys[i] = exactKey(a.Agents, env, cur, ans, ex, i)
			}
		}
	})
	members := make([]archMember, 0, n)
	for i := range n {
		if !env.IsCommitted(i) {
			members = append(members, archMember{keys[i], int32(i)})
		}
	}
	slices.SortFunc(members, func(x, y archMember) int {
		if x.key != y.key {
			if x.key < y.key {
				return -1
			}
			return 1
		}
		return int(x.agent - y.agent)
	})
	// Runs of equal keys, indexed by their first member (the run's lowest
	// agent), then listed in agent order: no second sort.
	runAt := make([]int32, n) // agent -> 1 + the index of the run it starts, or 0
	var runs []group
	for lo := 0; lo < len(members); {
		hi := lo + 1
		for hi < len(members) && members[hi].key == members[lo].key {
			hi++
		}
		runs = append(runs, group{int32(lo), int32(hi), members[lo].agent, members[lo].key})
		runAt[members[lo].agent] = int32(len(runs))
		lo = hi
	}
	groups := make([]group, 0, len(runs))
	for _, r := range runAt {
		if r > 0 {
			groups = append(groups, runs[r-1])
		}
	}
	return members, groups
}

// Count returns how many archetypes (requests, before re-asks) a step from
// state cur would need, without asking anything: a dry run to choose a
// resolution. env needs the Graph and People (and Seed and Step when
// MaxFriends limits the friends quoted with the Exact resolution).
func (a *Archetypes) Count(env *agent.Env, cur *agent.State) int {
	res := a.Resolution.withDefaults()
	var ex *exampleLists
	if res.Exact {
		ex = newExampleLists(a.Agents, env, a.Agents.templates().Release)
	}
	_, groups := a.group(res, env, cur, packAnswers(cur), ex)
	return len(groups)
}

// answerBin returns the bin of a 0-10 answer among k bins.
func answerBin(v, k int) int { return v * k / 11 }

// binRange returns the lowest, highest and central answers of bin b.
func binRange(b, k int) (lo, hi, mid int) {
	lo = (b*11 + k - 1) / k
	hi = ((b+1)*11+k-1)/k - 1
	return lo, hi, (lo + hi + 1) / 2
}

// coefBin returns the bin of a coefficient in [0, 1] among k bins.
func coefBin(x float64, k int) int { return min(int(x*float64(k)), k-1) }

// answerOf returns agent i's answer in st on the 0-10 scale.
func answerOf(st *agent.State, i int) int { return int(math.Round(st.Opinion[i] * 10)) }

// packedAnswers are the answers of one state, one byte per agent:
// answerOf<<1 | action, or 0xFF when that does not fit (the state is read
// then). Prompts read many random friends' answers; one small array stays
// in the processor's cache where the state's two large ones do not.
type packedAnswers struct {
	st *agent.State
	b  []uint8
}

func packAnswers(st *agent.State) packedAnswers {
	p := packedAnswers{st, make([]uint8, st.N())}
	for i := range p.b {
		o, a := answerOf(st, i), st.Action[i]
		p.b[i] = 0xFF
		if o >= 0 && o < 127 && a <= 1 {
			p.b[i] = uint8(o<<1) | a
		}
	}
	return p
}

// at returns agent i's answer on the 0-10 scale and its action.
func (p packedAnswers) at(i int) (answer int, action uint8) {
	if b := p.b[i]; b != 0xFF {
		return int(b >> 1), b & 1
	}
	return answerOf(p.st, i), p.st.Action[i]
}

// archetypeKey hashes what an archetype's prompt carries for agent i.
func archetypeKey(r Resolution, env *agent.Env, cur *agent.State, ans packedAnswers, i int) uint64 {
	p := &env.People[i]
	h := hashString(0x6172636865747970, p.Fact)
	h = mix64(h ^ uint64(coefBin(p.A, r.Coefficients)))
	h = mix64(h ^ uint64(coefBin(p.Tau, r.Coefficients)))
	h = mix64(h ^ uint64(coefBin(p.Lambda, r.Coefficients)))
	h = mix64(h ^ uint64(answerBin(answerOf(cur, i), r.Opinions)<<1|int(cur.Action[i])))
	if env.Step > 1 { // the prompt shows the round-1 answer too
		init := initialOf(env, cur)
		h = mix64(h ^ 0x696e6974 ^ uint64(answerBin(answerOf(init, i), r.Opinions)<<1|int(init.Action[i])))
	}
	var cells [22]int32
	friends := env.Graph.Neighbors(i)
	for _, f := range friends {
		o, act := ans.at(int(f))
		cells[answerBin(o, r.Opinions)<<1|int(act)]++
	}
	for _, c := range cells[:2*r.Opinions] {
		h = mix64(h ^ uint64(shareStep(int(c), len(friends), r.Shares)))
	}
	return h
}

// shareStep rounds c/n to a multiple of 1/steps and returns the multiple; a
// cell with friends in it never rounds to 0.
func shareStep(c, n, steps int) int {
	if c == 0 || n == 0 {
		return 0
	}
	return max(1, int(math.Round(float64(c)*float64(steps)/float64(n))))
}

// binValues are what an archetype's prompt shows for each bin: the mean of
// the population's values that fall in it at this step (the bin's middle
// when none does), so that binning moves no one's opinion or coefficients
// on average.
type binValues struct {
	opinion        [11]int
	a, tau, lambda []float64
}

func newBinValues(r Resolution, env *agent.Env, cur *agent.State) *binValues {
	v := &binValues{}
	var sum, cnt [11]float64
	for i := range cur.N() {
		o := answerOf(cur, i)
		b := answerBin(o, r.Opinions)
		sum[b] += float64(o)
		cnt[b]++
	}
	for b := range r.Opinions {
		lo, hi, _ := binRange(b, r.Opinions)
		v.opinion[b] = (lo + hi) / 2
		if cnt[b] > 0 {
			v.opinion[b] = int(math.Round(sum[b] / cnt[b]))
		}
	}
	k := r.Coefficients
	means := func(get func(p *pop.Person) float64) []float64 {
		s, c := make([]float64, k), make([]float64, k)
		for i := range env.People {
			x := get(&env.People[i])
			b := coefBin(x, k)
			s[b] += x
			c[b]++
		}
		for b := range s {
			if c[b] > 0 {
				s[b] /= c[b]
			} else {
				s[b] = (float64(b) + 0.5) / float64(k)
			}
		}
		return s
	}
	v.a = means(func(p *pop.Person) float64 { return p.A })
	v.tau = means(func(p *pop.Person) float64 { return p.Tau })
	v.lambda = means(func(p *pop.Person) float64 { return p.Lambda })
	return v
}

// initialOf returns the state at step 0.
func initialOf(env *agent.Env, cur *agent.State) *agent.State {
	switch {
	case env.Initial != nil:
		return env.Initial
	case len(env.Past) > 0:
		return env.Past[0]
	}
	return cur
}

// exactKey hashes everything agent i's own prompt is rendered from (the
// Data that data builds, for the package's default templates), so that
// equal keys mean identical prompts. With other templates, which may show
// anything (the agent's index, its name), or with pool examples, each agent
// keeps its own key: nothing is merged.
func exactKey(a *Agents, env *agent.Env, cur *agent.State, ans packedAnswers, ex *exampleLists, i int) uint64 {
	if a.templates() != defaultTemplates() || a.Examples > 0 {
		return ownKey(i)
	}
	p := &env.People[i]
	h := personKey(p)
	h = mix64(h ^ ex.key(ex.forAgent(i, p))) // its worked examples (leaving itself out)
	turn := func(st *agent.State, j int) {
		o, act := answerOf(st, j), st.Action[j]
		if st == ans.st {
			o, act = ans.at(j)
		}
		h = mix64(h ^ uint64(o<<1|int(act)))
		if st.Thought != nil {
			h = hashString(h, st.Thought[j])
		}
	}
	turn(initialOf(env, cur), i)
	if !a.NoMemory {
		for t := 1; t < env.Step && t < len(env.Past); t++ {
			turn(env.Past[t], i)
		}
	}
	friends := env.Graph.Neighbors(i)
	h = mix64(h ^ uint64(len(friends)))
	var buf [32]int
	for _, f := range a.shownFriends(env, i, friends, buf[:0]) {
		h = mix64(h ^ uint64(f))
		turn(cur, f)
	}
	return h
}

// ownKey is the key of an agent whose prompt no other agent can share.
func ownKey(i int) uint64 { return mix64(uint64(i) ^ 0x6f776e) }

// personKey hashes what exactKey reads of agent i's own person first: its
// fact and coefficients.
func personKey(p *pop.Person) uint64 {
	h := hashString(0x6578616374, p.Fact)
	for _, x := range []float64{p.A, p.Tau, p.F, p.Lambda} {
		h = mix64(h ^ math.Float64bits(x))
	}
	return h
}

// aloneInPrompt returns, for the Exact resolution, whether agent i is the
// only one with its fact and coefficients: then no other agent's prompt can
// equal its own (exactKey hashes both), and the step need not read its
// friends' answers to key it. Agents are counted in a table indexed by
// their personKey's top bits, so a shared slot only makes an agent take
// the full key. With other templates every prompt is its own anyway.
func (a *Agents) aloneInPrompt(env *agent.Env) func(i int) bool {
	if a.templates() != defaultTemplates() || a.Examples > 0 {
		return func(int) bool { return true }
	}
	const bits = 22 // 4 MB of counts; about a fifth of 10^6 agents share a slot
	keys := make([]uint64, len(env.People))
	agent.ParallelFor(len(keys), max(env.Workers, 1), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			keys[i] = personKey(&env.People[i]) >> (64 - bits)
		}
	})
	count := make([]uint8, 1<<bits)
	for _, k := range keys {
		if count[k] < 2 {
			count[k]++
		}
	}
	return func(i int) bool { return count[keys[i]] == 1 }
}

// shownFriends returns the friends listed in agent i's prompt: all of them,
// or MaxFriends chosen by agent i's stream, in increasing order, appended
// to buf.
func (a *Agents) shownFriends(env *agent.Env, i int, friends []int32, buf []int) []int {
	shown := buf[:0]
	for _, f := range friends {
		shown = append(shown, int(f))
	}
	if a.MaxFriends > 0 && len(shown) > a.MaxFriends {
		s := agent.NewStream(env.Seed^0x667269656e64, env.Step, i)
		for k := range a.MaxFriends { // partial Fisher-Yates
			r := k + s.IntN(len(shown)-k)
			shown[k], shown[r] = shown[r], shown[k]
		}
		shown = shown[:a.MaxFriends]
		slices.Sort(shown)
	}
	return shown
}

type byteWriter struct{ b []byte }

func (w *byteWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func hashString(h uint64, s string) uint64 {
	h = mix64(h ^ uint64(len(s)))
	for len(s) >= 8 {
		h = mix64(h ^ (uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56))
		s = s[8:]
	}
	var last uint64
	for k := range len(s) {
		last |= uint64(s[k]) << (8 * k)
	}
	return mix64(h ^ last)
}

func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
