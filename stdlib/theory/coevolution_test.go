package theory

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

// TestSAMLinearOpinions checks SAM's opinion update against the matrix form
// o(t+1) = T o(t) + A W o(t) + F s(t) with T, A, F diagonal, computed with
// gonum, and the threshold action rule at Beta = +Inf.
func TestSAMLinearOpinions(t *testing.T) {
	n := 40
	g := mustGraph(t)(netw.WattsStrogatz(n, 4, 0.2, 1))
	people := pop.MustSynthetic(scenario.WasteSorting(), n, 5)
	steps := 6
	res := run(t, sim.Study{Scenario: scenario.WasteSorting(), Network: g, People: people, Agents: SAM{Rule: ThresholdRule}, Steps: steps})
	o := mat.NewVecDense(n, people.Opinions())
	w := rowStochastic(g)
	sched := scenario.WasteSorting().Schedule(steps)
	for step := 1; step < steps; step++ {
		var wo mat.VecDense
		wo.MulVec(w, o)
		next := mat.NewVecDense(n, nil)
		for i, p := range people {
			next.SetVec(i, p.Tau*o.AtVec(i)+p.A*wo.AtVec(i)+p.F*sched[step].Strength)
		}
		o = next
		st := res.Replicates[0].States[step]
		for i, p := range people {
			if math.Abs(st.Opinion[i]-o.AtVec(i)) > 1e-12 {
				t.Fatalf("step %d agent %d: opinion %.15f, matrix form %.15f", step, i, st.Opinion[i], o.AtVec(i))
			}
			want := uint8(0)
			if o.AtVec(i) > p.Lambda {
				want = 1
			}
			if st.Action[i] != want {
				t.Fatalf("step %d agent %d: action %d with o=%.3f lambda=%.3f", step, i, st.Action[i], o.AtVec(i), p.Lambda)
			}
		}
	}
}

// TestSAMStochasticActions checks that with finite Beta the adoption share
// follows the logistic probability on average.
func TestSAMStochasticActions(t *testing.T) {
	n := 20000
	people := make(pop.Population, n)
	for i := range people {
		people[i] = pop.Person{Tau: 1, Lambda: 0.5, Opinion0: 0.6}
	}
	g := netw.NewBuilder(n, false, false).Build() // isolated agents keep o = 0.6
	res := run(t, sim.Study{Network: g, People: people, Agents: SAM{Rule: BetaRule, Beta: 5}, Steps: 2, Seed: 3})
	want := 1 / (1 + math.Exp(-5*(0.6-0.5)))
	got := final(res, 0).Adoption()
	if sd := math.Sqrt(want * (1 - want) / float64(n)); math.Abs(got-want) > 5*sd {
		t.Fatalf("adoption %.4f, want sigma(0.5) = %.4f +/- %.4f", got, want, 5*sd)
	}
}

// TestSAMCommittedAndFeedback checks that committed agents never change and
// that the dominant agent's feedback follows adoption.
func TestSAMCommittedAndFeedback(t *testing.T) {
	n := 50
	g := mustGraph(t)(netw.BarabasiAlbert(n, 3, 2))
	people := pop.MustSynthetic(scenario.FiveG(), n, 1)
	res := run(t, sim.Study{
		Scenario: scenario.FiveG(), Network: g, People: people, Agents: SAM{Feedback: 0.5}, Steps: 5, Replicates: 3,
		Committed: []history.Commit{{Agent: 0, Opinion: 1, Action: 1}, {Agent: 7, Opinion: 0, Action: 0}},
	})
	for _, tr := range res.Replicates {
		for step, s := range tr.States {
			if s.Opinion[0] != 1 || s.Action[0] != 1 || s.Opinion[7] != 0 || s.Action[7] != 0 {
				t.Fatalf("step %d: committed agents moved", step)
			}
		}
	}
	m := SAM{Feedback: 0.5}
	st := agent.NewState(4)
	st.Action[0], st.Action[1] = 1, 1
	env := &agent.Env{Round: scenario.Round{Strength: 0.8}}
	if s := m.Signal(env, st); math.Abs(s-(0.5*0.8+0.5*0.5)) > 1e-15 {
		t.Fatalf("signal %g, want 0.65", s)
	}
}

