package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/llmsam/llmsam/internal/session"
	"github.com/llmsam/llmsam/internal/workpool"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// Study is one simulation set-up, in the vocabulary of the field: a model
// (Agents) on a network of People facing a Scenario, run for Steps steps
// (step 0 is the initial state: 3 steps are the study's 3 rounds) and
// Replicates replicates.
type Study struct {
	Name       string             // run name, written in every output row; default "run"
	Scenario   *scenario.Scenario // default scenario.Dishwasher()
	Network    netw.Network       // a *netw.Graph or netw.Snapshots over len(People) nodes
	People     pop.Population     // agent profiles and initial states
	Agents     agent.Model        // theory model or LLM agents
	Steps      int                // recorded steps including step 0; default 3
	Replicates int                // default 1
	Seed       uint64             // replicate r uses Seed + r
	Committed  []history.Commit   // agents fixed at a given opinion and action
	Workers    int                // parallel goroutines; 0 means all cores
	Quiet      bool               // no progress bar even on a terminal
	Labels     map[string]string  // extra labels for the manifest (window, topology, ...)

	coef []pop.Coef // People's packed coefficients, shared by the replicates
}

// Prepare fills the study's defaults and checks it; Run does this itself,
// runners that call Replicate (package experiment) call it once per study.
func (s *Study) Prepare() error {
	if s.Name == "" {
		s.Name = "run"
	}
	if s.Scenario == nil {
		s.Scenario = scenario.Dishwasher()
	}
	if s.Steps == 0 {
		s.Steps = 3
	}
	if s.Replicates == 0 {
		s.Replicates = 1
	}
	if s.Workers <= 0 {
		s.Workers = runtime.GOMAXPROCS(0)
		if m, ok := s.Agents.(agent.IOBound); ok && m.IOBound() {
			s.Workers = max(s.Workers, s.Replicates)
		}
	}
	switch {
	case s.Agents == nil:
		return fmt.Errorf("study %q: Agents is nil: set a model such as theory.SAM{}", s.Name)
	case s.Network == nil:
		return fmt.Errorf("study %q: Network is nil", s.Name)
	case len(s.People) == 0:
		return fmt.Errorf("study %q: no People", s.Name)
	case s.Network.N() != len(s.People):
		return fmt.Errorf("study %q: network has %d nodes but there are %d people", s.Name, s.Network.N(), len(s.People))
	case s.Steps < 1:
		return fmt.Errorf("study %q: Steps = %d, want at least 1", s.Name, s.Steps)
	case s.Replicates < 1:
		return fmt.Errorf("study %q: Replicates = %d, want at least 1", s.Name, s.Replicates)
	}
	if snaps, ok := s.Network.(netw.Snapshots); ok {
		if err := snaps.Validate(); err != nil {
			return fmt.Errorf("study %q: %w", s.Name, err)
		}
	}
	if err := s.Scenario.Validate(); err != nil {
		return fmt.Errorf("study %q: %w", s.Name, err)
	}
	if err := s.People.Validate(); err != nil {
		return fmt.Errorf("study %q: %w", s.Name, err)
	}
	for _, c := range s.Committed {
		if c.Agent < 0 || c.Agent >= len(s.People) || c.Opinion < 0 || c.Opinion > 1 || c.Action > 1 {
			return fmt.Errorf("study %q: committed agent %+v: want agent in [0,%d), opinion in [0,1], action 0 or 1", s.Name, c, len(s.People))
		}
	}
	s.coef = s.People.Coefficients()
	if v, ok := s.Agents.(agent.Validator); ok {
		if err := v.Validate(len(s.People)); err != nil {
			return fmt.Errorf("study %q: %w", s.Name, err)
		}
	}
	return nil
}

// Run runs the study and returns its record. In the scripting host it stops
// when the running cell is interrupted (Ctrl-C). On an error the returned
// run, when not nil, holds the steps completed before it.
func Run(s Study) (*history.Run, error) { return RunContext(session.Context(), s) }

