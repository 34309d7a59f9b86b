package calibrate

import (
	"fmt"
	"math"

	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// Fit is the result of fitting SAM to runs.
type Fit struct {
	Model   theory.SAM // Beta, Mu and Kappa fitted
	Signals []float64  // s(t) per step; Signals[0] is unused (step 0 is the initial state)
	// Transitions is the number of (agent, step) updates the fit used.
	Transitions int
	// Opinion RMSE (0-10 scale) and action log-likelihood per transition,
	// and the share of actions on the side the model's probability favours,
	// for the fitted parameters and for SAM's defaults (the scenario's round
	// strengths, mu = kappa = 0, beta = theory.DefaultBeta).
	OpinionRMSE, DefaultOpinionRMSE float64
	ActionLogLik, DefaultLogLik     float64
	ActionAgreement, DefaultAgree   float64
}

// Scenario returns a copy of sc whose rounds carry the fitted strengths,
// following the schedule of steps steps.
func (f Fit) Scenario(sc *scenario.Scenario) *scenario.Scenario {
	c := *sc
	c.Rounds = append([]scenario.Round(nil), sc.Rounds...)
	for t := 1; t < len(f.Signals) && t < len(c.Rounds); t++ {
		c.Rounds[t].Strength = f.Signals[t]
	}
	return &c
}

// String summarises the fit.
func (f Fit) String() string {
	return fmt.Sprintf("SAM fit on %d transitions: beta %.2f, mu %.2f, kappa %.2f, s(t) %v; opinion RMSE %.2f (defaults %.2f), action log-likelihood %.3f (defaults %.3f), action agreement %.3f (defaults %.3f)",
		f.Transitions, f.Model.Beta, f.Model.Mu, f.Model.Kappa, round2(f.Signals[1:]), f.OpinionRMSE, f.DefaultOpinionRMSE,
		f.ActionLogLik, f.DefaultLogLik, f.ActionAgreement, f.DefaultAgree)
}

func round2(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = math.Round(x*100) / 100
	}
	return out
}

// transition is one agent's update from step t-1 to step t.
type transition struct {
	step               int
	tau, a, f, lambda  float64
	prev, meanO, meanX float64 // own previous opinion, friends' mean opinion and mean action at t-1
	hasFriends         bool
	obs                float64 // observed opinion at t
	act                float64 // observed action at t
	share              float64 // friends adopting at t-1
	defaultSignal      float64 // the scenario's strength at t
}

func collect(runs []*history.Run) ([]transition, int, error) {
	var ts []transition
	steps := 0
	for _, r := range runs {
		if r.Network == nil {
			return nil, 0, fmt.Errorf("run %q has no network", r.Manifest.Name)
		}
		sc, err := scenario.ByName(r.Manifest.Scenario)
		var sched []scenario.Round
		if err == nil {
			sched = sc.Schedule(r.Steps())
		}
		committed := map[int]bool{}
		for _, c := range r.Manifest.Committed {
			committed[c.Agent] = true
		}
		steps = max(steps, r.Steps())
		for _, tr := range r.Replicates {
			for t := 1; t < len(tr.States); t++ {
				g := r.Network.At(t)
				prev, cur := tr.States[t-1], tr.States[t]
				for i, p := range r.People {
					if committed[i] {
						continue
					}
					x := transition{step: t, tau: p.Tau, a: p.A, f: p.F, lambda: p.Lambda,
						prev: prev.Opinion[i], obs: cur.Opinion[i], act: float64(cur.Action[i]), share: 0.5}
					if sched != nil {
						x.defaultSignal = sched[t].Strength
					}
					if nb := g.Neighbors(i); len(nb) > 0 {
						x.hasFriends = true
						for _, j := range nb {
							x.meanO += prev.Opinion[j]
							x.meanX += float64(prev.Action[j])
						}
						x.meanO /= float64(len(nb))
						x.meanX /= float64(len(nb))
						x.share = x.meanX
					}
					ts = append(ts, x)
				}
			}
		}
	}
	if len(ts) == 0 {
		return nil, 0, fmt.Errorf("no transitions to fit: the runs need at least 2 steps")
	}
	return ts, steps, nil
}

