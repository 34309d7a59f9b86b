package theory

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/sim"
)

// rowStochastic returns W = D^-1 A of a graph as a dense matrix.
func rowStochastic(g *netw.Graph) *mat.Dense {
	n := g.N()
	w := mat.NewDense(n, n, nil)
	for i := range n {
		nb := g.Neighbors(i)
		for _, j := range nb {
			w.Set(i, int(j), 1/float64(len(nb)))
		}
	}
	return w
}

// TestFriedkinJohnsenClosedForm checks that the simulation converges to
// o* = (I - Lambda W)^-1 (I - Lambda) o(0), solved with gonum, within 1e-9.
func TestFriedkinJohnsenClosedForm(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		n := 60
		g := mustGraph(t)(netw.BarabasiAlbert(n, 2, seed))
		people := uniformPeople(n, seed, 0.2, 0.5, 0.3, 0.5)
		r := rand.New(rand.NewPCG(seed, 9))
		sus := make([]float64, n)
		for i := range sus {
			sus[i] = 0.2 + 0.75*r.Float64()
		}
		res := run(t, sim.Study{Network: g, People: people, Agents: FriedkinJohnsen{Susceptibilities: sus}, Steps: 800, Seed: seed})

		lw := mat.NewDense(n, n, nil)
		lw.Apply(func(i, j int, v float64) float64 { return sus[i] * v }, rowStochastic(g))
		lhs := mat.NewDense(n, n, nil)
		lhs.Sub(eye(n), lw)
		rhs := mat.NewVecDense(n, nil)
		for i := range n {
			rhs.SetVec(i, (1-sus[i])*people[i].Opinion0)
		}
		var want mat.VecDense
		if err := want.SolveVec(lhs, rhs); err != nil {
			t.Fatal(err)
		}
		got := final(res, 0).Opinion
		for i := range n {
			if math.Abs(got[i]-want.AtVec(i)) > 1e-9 {
				t.Fatalf("seed %d agent %d: %.12f, closed form %.12f", seed, i, got[i], want.AtVec(i))
			}
		}
	}
}

func eye(n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := range n {
		m.Set(i, i, 1)
	}
	return m
}

// TestDeGrootConsensus checks consensus at the left-eigenvector average
// pi^T o(0) on connected aperiodic graphs, with pi computed by gonum's eigen
// decomposition (and, for an undirected graph, proportional to degree).
func TestDeGrootConsensus(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    *netw.Graph
	}{
		{"undirected BA", mustGraph(t)(netw.BarabasiAlbert(40, 2, 5))},
		{"directed ring with chords", directedRing(30, 7)},
	} {
		g := tc.g
		n := g.N()
		people := uniformPeople(n, 4, 0.3, 0.4, 0.3, 0.5)
		const self = 0.3
		res := run(t, sim.Study{Network: g, People: people, Agents: DeGroot{SelfWeight: self}, Steps: 3000})

		w := mat.NewDense(n, n, nil)
		w.Scale(1-self, rowStochastic(g))
		w.Add(w, scaled(eye(n), self))
		var eig mat.Eigen
		if !eig.Factorize(w, mat.EigenLeft) {
			t.Fatal("eigen decomposition failed")
		}
		vals := eig.Values(nil)
		k := 0
		for i, v := range vals {
			if math.Abs(real(v)-1) < math.Abs(real(vals[k])-1) {
				k = i
			}
		}
		var left mat.CDense
		eig.LeftVectorsTo(&left)
		pi := make([]float64, n)
		for i := range n {
			pi[i] = real(left.At(i, k))
		}
		floats.Scale(1/floats.Sum(pi), pi)
		want := floats.Dot(pi, people.Opinions())
		for i, o := range final(res, 0).Opinion {
			if math.Abs(o-want) > 1e-9 {
				t.Fatalf("%s: agent %d at %.12f, consensus %.12f", tc.name, i, o, want)
			}
		}
		if !g.Directed() {
			deg := 0.0
			for i := range n {
				deg += float64(g.Degree(i))
			}
			for i := range n {
				if math.Abs(pi[i]-float64(g.Degree(i))/deg) > 1e-9 {
					t.Fatalf("pi_%d = %g, want d_i / sum d = %g", i, pi[i], float64(g.Degree(i))/deg)
				}
			}
		}
	}
}

func scaled(m *mat.Dense, s float64) *mat.Dense {
	var out mat.Dense
	out.Scale(s, m)
	return &out
}

// directedRing returns a strongly connected directed graph: a ring plus
// random chords.
func directedRing(n int, seed uint64) *netw.Graph {
	b := netw.NewBuilder(n, true, false)
	r := rand.New(rand.NewPCG(seed, 3))
	for i := range n {
		b.Add(i, (i+1)%n, 1)
		if j := r.IntN(n); j != i {
			b.Add(i, j, 1)
		}
	}
	return b.Build()
}

func TestHegselmannKrause(t *testing.T) {
	people := uniformPeople(50, 1, 0.3, 0.4, 0.3, 0.5)
	// A bound covering every difference averages everyone in one step.
	res := run(t, sim.Study{Network: netw.Complete(50), People: people, Agents: HegselmannKrause{Epsilon: 1}, Steps: 2})
	mean := floats.Sum(people.Opinions()) / 50
	for _, o := range final(res, 0).Opinion {
		if math.Abs(o-mean) > 1e-12 {
			t.Fatalf("opinion %g, want the mean %g", o, mean)
		}
	}
	// A small bound leaves several clusters, each internally in agreement.
	res = run(t, sim.Study{Network: netw.Complete(50), People: people, Agents: HegselmannKrause{Epsilon: 0.1}, Steps: 60})
	clusters := map[float64]bool{}
	for _, o := range final(res, 0).Opinion {
		clusters[math.Round(o*1e6)/1e6] = true
	}
	if len(clusters) < 2 || len(clusters) > 10 {
		t.Fatalf("eps 0.1: %d clusters, want a few (about 1/(2 eps))", len(clusters))
	}
}

func TestDeffuantConservesMean(t *testing.T) {
	people := uniformPeople(100, 2, 0.3, 0.4, 0.3, 0.5)
	g := mustGraph(t)(netw.ErdosRenyi(100, 0.1, 2))
	res := run(t, sim.Study{Network: g, People: people, Agents: Deffuant{Epsilon: 0.3, M: 0.3}, Steps: 50})
	before, after := floats.Sum(people.Opinions()), floats.Sum(final(res, 0).Opinion)
	if math.Abs(before-after) > 1e-9 {
		t.Fatalf("sum of opinions %g -> %g: pairwise moves must conserve it", before, after)
	}
	v1, m := 0.0, after/100
	for _, o := range final(res, 0).Opinion {
		v1 += (o - m) * (o - m)
	}
	if v1/100 > 0.05 {
		t.Fatalf("variance %g after 50 sweeps, want opinions to have contracted", v1/100)
	}
}

func TestVoterReachesConsensus(t *testing.T) {
	people := uniformPeople(20, 3, 0.3, 0.4, 0.3, 0.5)
	for i := range 10 {
		people[i].Action0 = 1
	}
	res := run(t, sim.Study{Network: netw.Complete(20), People: people, Agents: Voter{}, Steps: 2000, Replicates: 4})
	for k := range 4 {
		if a := final(res, k).Adoption(); a != 0 && a != 1 {
			t.Errorf("replicate %d: adoption %g after 2000 sweeps, want consensus 0 or 1", k, a)
		}
	}
}