// RunContext runs the study until done or until ctx is cancelled.
func RunContext(ctx context.Context, s Study) (*history.Run, error) {
	if err := s.Prepare(); err != nil {
		return nil, err
	}
	bar := workpool.NewProgress(s.Quiet, s.Replicates*(s.Steps-1), s.Name)
	defer bar.Finish()
	run := s.Record()
	inner := max(1, s.Workers/min(s.Workers, s.Replicates))
	err := workpool.Run(ctx, s.Replicates, s.Workers, func(ctx context.Context, r int) error {
		tr, err := s.Replicate(ctx, r, ReplicateOptions{Seed: s.Seed + uint64(r), Workers: inner,
			Observe: func(int, *agent.State) error { bar.Add(1); return nil }})
		run.Replicates[r] = tr
		return err
	})
	if err != nil {
		run.Replicates = completed(run.Replicates)
		run.Manifest.Error = err.Error()
		return run, err
	}
	return run, nil
}

// completed drops the replicates that never started, so that a run stopped
// by an error (a spent budget, a pending batch, Ctrl-C) keeps and saves
// every step it finished.
func completed(reps []*history.Trajectory) []*history.Trajectory {
	var out []*history.Trajectory
	for _, tr := range reps {
		if tr != nil {
			out = append(out, tr)
		}
	}
	return out
}

// Record returns the run record of a prepared study with its manifest
// filled and room for the replicates.
func (s *Study) Record() *history.Run {
	m := history.Manifest{
		Name: s.Name, Tool: "llmsam", Version: history.Version(), GoVersion: history.GoVersion(),
		Scenario: s.Scenario.Name, Model: modelName(s.Agents), ModelParams: modelParams(s.Agents),
		Agents: len(s.People), Steps: s.Steps,
		Replicates: s.Replicates, Seed: s.Seed, Committed: s.Committed, Labels: s.Labels,
	}
	m.Commit, m.Modified = history.Source()
	g0 := s.Network.At(0)
	m.Network = history.NetworkInfo{Description: g0.String(), Nodes: g0.N(), Edges: g0.Edges()}
	if snaps, ok := s.Network.(netw.Snapshots); ok {
		m.Network.Snapshots = len(snaps)
	}
	for t, rd := range s.Scenario.Schedule(s.Steps) {
		m.Schedule = append(m.Schedule, history.RoundInfo{Step: t, Name: rd.Name, Strength: rd.Strength, FreeChat: rd.FreeChat})
	}
	for r := range s.Replicates {
		m.Seeds = append(m.Seeds, s.Seed+uint64(r))
	}
	return &history.Run{Manifest: m, People: s.People, Network: s.Network, Replicates: make([]*history.Trajectory, s.Replicates)}
}

// ReplicateOptions say how Replicate runs one replicate.
type ReplicateOptions struct {
	Seed    uint64 // the replicate's seed (Run uses Study.Seed + r)
	Workers int    // goroutines inside each step; 0 means 1
	// Observe, when set, is called with every state as it is recorded, step
	// 0 first; an error it returns stops the replicate.
	Observe func(step int, st *agent.State) error
	// Forget keeps only the current state in memory: the trajectory returned
	// holds the last state alone, and Observe is where the others go (to a
	// file, as metrics), and Env.Past holds the current state alone. Models
	// that read earlier steps (agent.IOBound LLM
	// agents show agents their earlier answers) keep every state.
	Forget bool
}

