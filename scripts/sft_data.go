//go:build ignore

// Fine-tuning data (the study's "train" arrow): chat examples in the OpenAI
// fine-tuning format, {"messages": [system, user, assistant]}, one per agent
// and step, from
//
//   - theory runs: SAM on the small groups of every scenario by default
//     (the release's groups with -coeff, else the built-in synthetic ones),
//     or any run directories given with -runs (theory or LLM runs, as
//     written by Run.Save; pooled small groups are split into their groups);
//   - the real data (with -coeff): every person's real round-1 answer, and
//     the scenario's three worked examples' answers in rounds 2 and 3 (their
//     friends' round-1 answers are real; the friends' round-2 answers, which
//     were never published, come from a SAM run of the group, or with
//     -example-friends skip round 3 is left out). Without -coeff only the
//     worked examples' round-1 answers are real data.
//
// The user message is exactly what that agent was shown at that step,
// rendered by the prompt code the LLM agents use (llmagent.Agents.PromptAt,
// -prompts selects the set); the assistant message is the agent's answer as
// the JSON the prompts ask for. An answer without a thought (theory agents,
// the worked examples' rounds 2 and 3) gets one that only restates the
// answer against the one before ("My opinion moves from 6 to 7 out of 10,
// and my decision stays yes."), since the agents' parser requires a
// thought; no reason is invented. Examples are split into train.jsonl and
// val.jsonl by group (a group is its people, whatever the source), so that
// no group is in both; index.csv names the group, source, scenario, step
// and agent of every line.
//
//	llmsam scripts/sft_data.go -out out/sft
//	llmsam scripts/sft_data.go -out out/sft -coeff ../shared/reference/llmsam/coeff
//	llmsam scripts/sft_data.go -out out/sft -runs out/validation/runs
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/flagcheck"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/protocol"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "sft_data:", err)
		os.Exit(1)
	}
}

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type example struct {
	group, source, scenario string
	step, agent             int
	messages                []message
}

var (
	renderer *llmagent.Agents
	examples []example
	seed     *uint64
)

// groupKey identifies a group by its people, so that the same real group
// reached from several sources gets the same key.
func groupKey(sc *scenario.Scenario, people pop.Population) string {
	h := fnv.New64a()
	fmt.Fprint(h, sc.Name)
	for _, p := range people {
		fmt.Fprintf(h, "|%g,%g,%g,%g,%g,%d,%s", p.A, p.Tau, p.F, p.Lambda, p.Opinion0, p.Action0, p.Reason)
	}
	return fmt.Sprintf("%s-%016x", sc.Name, h.Sum64())
}

// answer is agent i's answer in state st, as the prompts ask for it. An
// answer without a thought (theory agents, the worked examples' later
// rounds) gets one that only restates it against the answer before (prev,
// nil for round 1): the agents' parser requires a thought, and no reason
// is made up.
func answer(st, prev *agent.State, i int) string {
	t := llmagent.Turn{Opinion: int(math.Round(st.Opinion[i] * 10)), Decision: "No"}
	if st.Action[i] == 1 {
		t.Decision = "Yes"
	}
	if st.Thought != nil {
		t.Thought = st.Thought[i]
	}
	if t.Thought == "" {
		t.Thought = restate(t, prev, i)
	}
	return renderer.Templates.Answer(t)
}

// restate words an answer against the one before.
func restate(t llmagent.Turn, prev *agent.State, i int) string {
	if prev == nil {
		return fmt.Sprintf("My opinion is %d out of 10, and my decision is %s.", t.Opinion, strings.ToLower(t.Decision))
	}
	before, was := int(math.Round(prev.Opinion[i]*10)), "no"
	if prev.Action[i] == 1 {
		was = "yes"
	}
	op := fmt.Sprintf("My opinion stays at %d out of 10", t.Opinion)
	if t.Opinion != before {
		op = fmt.Sprintf("My opinion moves from %d to %d out of 10", before, t.Opinion)
	}
	if dec := strings.ToLower(t.Decision); dec != was {
		return op + fmt.Sprintf(", and I change my decision to %s.", dec)
	}
	return op + fmt.Sprintf(", and my decision stays %s.", was)
}

// add renders agent i's prompt at step t of a run and records the example.
func add(source string, sc *scenario.Scenario, nw netw.Network, people pop.Population, states []*agent.State, steps, t, i int, reply string) {
	system, user, err := renderer.PromptAt(sc, nw, people, states, steps, t, i, *seed)
	check(err)
	examples = append(examples, example{group: groupKey(sc, people), source: source, scenario: sc.Name, step: t, agent: i,
		messages: []message{{"system", system}, {"user", user}, {"assistant", reply}}})
}

// addRun adds every agent's answer at every step after the first of every
// replicate of run.
func addRun(source string, sc *scenario.Scenario, run *history.Run) {
	for _, tr := range run.Replicates {
		steps := len(tr.States)
		for t := 1; t < steps; t++ {
			for i := range run.People {
				add(source, sc, run.Network, run.People, tr.States, steps, t, i, answer(tr.States[t], tr.States[t-1], i))
			}
		}
	}
}

