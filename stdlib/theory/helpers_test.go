package theory

import (
	"math/rand/v2"
	"testing"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/sim"
)

// uniformPeople returns n people with opinions uniform on [0,1], no initial
// adopters and the given coefficients.
func uniformPeople(n int, seed uint64, a, tau, f, lambda float64) pop.Population {
	r := rand.New(rand.NewPCG(seed, 1))
	p := make(pop.Population, n)
	for i := range p {
		p[i] = pop.Person{A: a, Tau: tau, F: f, Lambda: lambda, Opinion0: r.Float64()}
	}
	return p
}

// run runs a quiet study and fails the test on error.
func run(t testing.TB, s sim.Study) *history.Run {
	t.Helper()
	s.Quiet = true
	r, err := sim.Run(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustGraph(t testing.TB) func(*netw.Graph, error) *netw.Graph {
	return func(g *netw.Graph, err error) *netw.Graph {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
}

func final(r *history.Run, rep int) *agent.State { return r.FinalOf(rep) }