// predict is SAM's opinion update for a transition.
func predict(x transition, mu, s float64) float64 {
	if !x.hasFriends {
		return (x.tau+x.a)*x.prev + x.f*s
	}
	return x.tau*x.prev + x.a*((1-mu)*x.meanO+mu*x.meanX) + x.f*s
}

// SAM fits SAM's free parameters to the transitions of runs (all sharing
// the scenario schedule by step).
func SAM(runs ...*history.Run) (Fit, error) {
	ts, steps, err := collect(runs)
	if err != nil {
		return Fit{}, err
	}
	// Opinions: for each mu on a grid, s(t) has a closed form; keep the best.
	bestSSE := math.Inf(1)
	var fit Fit
	for k := 0; k <= 40; k++ {
		mu := float64(k) / 40
		num, den := make([]float64, steps), make([]float64, steps)
		for _, x := range ts {
			r := x.obs - predict(x, mu, 0)
			num[x.step] += x.f * r
			den[x.step] += x.f * x.f
		}
		sig := make([]float64, steps)
		for t := 1; t < steps; t++ {
			if den[t] > 0 {
				sig[t] = min(max(num[t]/den[t], 0), 1)
			}
		}
		sse := 0.0
		for _, x := range ts {
			d := x.obs - predict(x, mu, sig[x.step])
			sse += d * d
		}
		if sse < bestSSE-1e-12 {
			bestSSE, fit.Model.Mu, fit.Signals = sse, mu, sig
		}
	}
	fit.Transitions = len(ts)
	fit.OpinionRMSE = 10 * math.Sqrt(bestSSE/float64(len(ts)))
	dsse := 0.0
	for _, x := range ts {
		d := x.obs - min(max(predict(x, 0, x.defaultSignal), 0), 1)
		dsse += d * d
	}
	fit.DefaultOpinionRMSE = 10 * math.Sqrt(dsse/float64(len(ts)))

	// Actions: logistic regression of x on u1 = o - lambda, u2 = p - 1/2
	// without intercept, z = b1 u1 + b2 u2, beta = b1, kappa = b2 / b1.
	b := [2]float64{theory.DefaultBeta, 0}
	for iter := 0; iter < 100; iter++ {
		var g [2]float64
		var h [2][2]float64
		for _, x := range ts {
			u := [2]float64{x.obs - x.lambda, x.share - 0.5}
			p := sigmoid(b[0]*u[0] + b[1]*u[1])
			w := p * (1 - p)
			for i := range 2 {
				g[i] += (x.act - p) * u[i]
				for j := range 2 {
					h[i][j] += w * u[i] * u[j]
				}
			}
		}
		h[0][0] += 1e-9
		h[1][1] += 1e-9
		det := h[0][0]*h[1][1] - h[0][1]*h[1][0]
		if det == 0 {
			break
		}
		d0 := (h[1][1]*g[0] - h[0][1]*g[1]) / det
		d1 := (h[0][0]*g[1] - h[1][0]*g[0]) / det
		b[0] += d0
		b[1] += d1
		if math.Abs(d0)+math.Abs(d1) < 1e-10 {
			break
		}
	}
	fit.Model.Beta = b[0]
	if b[0] > 1e-9 {
		fit.Model.Kappa = b[1] / b[0]
	}
	fit.ActionLogLik, fit.ActionAgreement = actionFit(ts, b[0], b[1])
	fit.DefaultLogLik, fit.DefaultAgree = actionFit(ts, theory.DefaultBeta, 0)
	return fit, nil
}

// actionFit returns the mean log-likelihood and the share of actions on the
// side favoured by z = b1 (o - lambda) + b2 (p - 1/2).
func actionFit(ts []transition, b1, b2 float64) (ll, agree float64) {
	for _, x := range ts {
		z := b1*(x.obs-x.lambda) + b2*(x.share-0.5)
		p := min(max(sigmoid(z), 1e-12), 1-1e-12)
		if x.act == 1 {
			ll += math.Log(p)
		} else {
			ll += math.Log(1 - p)
		}
		if (z > 0) == (x.act == 1) {
			agree++
		}
	}
	n := float64(len(ts))
	return ll / n, agree / n
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
