package llmagent

import (
	"bytes"
	"fmt"
	"runtime"
	"syscall"
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

// cpuTime returns the CPU time this process has used (all its threads:
// the collector's too), which, unlike wall time, a busy machine does not
// inflate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkExactPrompts measures what Archetypes with the Exact resolution
// spend on prompts per agent and step (the grouping by prompt key and every
// request's prompt, ID and messages, on one goroutine) for 10^5 agents
// quoting at most 10 friends, at step 1 (the first LLM step: no thoughts yet,
// as in BenchmarkMillionAgents) and at step 2 (a thought in every answer,
// one remembered answer). The baseline, measured in the same run, is
// text/template executing the same templates (agent and round parts) with
// the Data of a sample of 2,000 agents, built beforehand, in turns with the
// requests, 200 baseline prompts per 10,000 requests. Times are process CPU
// time; x-text-template is the prompt path's time per prompt over the
// baseline's.
//
//	go test -run XXX -bench ExactPrompts -benchtime 2x ./stdlib/llmagent
func BenchmarkExactPrompts(b *testing.B) {
	const n, sample, chunk, perChunk = 100_000, 2_000, 10_000, 200
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
			var prompts, basePrompts int
			var buf bytes.Buffer
			baseline := func() {
				t0 := cpuTime()
				for range perChunk {
					d := &data[basePrompts%sample]
					buf.Reset()
					if err := tpl.Agent.Execute(&buf, *d); err != nil {
						b.Fatal(err)
					}
					if err := tpl.Round.Execute(&buf, *d); err != nil {
						b.Fatal(err)
					}
					basePrompts++
				}
				base += cpuTime() - t0
			}
			// ours times f and counts its allocations.
			ours := func(f func()) {
				var ms0, ms1 runtime.MemStats
				runtime.ReadMemStats(&ms0)
				t0 := cpuTime()
				f()
				fast += cpuTime() - t0
				runtime.ReadMemStats(&ms1)
				mallocs += ms1.Mallocs - ms0.Mallocs
			}
			var mem requestMemory // one request in flight at a time, built here
			for b.Loop() {
				var s *archStep
				ours(func() { s = m.newStep(env, cur, false) })
				for lo := 0; lo < len(s.groups); lo += chunk {
					baseline()
					ours(func() {
						for g := lo; g < min(lo+chunk, len(s.groups)); g++ {
							r, err := s.request(g, 0, 0, &mem)
							if err != nil || len(r.Messages) != 2 {
								b.Fatal(err)
							}
						}
					})
				}
				prompts += len(s.members)
			}
			baseNs := float64(base.Nanoseconds()) / float64(basePrompts)
			fastNs := float64(fast.Nanoseconds()) / float64(prompts)
			b.ReportMetric(fastNs, "ns/prompt")
			b.ReportMetric(float64(mallocs)/float64(prompts), "allocs/prompt")
			b.ReportMetric(baseNs, "text-template-ns/prompt")
			b.ReportMetric(fastNs/baseNs, "x-text-template")
		})
	}
}