// tacPotential is the weighted potential of the TAC 2023 game with
// homogeneous parameters on an undirected graph with W = A = D^-1 Adj:
//
//	Phi = -beta [ (1-l)(1-g)/2 sum_{ij in E} (o_i - o_j)^2
//	              + sum_i d_i ((1-l) g/2 (o_i - u_i)^2 + l/2 (o_i - x_i)^2) ]
//	      + l (1-beta) sum_{ij in E} c(x_i, x_j)
//
// with c(+1,+1) = 1 + alpha, c(-1,-1) = 1, c = 0 otherwise. A move by agent
// i changes Phi by d_i times the change of i's payoff, so a best response
// never decreases it.
func tacPotential(g *netw.Graph, m TAC2023, o, x, u []float64) float64 {
	l, b, gm := m.Lambda, m.Beta, m.Gamma
	var opin, coord float64
	for _, e := range g.EdgeList() {
		d := o[e.U] - o[e.V]
		opin += (1 - l) * (1 - gm) / 2 * d * d
		switch {
		case x[e.U] > 0 && x[e.V] > 0:
			coord += 1 + m.Alpha
		case x[e.U] < 0 && x[e.V] < 0:
			coord++
		}
	}
	for i := range o {
		di := float64(g.Degree(i))
		opin += di * ((1-l)*gm/2*(o[i]-u[i])*(o[i]-u[i]) + l/2*(o[i]-x[i])*(o[i]-x[i]))
	}
	return -b*opin + l*(1-b)*coord
}

func TestTAC2023PotentialNeverDecreases(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		n := 30
		g := mustGraph(t)(netw.BarabasiAlbert(n, 3, seed))
		people := uniformPeople(n, seed, 1.0/3, 1.0/3, 1.0/3, 0.5)
		for i := range people {
			people[i].Action0 = uint8(i % 2)
		}
		m := TAC2023{Alpha: 0.2, Lambda: 0.5, Beta: 0.6, Gamma: 0.3, TicksPerStep: 1}
		res := run(t, sim.Study{Network: g, People: people, Agents: m, Steps: 600, Seed: seed})
		u := make([]float64, n)
		for i, p := range people {
			u[i] = 2*p.Opinion0 - 1
		}
		prev := math.Inf(-1)
		for step, s := range res.Replicates[0].States {
			o, x := toSigned(s)
			phi := tacPotential(g, m, o, x, u)
			if step > 0 && phi < prev-1e-9 {
				t.Fatalf("seed %d step %d: potential fell from %.12f to %.12f", seed, step, prev, phi)
			}
			prev = phi
		}
		// Finite-time action convergence: the last 5 n ticks change no action.
		states := res.Replicates[0].States
		a, b := states[len(states)-1-5*n], states[len(states)-1]
		for i := range n {
			if a.Action[i] != b.Action[i] {
				t.Fatalf("seed %d: agent %d still switching actions after %d ticks", seed, i, len(states)-5*n)
			}
		}
	}
}