// initial is the state of a group's real round-1 answers.
func initial(people pop.Population) *agent.State {
	s := agent.NewState(len(people))
	copy(s.Opinion, people.Opinions())
	copy(s.Action, people.Actions())
	s.Thought = people.Reasons()
	return s
}

func main() {
	out := flag.String("out", "out/sft", "output folder for train.jsonl, val.jsonl and index.csv")
	runs := flag.String("runs", "", "run directories (or folders holding them), comma separated; default: SAM on the small groups")
	coeff := flag.String("coeff", "", "folder with the release's coeff{E}_{N}.csv files: real round-1 answers and the worked examples' groups")
	scenarios := flag.String("scenarios", "dishwasher,waste,5g", "scenarios of the default theory runs and of the real data")
	ngroups := flag.Int("groups", 0, "default theory runs: use only the first N groups of each scenario (0: all 40)")
	reps := flag.Int("replicates", 5, "default theory runs: simulations per group")
	seed = flag.Uint64("seed", 1, "seed of the theory runs and of the split")
	val := flag.Float64("val", 0.2, "share of groups held out for validation")
	prompts := flag.String("prompts", "default", "prompt set: "+llmagent.PromptSets)
	exFriends := flag.String("example-friends", "sam", "worked examples' round 3: sam (friends' unpublished round-2 answers from a SAM run) or skip")
	flag.Parse()
	// Flag checks, before any work.
	_, promptsErr := llmagent.TemplatesByName(*prompts)
	if err := flagcheck.All(
		flagcheck.Range("groups", *ngroups, 0, 40),
		flagcheck.Count("replicates", *reps),
		flagcheck.Want("val", *val >= 0 && *val < 1, *val, "a share in [0, 1)"),
		flagcheck.OneOf("example-friends", *exFriends, "sam", "skip"),
		flagcheck.Value("prompts", promptsErr),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	tpl, err := llmagent.TemplatesByName(*prompts)
	check(err)
	renderer = &llmagent.Agents{Templates: tpl}

	var scs []*scenario.Scenario
	for _, name := range strings.Split(*scenarios, ",") {
		sc, err := scenario.ByName(name)
		check(err)
		scs = append(scs, sc)
	}
	groupsOf := func(sc *scenario.Scenario) []pop.Population {
		var groups []pop.Population
		var err error
		if *coeff != "" {
			groups, err = protocol.ReleaseGroups(*coeff, sc)
		} else {
			groups, err = protocol.SyntheticGroups(sc, *seed)
		}
		check(err)
		return groups
	}

	// Theory (or any) runs.
	if *runs == "" {
		for _, sc := range scs {
			groups := groupsOf(sc)
			if *ngroups > 0 && *ngroups < len(groups) {
				groups = groups[:*ngroups]
			}
			rs, err := protocol.SmallGroups{Scenario: sc, Groups: groups, Agents: theory.SAM{}, Replicates: *reps, Seed: *seed, Quiet: true}.Run()
			check(err)
			for _, r := range rs {
				addRun("theory:SAM", sc, r)
			}
		}
	} else {
		var dirs []string
		for _, root := range strings.Split(*runs, ",") {
			root = strings.TrimSpace(root)
			check(filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if !d.IsDir() && d.Name() == "manifest.json" {
					dirs = append(dirs, filepath.Dir(p))
				}
				return nil
			}))
		}
		if len(dirs) == 0 {
			check(fmt.Errorf("-runs %s: no run directory (with a manifest.json) found", *runs))
		}
		sort.Strings(dirs)
		for _, dir := range dirs {
			r, err := history.Load(dir)
			check(err)
			sc, err := scenario.ByName(r.Manifest.Scenario)
			if err != nil {
				check(fmt.Errorf("%s: %w", dir, err))
			}
			parts, err := r.Split()
			check(err)
			for _, part := range parts {
				addRun("run:"+r.Manifest.Model, sc, part)
			}
		}
	}

	// Real data.
	skipped := 0
	for _, sc := range scs {
		if *coeff == "" {
			// Without the release's files only the worked examples' round 1 is known.
			for _, e := range sc.Examples {
				p := pop.Person{A: e.Coef.A, Tau: e.Coef.Tau, F: e.Coef.F, Lambda: e.Coef.Lambda, Opinion0: float64(e.Opinions[0]) / 10}
				if e.Decisions[0] {
					p.Action0 = 1
				}
				people := pop.Population{p}
				s0 := initial(people)
				add("real:worked-example", sc, netw.Complete(1), people, []*agent.State{s0}, 3, 0, 0, answer(s0, nil, 0))
			}
			continue
		}
		groups := groupsOf(sc)
		var starts []int // pooled row of each group's first person
		row := 0
		for _, g := range groups {
			starts = append(starts, row)
			s0 := initial(g)
			for i := range g {
				add("real:round1", sc, netw.Complete(len(g)), g, []*agent.State{s0}, 3, 0, i, answer(s0, nil, i))
			}
			row += len(g)
		}
		for _, e := range sc.Examples {
			k := sort.SearchInts(starts, e.PoolRow+1) - 1
			if k < 0 || len(e.Opinions) < 3 {
				check(fmt.Errorf("%s: worked example at pooled row %d has no group", sc.Name, e.PoolRow))
			}
			g, i := groups[k], e.PoolRow-starts[k]
			if p := g[i]; math.Abs(p.A-e.Coef.A) > 1e-9 || math.Abs(p.Lambda-e.Coef.Lambda) > 1e-9 || int(math.Round(p.Opinion0*10)) != e.Opinions[0] {
				check(fmt.Errorf("%s: pooled row %d of %s is not the worked example (a %g lambda %g opinion %g)", sc.Name, e.PoolRow, *coeff, p.A, p.Lambda, p.Opinion0))
			}
			nw := netw.Complete(len(g))
			s0 := initial(g)
			real := func(r int) *agent.State { // the group's state with the example's real answer of round r+1
				s := agent.NewState(len(g))
				s.Opinion[i] = float64(e.Opinions[r]) / 10
				if e.Decisions[r] {
					s.Action[i] = 1
				}
				return s
			}
			add("real:worked-example", sc, nw, g, []*agent.State{s0}, 3, 1, i, answer(real(1), s0, i))
			if *exFriends == "skip" {
				skipped++
				continue
			}
			run, err := sim.Run(sim.Study{Name: "friends", Scenario: sc, Network: nw, People: g, Agents: theory.SAM{}, Steps: 2, Seed: *seed, Quiet: true})
			check(err)
			s1 := run.Replicates[0].States[1].Clone()
			s1.Thought = make([]string, len(g)) // SAM agents give no thoughts
			s1.Opinion[i], s1.Action[i] = real(1).Opinion[i], real(1).Action[i]
			add("real:worked-example", sc, nw, g, []*agent.State{s0, s1}, 3, 2, i, answer(real(2), real(1), i))
		}
	}
	if len(examples) == 0 {
		check(fmt.Errorf("no examples"))
	}

	// Split by group and write.
	check(os.MkdirAll(*out, 0o755))
	inVal := map[string]bool{}
	for _, ex := range examples {
		h := fnv.New64a()
		fmt.Fprintf(h, "%d|%s", *seed, ex.group)
		inVal[ex.group] = float64(h.Sum64()%1000000)/1e6 < *val
	}
	files := map[bool]*bufio.Writer{}
	var opened []*os.File
	for _, v := range []bool{false, true} {
		name := "train.jsonl"
		if v {
			name = "val.jsonl"
		}
		f, err := os.Create(filepath.Join(*out, name))
		check(err)
		opened = append(opened, f)
		files[v] = bufio.NewWriter(f)
	}
	idx, err := os.Create(filepath.Join(*out, "index.csv"))
	check(err)
	defer idx.Close()
	fmt.Fprintln(idx, "file,line,group,source,scenario,step,agent")
	type count struct{ train, val int }
	bySource := map[string]*count{}
	var sources []string
	groups := map[bool]map[string]bool{false: {}, true: {}}
	lines := map[bool]int{}
	for _, ex := range examples {
		v := inVal[ex.group]
		b, err := json.Marshal(map[string][]message{"messages": ex.messages})
		check(err)
		files[v].Write(b)
		files[v].WriteByte('\n')
		lines[v]++
		name := "train.jsonl"
		if v {
			name = "val.jsonl"
		}
		fmt.Fprintf(idx, "%s,%d,%s,%s,%s,%d,%d\n", name, lines[v], ex.group, ex.source, ex.scenario, ex.step, ex.agent)
		groups[v][ex.group] = true
		c := bySource[ex.source]
		if c == nil {
			c = &count{}
			bySource[ex.source] = c
			sources = append(sources, ex.source)
		}
		if v {
			c.val++
		} else {
			c.train++
		}
	}
	for k, v := range []bool{false, true} {
		check(files[v].Flush())
		check(opened[k].Close())
	}
	for g := range groups[true] {
		if groups[false][g] {
			check(fmt.Errorf("group %s is in both train and val", g))
		}
	}
	fmt.Printf("fine-tuning data (%s prompts): %d examples in %s, %d in %s; %d groups for training, %d for validation, none in both\n",
		tpl.Name, lines[false], filepath.Join(*out, "train.jsonl"), lines[true], filepath.Join(*out, "val.jsonl"), len(groups[false]), len(groups[true]))
	for _, s := range sources {
		fmt.Printf("  %-22s train %6d  val %6d\n", s, bySource[s].train, bySource[s].val)
	}
	if skipped > 0 {
		fmt.Printf("  worked examples' round 3 left out for %d examples (-example-friends skip)\n", skipped)
	}
	fmt.Println("index of every line in", filepath.Join(*out, "index.csv"))
}