// Replicate runs replicate r of a prepared study (see Prepare) and returns
// its trajectory; on an error the trajectory holds the steps completed.
func (s *Study) Replicate(ctx context.Context, r int, opt ReplicateOptions) (tr *history.Trajectory, err error) {
	seed, workers := opt.Seed, max(opt.Workers, 1)
	forget := opt.Forget
	if m, ok := s.Agents.(agent.IOBound); ok && m.IOBound() {
		forget = false
	}
	tr = &history.Trajectory{Replicate: r, Seed: seed}
	cur := agent.NewState(len(s.People))
	copy(cur.Opinion, s.People.Opinions())
	copy(cur.Action, s.People.Actions())
	var committed []bool
	if len(s.Committed) > 0 {
		committed = make([]bool, len(s.People))
		for _, c := range s.Committed {
			committed[c.Agent] = true
		}
	}
	if reasons := s.People.Reasons(); reasons != nil {
		cur.Thought = reasons // step 0's thoughts are the people's own initial reasons
	}
	s.applyCommitted(cur)
	initial := cur
	var spare *agent.State // with forget, the state two steps back, reused
	tr.States = append(tr.States, cur)
	if opt.Observe != nil {
		if err := opt.Observe(0, cur); err != nil {
			return tr, err
		}
	}
	var usageMu sync.Mutex
	record := func(u agent.Usage) {
		usageMu.Lock()
		if len(tr.Usage) == cap(tr.Usage) {
			// Double (append grows large slices by a quarter, which copied
			// a million records over and over), from 65,536 records.
			tr.Usage = slices.Grow(tr.Usage, max(len(tr.Usage), 1<<16))
		}
		tr.Usage = append(tr.Usage, u)
		usageMu.Unlock()
	}
	schedule := s.Scenario.Schedule(s.Steps)
	for t := 1; t < s.Steps; t++ {
		if err := ctx.Err(); err != nil {
			return tr, err
		}
		env := &agent.Env{
			Run: s.Name, Labels: s.Labels, Step: t, Steps: s.Steps, Replicate: r, Seed: seed, Recorder: record,
			Graph: s.Network.At(t), Network: s.Network, People: s.People, Coef: s.coef, Scenario: s.Scenario,
			Round: schedule[t], Initial: initial, Past: tr.States,
			Committed: committed, Workers: workers,
		}
		next := spare
		if next == nil {
			next = cur.Clone()
		} else {
			next.CopyFrom(cur)
			spare = nil
		}
		if !thinks(s.Agents) {
			next.Thought = nil // a model without thoughts writes none: the round-1 reasons stay at step 0
		}
		if err := stepSafely(ctx, s.Agents, env, cur, next); err != nil {
			return tr, fmt.Errorf("study %q replicate %d step %d: %w", s.Name, r, t, err)
		}
		s.applyCommitted(next)
		sortUsage(tr.Usage)
		if forget {
			tr.States[0] = next
			if cur != initial {
				spare = cur
			}
		} else {
			tr.States = append(tr.States, next)
		}
		cur = next
		if opt.Observe != nil {
			if err := opt.Observe(t, next); err != nil {
				return tr, err
			}
		}
	}
	return tr, nil
}

// thinks reports whether a model writes thoughts (agent.Thinker).
func thinks(m agent.Model) bool {
	t, ok := m.(agent.Thinker)
	return ok && t.Thinks()
}

// sortUsage orders usage records by step and agent, whatever order the
// model's goroutines recorded them in (records already in order, as a
// million agents' are, cost one pass).
func sortUsage(u []agent.Usage) {
	byStepAgent := func(a, b agent.Usage) int {
		if a.Step != b.Step {
			return a.Step - b.Step
		}
		return a.Agent - b.Agent
	}
	if !slices.IsSortedFunc(u, byStepAgent) {
		slices.SortStableFunc(u, byStepAgent)
	}
}

func (s *Study) applyCommitted(st *agent.State) {
	for _, c := range s.Committed {
		st.Opinion[c.Agent] = c.Opinion
		st.Action[c.Agent] = c.Action
	}
}

// stepSafely runs one model step, turning a panic (in the model, or re-raised
// from a goroutine it started through agent.ParallelFor) into an error.
func stepSafely(ctx context.Context, m agent.Model, env *agent.Env, cur, next *agent.State) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("model %s panicked: %v\n%s", modelName(m), r, trimStack(debug.Stack()))
		}
	}()
	return m.Step(ctx, env, cur, next)
}

func trimStack(b []byte) string {
	lines := strings.Split(string(b), "\n")
	if len(lines) > 24 {
		lines = lines[:24]
	}
	return strings.Join(lines, "\n")
}

// modelName returns "theory.SAM" for a theory.SAM value (or pointer), or the
// model's Name() when it has one.
func modelName(m agent.Model) string {
	if n, ok := m.(interface{ Name() string }); ok {
		return n.Name()
	}
	t := reflect.TypeOf(m)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	pkg := t.PkgPath()
	if i := strings.LastIndexByte(pkg, '/'); i >= 0 {
		pkg = pkg[i+1:]
	}
	if pkg == "" {
		return t.String()
	}
	return pkg + "." + t.Name()
}

// modelParams returns the model's exported fields as JSON, or its type name
// when it cannot be marshalled.
func modelParams(m agent.Model) any {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Sprintf("%T", m)
	}
	return json.RawMessage(b)
}
