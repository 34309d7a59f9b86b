package calibrate

import (
	"math"
	"testing"

	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// TestRecoversKnownParameters simulates SAM with known parameters and
// checks the fit recovers them: s(t) and mu exactly (opinions are
// noiseless), beta and kappa within sampling error.
func TestRecoversKnownParameters(t *testing.T) {
	sc := *scenario.FiveG()
	sc.Rounds = []scenario.Round{{Name: "r1"}, {Name: "r2", Strength: 0.85}, {Name: "r3", Strength: 0.3}}
	truth := theory.SAM{Beta: 6, Mu: 0.25, Kappa: 0.8}
	g, _ := netw.BarabasiAlbert(4000, 4, 1)
	var runs []*history.Run
	for seed := range uint64(3) {
		run, err := sim.Run(sim.Study{Scenario: &sc, Network: g, People: pop.MustSynthetic(&sc, 4000, seed),
			Agents: truth, Steps: 3, Replicates: 2, Seed: seed, Quiet: true})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run)
	}
	fit, err := SAM(runs...)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(fit)
	if math.Abs(fit.Model.Mu-truth.Mu) > 1e-9 || math.Abs(fit.Signals[1]-0.85) > 1e-6 || math.Abs(fit.Signals[2]-0.3) > 1e-6 {
		t.Errorf("mu %g, s %v; want 0.25 and [0.85 0.3]", fit.Model.Mu, fit.Signals)
	}
	if fit.OpinionRMSE > 0.01 {
		t.Errorf("opinion RMSE %g after fitting noiseless opinions", fit.OpinionRMSE)
	}
	if math.Abs(fit.Model.Beta-6)/6 > 0.1 || math.Abs(fit.Model.Kappa-0.8) > 0.15 {
		t.Errorf("beta %g kappa %g, want 6 and 0.8", fit.Model.Beta, fit.Model.Kappa)
	}
	if fit.ActionLogLik <= fit.DefaultLogLik {
		t.Errorf("fitted log-likelihood %g not above the defaults' %g", fit.ActionLogLik, fit.DefaultLogLik)
	}
	if s := fit.Scenario(&sc); s.Rounds[1].Strength != fit.Signals[1] || sc.Rounds[1].Strength != 0.85 {
		t.Error("Fit.Scenario must copy the scenario with fitted strengths")
	}
}

func TestNeedsTransitions(t *testing.T) {
	g := netw.Complete(3)
	run, _ := sim.Run(sim.Study{Network: g, People: pop.MustSynthetic(scenario.Dishwasher(), 3, 1), Agents: theory.SAM{}, Steps: 1, Quiet: true})
	if _, err := SAM(run); err == nil {
		t.Fatal("a run without transitions must be refused")
	}
}
