package theory

import (
	"context"
	"sync"
	"testing"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

var (
	bigOnce   sync.Once
	bigGraph  *netw.Graph
	bigPeople pop.Population
)

// bigNetwork is the 10^6-agent BA(m=5) network of the benchmarks.
func bigNetwork(b *testing.B) (*netw.Graph, pop.Population) {
	bigOnce.Do(func() {
		g, err := netw.BarabasiAlbert(1_000_000, 5, 1)
		if err != nil {
			b.Fatal(err)
		}
		bigGraph, bigPeople = g, pop.MustSynthetic(scenario.Dishwasher(), g.N(), 1)
	})
	return bigGraph, bigPeople
}

// BenchmarkCSRSum is the memory-bound baseline: for every node, the plain
// sequential sum of its neighbours' opinions over the same CSR arrays.
func BenchmarkCSRSum(b *testing.B) {
	g, people := bigNetwork(b)
	off, tg, _ := g.CSR()
	o := people.Opinions()
	out := make([]float64, g.N())
	b.ResetTimer()
	for b.Loop() {
		for i := range out {
			s := 0.0
			for _, j := range tg[off[i]:off[i+1]] {
				s += o[j]
			}
			out[i] = s
		}
	}
	b.ReportMetric(float64(len(tg))*float64(b.N)/b.Elapsed().Seconds(), "reads/s")
}

// BenchmarkSAMRound is one synchronous SAM round (opinions and stochastic
// actions) on the same network, sequentially and on all cores.
func BenchmarkSAMRound(b *testing.B) {
	g, people := bigNetwork(b)
	for _, workers := range []int{1, 2} {
		b.Run("workers="+string(rune('0'+workers)), func(b *testing.B) {
			cur := agent.NewState(g.N())
			copy(cur.Opinion, people.Opinions())
			copy(cur.Action, people.Actions())
			next := cur.Clone()
			env := &agent.Env{Step: 1, Steps: 2, Graph: g, People: people, Initial: cur,
				Round: scenario.Dishwasher().Rounds[1], Workers: workers, Seed: 1}
			m := SAM{}
			b.ResetTimer()
			for b.Loop() {
				if err := m.Step(context.Background(), env, cur, next); err != nil {
					b.Fatal(err)
				}
			}
			_, tg, _ := g.CSR()
			b.ReportMetric(float64(len(tg))*float64(b.N)/b.Elapsed().Seconds(), "reads/s")
		})
	}
}

// BenchmarkStudy101 is the larger-network study of one topology and window:
// 101 agents on BA(m=10), 3 rounds, 5 replicates, through the engine.
func BenchmarkStudy101(b *testing.B) {
	g, _ := netw.BarabasiAlbert(101, 10, 1)
	people := pop.MustSynthetic(scenario.Dishwasher(), 101, 1)
	for b.Loop() {
		if _, err := sim.Run(sim.Study{Network: g, People: people, Agents: SAM{}, Steps: 3, Replicates: 5, Quiet: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStudy101ModelOnly is the baseline for BenchmarkStudy101: the same
// 5 x 2 SAM steps called directly, without the engine's history, seeds and
// checks.
func BenchmarkStudy101ModelOnly(b *testing.B) {
	g, _ := netw.BarabasiAlbert(101, 10, 1)
	people := pop.MustSynthetic(scenario.Dishwasher(), 101, 1)
	m := SAM{}
	for b.Loop() {
		for r := range 5 {
			cur := agent.NewState(101)
			copy(cur.Opinion, people.Opinions())
			copy(cur.Action, people.Actions())
			for t := 1; t < 3; t++ {
				next := cur.Clone()
				env := &agent.Env{Step: t, Graph: g, People: people, Initial: cur, Seed: uint64(r), Workers: 1,
					Round: scenario.Dishwasher().Rounds[t]}
				if err := m.Step(context.Background(), env, cur, next); err != nil {
					b.Fatal(err)
				}
				cur = next
			}
		}
	}
}
