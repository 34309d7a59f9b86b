package llmagent

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// promptStudy is a step of a large study for the prompt benchmarks: n
// synthetic dishwasher agents on a BA(m = 5) network at step `step` of a
// run of step+1 steps, every earlier state a copy of the initial answers
// (with a thought per answer when thoughts is set).
func promptStudy(n, step int, thoughts bool) (*agent.Env, *agent.State) {
	sc := scenario.Dishwasher()
	g, err := netw.BarabasiAlbert(n, 5, 1)
	if err != nil {
		panic(err)
	}
	people := pop.MustSynthetic(sc, n, 1)
	s0 := agent.NewState(n)
	copy(s0.Opinion, people.Opinions())
	copy(s0.Action, people.Actions())
	if thoughts {
		s0.Thought = make([]string, n)
		for i := range s0.Thought {
			s0.Thought[i] = fmt.Sprintf("Thought %d of this agent, with \"quotes\", about the price.", i%97)
		}
	}
	past := []*agent.State{s0}
	for len(past) < step {
		past = append(past, s0.Clone())
	}
	env := &agent.Env{Run: "bench", Step: step, Steps: step + 1, Seed: 7, Graph: g, Network: g, People: people,
		Scenario: sc, Round: sc.Schedule(step + 1)[step], Initial: s0, Past: past, Workers: 1}
	return env, past[len(past)-1]
}

// BenchmarkExactPrompts measures what Archetypes with the Exact resolution
// spend on prompts per agent and step (the grouping by prompt key and every
// request's prompt, ID and messages, on one goroutine) for 10^5 agents
// quoting at most 10 friends, at step 1 (the first LLM step: no thoughts yet,
// as in BenchmarkMillionAgents) and at step 2 (a thought in every answer,
// one remembered answer). The baseline, measured in the same run, is
// text/template executing the same agents' agent and round templates with
// their Data (built beforehand, for a sample of 2,000 agents): x-text-template
// is the prompt path's time per prompt over the baseline's.
//
//	go test -run XXX -bench ExactPrompts -benchtime 1x ./stdlib/llmagent
func BenchmarkExactPrompts(b *testing.B) {
	const n, sample = 100_000, 2_000
	for _, tc := range []struct {
		name     string
		step     int
		thoughts bool
	}{{"step1", 1, false}, {"step2-thoughts", 2, true}} {
		b.Run(tc.name, func(b *testing.B) {
			env, cur := promptStudy(n, tc.step, tc.thoughts)
			m := &Archetypes{Agents: &Agents{MaxFriends: 10}, Resolution: Exact}
			tpl := m.Agents.templates()
			data := make([]Data, sample)
			sd := newStepData(m.Agents, tpl, env, cur)
			for k := range data {
				sd.data(&data[k], cur, k*(n/sample))
			}
			var base, fast time.Duration
			var mallocs uint64
			var prompts int
			var buf bytes.Buffer
			for b.Loop() {
				t0 := time.Now()
				for _, d := range data {
					buf.Reset()
					if err := tpl.Agent.Execute(&buf, d); err != nil {
						b.Fatal(err)
					}
					if err := tpl.Round.Execute(&buf, d); err != nil {
						b.Fatal(err)
					}
				}
				base += time.Since(t0)

				var ms0, ms1 runtime.MemStats
				runtime.ReadMemStats(&ms0)
				t0 = time.Now()
				s := m.newStep(env, cur, false)
				for g := range s.groups {
					r, err := s.request(g, 0, 0)
					if err != nil || len(r.Messages) != 2 {
						b.Fatal(err)
					}
				}
				fast += time.Since(t0)
				runtime.ReadMemStats(&ms1)
				mallocs += ms1.Mallocs - ms0.Mallocs
				prompts += len(s.members)
			}
			baseNs := float64(base.Nanoseconds()) / float64(b.N*sample)
			fastNs := float64(fast.Nanoseconds()) / float64(prompts)
			b.ReportMetric(fastNs, "ns/prompt")
			b.ReportMetric(float64(mallocs)/float64(prompts), "allocs/prompt")
			b.ReportMetric(baseNs, "text-template-ns/prompt")
			b.ReportMetric(fastNs/baseNs, "x-text-template")
		})
	}
}
