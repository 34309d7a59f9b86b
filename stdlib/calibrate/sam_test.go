package calibrate

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// threeRounds is a scenario with known round strengths 0.85 and 0.3.
func threeRounds() *scenario.Scenario {
	sc := *scenario.FiveG()
	sc.Rounds = []scenario.Round{{Name: "r1"}, {Name: "r2", Strength: 0.85}, {Name: "r3", Strength: 0.3}}
	return &sc
}

func mustRun(t testing.TB, s sim.Study) *history.Run {
	t.Helper()
	s.Quiet = true
	r, err := sim.Run(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRecoversKnownParameters simulates SAM with known parameters and
// checks the fit recovers them: s(t) and mu exactly (opinions are
// noiseless), beta and kappa within their intervals.
func TestRecoversKnownParameters(t *testing.T) {
	sc := threeRounds()
	truth := theory.SAM{Rule: theory.BetaRule, Beta: 6, Mu: 0.25, Kappa: 0.8}
	g, _ := netw.BarabasiAlbert(4000, 4, 1)
	var runs []*history.Run
	for seed := range uint64(3) {
		runs = append(runs, mustRun(t, sim.Study{Scenario: sc, Network: g, People: pop.MustSynthetic(sc, 4000, seed),
			Agents: truth, Steps: 3, Replicates: 2, Seed: seed}))
	}
	fit, err := SAM(runs...)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(fit)
	if math.Abs(fit.Model.Mu-truth.Mu) > 1e-9 || math.Abs(fit.Signals[1]-0.85) > 1e-9 || math.Abs(fit.Signals[2]-0.3) > 1e-9 {
		t.Errorf("mu %g, s %v; want 0.25 and [0.85 0.3]", fit.Model.Mu, fit.Signals)
	}
	if fit.Fitted.OpinionRMSE > 1e-6 {
		t.Errorf("opinion RMSE %g after fitting noiseless opinions", fit.Fitted.OpinionRMSE)
	}
	beta, _ := fit.Param("beta")
	kappa, _ := fit.Param("kappa")
	if !beta.Contains(6) || !kappa.Contains(0.8) || beta.SE > 0.5 {
		t.Errorf("beta %v, kappa %v; want intervals around 6 and 0.8", beta, kappa)
	}
	if fit.Fitted.ActionLogLik <= fit.Default.ActionLogLik {
		t.Errorf("fitted log-likelihood %g not above the defaults' %g", fit.Fitted.ActionLogLik, fit.Default.ActionLogLik)
	}
	if fit.Model.Rule != theory.BetaRule || fit.Model.Validate(10) != nil {
		t.Errorf("fitted model %+v is not a valid BetaRule SAM", fit.Model)
	}
	// Out of sample: another population, same truth.
	held := mustRun(t, sim.Study{Scenario: sc, Network: g, People: pop.MustSynthetic(sc, 4000, 9), Agents: truth, Steps: 3, Seed: 9})
	out, def, err := fit.Evaluate(held)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("held out: fitted %v; defaults %v", out, def)
	if out.OpinionRMSE > 1e-6 || out.ActionLogLik <= def.ActionLogLik {
		t.Errorf("held out: fitted %v, defaults %v", out, def)
	}
	if s := fit.Scenario(sc); s.Rounds[1].Strength != fit.Signals[1] || sc.Rounds[1].Strength != 0.85 {
		t.Error("Fit.Scenario must copy the scenario with fitted strengths")
	}
}

func TestNeedsTransitions(t *testing.T) {
	g := netw.Complete(3)
	run := mustRun(t, sim.Study{Network: g, People: pop.MustSynthetic(scenario.Dishwasher(), 3, 1), Agents: theory.SAM{}, Steps: 1})
	if _, err := SAM(run); err == nil {
		t.Fatal("a run without transitions must be refused")
	}
}

// llmLike makes a run's answers look like an LLM's: opinions rounded to
// the answer grid 0..10, and a share flip of the actions reversed at random.
func llmLike(run *history.Run, flip float64, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 7))
	for _, tr := range run.Replicates {
		for _, st := range tr.States[1:] {
			for i := range st.Opinion {
				st.Opinion[i] = math.Round(10*st.Opinion[i]) / 10
				if r.Float64() < flip {
					st.Action[i] ^= 1
				}
			}
		}
	}
}