func TestCDC2020BestResponse(t *testing.T) {
	// With lambda = 1 each agent acts on the sign of its own opinion.
	n := 30
	g := mustGraph(t)(netw.BarabasiAlbert(n, 2, 1))
	people := uniformPeople(n, 2, 1.0/3, 1.0/3, 1.0/3, 0.5)
	res := run(t, sim.Study{Network: g, People: people, Agents: CDC2020{Lambda: 1, Gamma: 1}, Steps: 20})
	s := final(res, 0)
	for i, p := range people {
		want := uint8(0)
		if p.Opinion0 > 0.5 {
			want = 1
		}
		if math.Abs(s.Opinion[i]-p.Opinion0) > 1e-12 || s.Action[i] != want {
			t.Fatalf("agent %d: o %.3f -> %.3f, x=%d; gamma = 1 pins opinions to the prejudice", i, p.Opinion0, s.Opinion[i], s.Action[i])
		}
	}
	// With lambda = 0 and alpha > 0 coordination wins: starting from half
	// adopters on a complete graph, everyone adopts.
	for i := range people {
		people[i].Action0 = uint8(i % 2)
	}
	res = run(t, sim.Study{Network: netw.Complete(n), People: people, Agents: CDC2020{Alpha: 0.5, Mu: 0.5}, Steps: 20})
	if a := final(res, 0).Adoption(); a != 1 {
		t.Fatalf("adoption %g, want 1 when the new action has the advantage", a)
	}
}

func TestValidateRejectsBadParameters(t *testing.T) {
	for _, m := range []agent.Validator{
		SAM{Mu: 2}, SAM{Rule: BetaRule, Betas: []float64{1}}, SAM{Beta: 10}, SAM{Rule: ThresholdRule, Beta: 1}, SAM{Rule: 7},
		SAM{Rule: BetaRule, Logit: &DataLogit}, ZYC2020{Lambda: -1}, TAC2023{Lambda: 1, Beta: 0.5},
		TAC2023{Lambda: 0.5, Beta: 0}, CDC2020{Us: []float64{2, 0, 0}}, FriedkinJohnsen{Susceptibility: 1.5},
		DeGroot{SelfWeight: -0.1}, Deffuant{M: 0.9},
	} {
		if err := m.Validate(3); err == nil {
			t.Errorf("%T %+v: accepted", m, m)
		}
	}
}

// TestSAMFastPathMatchesGeneral runs the default model (fast path) and the
// same model through the general update (per-agent betas all equal) and
// requires identical states.
func TestSAMFastPathMatchesGeneral(t *testing.T) {
	n := 20000
	g := mustGraph(t)(netw.BarabasiAlbert(n, 3, 4))
	people := pop.MustSynthetic(scenario.Dishwasher(), n, 4)
	betas := make([]float64, n)
	for i := range betas {
		betas[i] = 7
	}
	fast := run(t, sim.Study{Network: g, People: people, Agents: SAM{Rule: BetaRule, Beta: 7}, Steps: 4, Seed: 3, Workers: 2})
	general := run(t, sim.Study{Network: g, People: people, Agents: SAM{Rule: BetaRule, Beta: 7, Betas: betas}, Steps: 4, Seed: 3, Workers: 2})
	same(t, fast, general)
	// The default logistic rule: fast path against the general one (forced
	// by per-agent kappas, all 0).
	fast = run(t, sim.Study{Network: g, People: people, Agents: SAM{}, Steps: 4, Seed: 3, Workers: 2})
	general = run(t, sim.Study{Network: g, People: people, Agents: SAM{Kappas: make([]float64, n)}, Steps: 4, Seed: 3, Workers: 2})
	same(t, fast, general)
}

func same(t *testing.T, fast, general *history.Run) {
	t.Helper()
	for step := range fast.Replicates[0].States {
		a, b := fast.Replicates[0].States[step], general.Replicates[0].States[step]
		for i := range a.Opinion {
			if a.Opinion[i] != b.Opinion[i] || a.Action[i] != b.Action[i] {
				t.Fatalf("step %d agent %d: fast (%g, %d) vs general (%g, %d)", step, i, a.Opinion[i], a.Action[i], b.Opinion[i], b.Action[i])
			}
		}
	}
}

// TestTAC2023IsolatedAgentKeepsState: an agent without neighbours has
// nothing to respond to and keeps its opinion and action.
func TestTAC2023IsolatedAgentKeepsState(t *testing.T) {
	g := mustGraph(t)(netw.FromEdges(3, false, [2]int{0, 1}))
	people := uniformPeople(3, 1, 1.0/3, 1.0/3, 1.0/3, 0.5)
	people[2].Opinion0, people[2].Action0 = 0.95, 1
	res := run(t, sim.Study{Network: g, People: people, Agents: TAC2023{Lambda: 0.3, Beta: 0.5, Gamma: 0.2}, Steps: 20})
	if s := final(res, 0); s.Opinion[2] != 0.95 || s.Action[2] != 1 {
		t.Fatalf("isolated agent moved to o %g x %d", s.Opinion[2], s.Action[2])
	}
}

// TestReplayIsFollowedAndChecked: a replay fixes who revises, and a short
// replay or one naming a committed agent is an error.
func TestReplayIsFollowedAndChecked(t *testing.T) {
	g := netw.Complete(4)
	people := uniformPeople(4, 1, 1.0/3, 1.0/3, 1.0/3, 0.5)
	rp := &Replay{Agents: []int{2, 2, 2, 2, 2, 2}, Uniforms: []float64{0, 0, 0, 0, 0, 0}}
	res := run(t, sim.Study{Network: g, People: people, Agents: ZYC2020{Beta: 1, Lambda: 0.5, TicksPerStep: 2, Replay: rp}, Steps: 4})
	s := final(res, 0)
	for i := range 4 {
		moved := s.Opinion[i] != people[i].Opinion0
		if moved != (i == 2) || (i == 2 && s.Action[i] != 1) {
			t.Fatalf("agent %d moved %v (action %d); only agent 2 revises, and u = 0 adopts", i, moved, s.Action[i])
		}
	}
	for _, bad := range []sim.Study{
		{Network: g, People: people, Agents: ZYC2020{Beta: 1, TicksPerStep: 2, Replay: rp}, Steps: 5},
		{Network: g, People: people, Agents: TAC2023{Lambda: 0.5, Beta: 0.5, TicksPerStep: 2, Replay: rp}, Steps: 3,
			Committed: []history.Commit{{Agent: 2, Opinion: 1, Action: 1}}},
	} {
		bad.Quiet = true
		if _, err := sim.Run(bad); err == nil {
			t.Errorf("%T: bad replay accepted", bad.Agents)
		}
	}
}

// TestSAMLogisticRuleIsTheDataDefault: with opinions that do not move
// (isolated agents, tau = 1), the default rule keeps adoption where the
// data's logistic puts it, and Beta set without BetaRule is refused.
func TestSAMLogisticRuleIsTheDataDefault(t *testing.T) {
	n := 20000
	people := make(pop.Population, n)
	r := uniformPeople(n, 3, 0, 1, 0, 0.5)
	for i := range people {
		people[i] = pop.Person{Tau: 1, Lambda: 0.2 + 0.6*float64(i%7)/6, Opinion0: r[i].Opinion0}
	}
	g := netw.NewBuilder(n, false, false).Build()
	res := run(t, sim.Study{Network: g, People: people, Agents: SAM{}, Steps: 2, Seed: 4})
	want := SAM{}.RuleAdoption(people)
	sum := 0.0
	for _, p := range people {
		sum += sigmoid(DataLogit.Intercept + DataLogit.Opinion*p.Opinion0 + DataLogit.Lambda*p.Lambda)
	}
	if math.Abs(sum/float64(n)-want) > 1e-12 {
		t.Fatalf("RuleAdoption %g, direct %g", want, sum/float64(n))
	}
	got := final(res, 0).Adoption()
	if sd := math.Sqrt(0.25 / float64(n)); math.Abs(got-want) > 5*sd {
		t.Fatalf("step-1 adoption %.4f under the data's logistic, want %.4f +/- %.4f", got, want, 5*sd)
	}
	if _, err := sim.Run(sim.Study{Network: g, People: people, Agents: SAM{Beta: 10}, Steps: 2, Quiet: true}); err == nil {
		t.Fatal("SAM{Beta: 10} without BetaRule must be refused, not run with another rule")
	}
	if r, err := ParseActionRule("threshold"); err != nil || r != ThresholdRule {
		t.Fatal(r, err)
	}
}