// TestNoisyAnswersNeverDiverge: on LLM-like answers (opinions on the 0-10
// grid, some actions reversed, rules from random to deterministic) the fit
// returns a finite positive beta with an interval, or an error that says
// why; never a diverged or negative beta. Deterministic actions are
// reported as separable.
func TestNoisyAnswersNeverDiverge(t *testing.T) {
	sc := threeRounds()
	g, _ := netw.BarabasiAlbert(101, 10, 1)
	ok := 0
	for seed := range uint64(40) {
		beta := []float64{0.5, 3, 10, 50, 1000}[seed%5]
		flip := []float64{0, 0.02, 0.1, 0.3}[seed%4]
		run := mustRun(t, sim.Study{Scenario: sc, Network: g, People: pop.MustSynthetic(sc, 101, seed),
			Agents: theory.SAM{Rule: theory.BetaRule, Beta: beta, Mu: 0.2}, Steps: 3, Replicates: 2, Seed: seed})
		llmLike(run, flip, seed)
		fit, err := SAM(run)
		if err != nil {
			t.Logf("true beta %g, %.0f%% flipped: %v", beta, 100*flip, err)
			continue
		}
		b, _ := fit.Param("beta")
		if !(fit.Model.Beta > 0) || math.IsInf(fit.Model.Beta, 0) || fit.Model.Beta > 1e4 || math.IsNaN(b.SE) || !(b.Hi > b.Lo) {
			t.Fatalf("true beta %g, %.0f%% flipped: fitted beta %v", beta, 100*flip, b)
		}
		ok++
	}
	if ok < 20 {
		t.Fatalf("only %d of 40 noisy runs gave a fit", ok)
	}
	// Deterministic threshold actions on continuous opinions are separable.
	run := mustRun(t, sim.Study{Scenario: sc, Network: g, People: pop.MustSynthetic(sc, 101, 3),
		Agents: theory.SAM{Rule: theory.ThresholdRule}, Steps: 3, Seed: 3})
	if _, err := SAM(run); !errors.Is(err, ErrSeparable) {
		t.Fatalf("threshold actions: err %v, want ErrSeparable", err)
	}
	// Actions against opinions: refused, not a negative beta.
	inv := mustRun(t, sim.Study{Scenario: sc, Network: g, People: pop.MustSynthetic(sc, 101, 4),
		Agents: theory.SAM{Rule: theory.BetaRule, Beta: 5}, Steps: 3, Replicates: 3, Seed: 4})
	for _, tr := range inv.Replicates {
		for _, st := range tr.States[1:] {
			for i := range st.Action {
				st.Action[i] ^= 1
			}
		}
	}
	if fit, err := SAM(inv); err == nil {
		t.Fatalf("reversed actions gave beta %g", fit.Model.Beta)
	}
}

// noisySAM is SAM with Gaussian noise in the opinion update (unclamped) and
// BetaRule actions at the noisy opinion: the process the fit assumes.
type noisySAM struct {
	beta, mu, kappa, sd float64
}

func (m noisySAM) Step(_ context.Context, env *agent.Env, cur, next *agent.State) error {
	s := env.Round.Strength
	for i, p := range env.People {
		nb := env.Graph.Neighbors(i)
		r := env.Rand(i)
		z := math.Sqrt(-2*math.Log(1-r.Float64())) * math.Cos(2*math.Pi*r.Float64())
		var o, share float64 = 0, 0.5
		if len(nb) == 0 {
			o = (p.Tau+p.A)*cur.Opinion[i] + p.F*s
		} else {
			mo, mx := 0.0, 0.0
			for _, j := range nb {
				mo += cur.Opinion[j]
				mx += float64(cur.Action[j])
			}
			mo, mx = mo/float64(len(nb)), mx/float64(len(nb))
			o, share = p.Tau*cur.Opinion[i]+p.A*((1-m.mu)*mo+m.mu*mx)+p.F*s, mx
		}
		o += m.sd * z
		next.Opinion[i] = o
		next.Action[i] = 0
		if r.Float64() < 1/(1+math.Exp(-m.beta*(o-p.Lambda+m.kappa*(share-0.5)))) {
			next.Action[i] = 1
		}
	}
	return nil
}

// TestIntervalsCover fits 100 synthetic runs of a known noisy SAM and
// counts how often each 95% interval contains the true value: about 95
// times (a binomial band of 3 sd: 88 to 100).
func TestIntervalsCover(t *testing.T) {
	sc := threeRounds()
	truth := noisySAM{beta: 6, mu: 0.3, kappa: 0.8, sd: 0.03}
	want := map[string]float64{"mu": 0.3, "s(1)": 0.85, "s(2)": 0.3, "beta": 6, "kappa": 0.8}
	covered := map[string]int{}
	const fits = 100
	g, _ := netw.BarabasiAlbert(300, 4, 1)
	for k := range uint64(fits) {
		run := mustRun(t, sim.Study{Scenario: sc, Network: g, People: pop.MustSynthetic(sc, 300, k), Agents: truth, Steps: 3, Seed: 100 + k, Workers: 1})
		fit, err := SAM(run)
		if err != nil {
			t.Fatalf("fit %d: %v", k, err)
		}
		for name, v := range want {
			if p, _ := fit.Param(name); p.Contains(v) {
				covered[name]++
			}
		}
	}
	t.Logf("intervals containing the truth in %d fits: %v", fits, covered)
	for name := range want {
		if c := covered[name]; c < 88 {
			t.Errorf("%s: the 95%% interval contained the truth in %d of %d fits", name, c, fits)
		}
	}
}
