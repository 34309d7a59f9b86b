package calibrate

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// Fit is the result of fitting SAM to runs.
type Fit struct {
	// Model is SAM with Rule BetaRule and the fitted Beta, Mu and Kappa,
	// each clipped to its admissible range (Params keep the estimates).
	Model theory.SAM
	// Signals is s(t) per step, clipped to [0,1]; Signals[0] is unused
	// (step 0 is the initial state).
	Signals []float64
	// Params are the estimates with standard errors and 95% intervals, in
	// the order mu, s(1), ..., s(T-1), beta, kappa.
	Params []Param
	// Transitions is the number of (agent, step) updates the fit used.
	Transitions int
	// Fitted and Default score the fit and SAM's defaults (theory.SAM{}:
	// the data's logistic action rule, mu = kappa = 0, the runs' recorded
	// round strengths) on the same transitions (in sample). Use Evaluate on
	// other runs for out-of-sample scores.
	Fitted, Default Score
}

// Score is how well a model predicts transitions: the root mean square
// error of the one-step-ahead opinions on the answer scale 0-10, the mean
// log-likelihood of the actions per transition, and the share of actions on
// the side the model's probability favours.
type Score struct {
	OpinionRMSE, ActionLogLik, ActionAgreement float64
}

// String shows the three numbers.
func (s Score) String() string {
	return fmt.Sprintf("opinion RMSE %.3f (0-10), action log-likelihood %.3f, agreement %.3f", s.OpinionRMSE, s.ActionLogLik, s.ActionAgreement)
}

// Param returns the parameter called name ("mu", "s(1)", "beta", "kappa").
func (f Fit) Param(name string) (Param, bool) {
	for _, p := range f.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// Scenario returns a copy of sc whose rounds carry the fitted strengths.
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
	ps := make([]string, len(f.Params))
	for i, p := range f.Params {
		ps[i] = p.String()
	}
	return fmt.Sprintf("SAM fit on %d transitions (95%% intervals): %s\n  fitted:   %s\n  defaults: %s",
		f.Transitions, strings.Join(ps, ", "), f.Fitted, f.Default)
}

// transition is one agent's update from step t-1 to step t.
type transition struct {
	step       int
	coef       pop.Coef
	prev       float64 // own opinion at t-1
	meanO      float64 // friends' weighted mean opinion at t-1
	meanX      float64 // friends' weighted adopting share at t-1 (1/2 without friends)
	hasFriends bool
	obs, act   float64 // observed opinion and action at t
	sched      float64 // the run's recorded round strength at t (NaN when not recorded)
}

// collect reads the transitions of runs, with the network in force at each
// step (edge weights normalised by row) and the recorded schedule.
func collect(runs []*history.Run) ([]transition, int, error) {
	var ts []transition
	steps := 0
	var sched0 []history.RoundInfo
	for k, r := range runs {
		if r.Network == nil {
			return nil, 0, fmt.Errorf("run %q has no network", r.Manifest.Name)
		}
		if len(r.People) == 0 {
			return nil, 0, fmt.Errorf("run %q has no people (coefficients)", r.Manifest.Name)
		}
		if k == 0 {
			sched0 = r.Manifest.Schedule
		} else if !sameStrengths(sched0, r.Manifest.Schedule) {
			return nil, 0, fmt.Errorf("run %q has another schedule of round strengths than run %q: s(t) is shared by step, fit them separately",
				r.Manifest.Name, runs[0].Manifest.Name)
		}
		committed := map[int]bool{}
		for _, c := range r.Manifest.Committed {
			committed[c.Agent] = true
		}
		steps = max(steps, r.Steps())
		coef := r.People.Coefficients()
		for _, tr := range r.Replicates {
			if tr == nil {
				continue
			}
			for t := 1; t < len(tr.States); t++ {
				g := r.Network.At(t)
				prev, cur := tr.States[t-1], tr.States[t]
				sched := math.NaN()
				if t < len(r.Manifest.Schedule) {
					sched = r.Manifest.Schedule[t].Strength
				}
				for i := range coef {
					if committed[i] {
						continue
					}
					x := transition{step: t, coef: coef[i], prev: prev.Opinion[i], obs: cur.Opinion[i],
						act: float64(cur.Action[i]), meanX: 0.5, sched: sched}
					ws := g.Weights(i)
					sum, adopt, norm := 0.0, 0.0, 0.0
					for k, j := range g.Neighbors(i) {
						w := 1.0
						if ws != nil {
							w = ws[k]
						}
						sum += w * prev.Opinion[j]
						adopt += w * float64(prev.Action[j])
						norm += w
					}
					if norm > 0 {
						x.hasFriends, x.meanO, x.meanX = true, sum/norm, adopt/norm
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

func sameStrengths(a, b []history.RoundInfo) bool {
	for t := range min(len(a), len(b)) {
		if a[t].Strength != b[t].Strength {
			return false
		}
	}
	return true
}

// predictOpinion is SAM's opinion update (theory.SAMOpinion) for x.
func predictOpinion(x transition, mu, s float64) float64 {
	return theory.SAMOpinion(x.coef, x.prev, (1-mu)*x.meanO+mu*x.meanX, x.hasFriends, s)
}

// SAM fits SAM's free parameters to the transitions of runs (the same
// schedule of rounds by step), plain SAM without anchoring or feedback:
//
//   - mu and s(1..T-1) by least squares in closed form: the opinion update
//     is linear in them, o_i(t) - tau_i o_i(t-1) - a_i m_i = mu a_i (p_i -
//     m_i) + f_i s(t) + e (m_i, p_i the friends' mean opinion and adopting
//     share at t-1); standard errors from s^2 (X'X)^-1, Student-t intervals;
//   - beta and kappa of BetaRule, P[x_i(t) = 1] = sigma(beta (o_i(t) -
//     lambda_i + kappa (p_i(t-1) - 1/2))), by maximum likelihood (Newton
//     with a line search, from beta = kappa = 0, with a convergence check);
//     Wald intervals, kappa's by the delta method.
//
// It fails with a message wrapping ErrSeparable when the actions are
// perfectly separated (no finite beta), and with an error when the
// estimated beta is not positive (the actions do not follow opinions), so
// a fitted model never has a diverged or negative beta. Parameters the
// data do not inform (s(t) when nobody listens at step t, kappa when no
// agent has friends) get NaN standard errors and a note; the model uses 0.
func SAM(runs ...*history.Run) (Fit, error) {
	ts, steps, err := collect(runs)
	if err != nil {
		return Fit{}, err
	}
	fit := Fit{Transitions: len(ts), Signals: make([]float64, steps)}

	// Opinions: y = mu * a (p - m) + sum_t s_t f 1[step = t].
	X := make([][]float64, len(ts))
	y := make([]float64, len(ts))
	for k, x := range ts {
		row := make([]float64, steps)
		if x.hasFriends {
			row[0] = x.coef.A * (x.meanX - x.meanO)
			y[k] = x.obs - x.coef.Tau*x.prev - x.coef.A*x.meanO
		} else {
			y[k] = x.obs - (x.coef.Tau+x.coef.A)*x.prev
		}
		row[x.step] = x.coef.F
		X[k] = row
	}
	lin, err := Linear(X, y)
	if err != nil {
		return Fit{}, fmt.Errorf("SAM fit, opinions: %w", err)
	}
	q := tQuantile(lin.DF)
	for j := range steps {
		name := "mu"
		if j > 0 {
			name = fmt.Sprintf("s(%d)", j)
		}
		p := Param{Name: name, Estimate: lin.Coef[j], SE: lin.SE[j], Lo: lin.Coef[j] - q*lin.SE[j], Hi: lin.Coef[j] + q*lin.SE[j]}
		v := lin.Coef[j]
		switch {
		case math.IsNaN(v):
			p.Note, v = "not identified: nothing in the data depends on it; the model uses 0", 0
		case v < 0 || v > 1:
			p.Note = fmt.Sprintf("outside [0,1]; the model uses %g", min(max(v, 0), 1))
			v = min(max(v, 0), 1)
		}
		if j == 0 {
			fit.Model.Mu = v
		} else {
			fit.Signals[j] = v
		}
		fit.Params = append(fit.Params, p)
	}

	// Actions: z = b1 (o - lambda) + b2 (p - 1/2), beta = b1, kappa = b2 / b1.
	A := make([][]float64, len(ts))
	act := make([]float64, len(ts))
	friends := false
	for k, x := range ts {
		A[k] = []float64{x.obs - x.coef.Lambda, x.meanX - 0.5}
		act[k] = x.act
		friends = friends || (x.hasFriends && x.meanX != 0.5)
	}
	if !friends {
		for k := range A {
			A[k] = A[k][:1]
		}
	}
	lf, err := Logistic(A, act)
	if errors.Is(err, ErrSeparable) {
		return Fit{}, fmt.Errorf("SAM fit, actions on %d transitions: %w; use theory.SAM{Rule: theory.ThresholdRule}", len(ts), err)
	}
	if err != nil {
		return Fit{}, fmt.Errorf("SAM fit, actions: %w", err)
	}
	b1, se1 := lf.Coef[0], lf.SE[0]
	if !(b1 > 0) {
		return Fit{}, fmt.Errorf("SAM fit, actions: the estimated beta is %.3g (SE %.3g): the actions do not rise with o - lambda, so SAM's action rule does not describe them", b1, se1)
	}
	fit.Params = append(fit.Params, Param{Name: "beta", Estimate: b1, SE: se1, Lo: b1 - 1.96*se1, Hi: b1 + 1.96*se1})
	fit.Model.Rule, fit.Model.Beta = theory.BetaRule, b1
	kp := Param{Name: "kappa", Estimate: math.NaN(), SE: math.NaN(), Lo: math.NaN(), Hi: math.NaN(),
		Note: "not identified: no agent sees adopting friends vary; the model uses 0"}
	if friends {
		b2 := lf.Coef[1]
		kappa := b2 / b1
		v11, v22, v12 := lf.Cov.At(0, 0), lf.Cov.At(1, 1), lf.Cov.At(0, 1)
		se := math.Sqrt(max(0, b2*b2/(b1*b1*b1*b1)*v11+v22/(b1*b1)-2*b2/(b1*b1*b1)*v12))
		kp = Param{Name: "kappa", Estimate: kappa, SE: se, Lo: kappa - 1.96*se, Hi: kappa + 1.96*se}
		fit.Model.Kappa = kappa
	}
	fit.Params = append(fit.Params, kp)
	fit.Fitted = fit.score(ts)
	fit.Default = defaultScore(ts)
	return fit, nil
}

// Evaluate scores the fit and SAM's defaults on the transitions of other
// runs (held-out groups or replicates): out-of-sample distances.
func (f Fit) Evaluate(runs ...*history.Run) (fitted, defaults Score, err error) {
	ts, steps, err := collect(runs)
	if err != nil {
		return Score{}, Score{}, err
	}
	if steps > len(f.Signals) {
		return Score{}, Score{}, fmt.Errorf("evaluate: the runs have %d steps, the fit %d", steps, len(f.Signals))
	}
	return f.score(ts), defaultScore(ts), nil
}

func (f Fit) score(ts []transition) Score {
	return scoreOf(ts, func(x transition) float64 { return predictOpinion(x, f.Model.Mu, f.Signals[x.step]) }, f.Model)
}

func defaultScore(ts []transition) Score {
	return scoreOf(ts, func(x transition) float64 { return predictOpinion(x, 0, x.sched) }, theory.SAM{})
}

// scoreOf scores one-step-ahead opinions (skipping transitions whose
// prediction is NaN, e.g. without a recorded schedule) and the actions
// under m's rule at the observed opinions.
func scoreOf(ts []transition, opinion func(transition) float64, m theory.SAM) Score {
	var sse, ll, agree float64
	n := 0
	for _, x := range ts {
		if o := opinion(x); !math.IsNaN(o) {
			sse += (x.obs - o) * (x.obs - o)
			n++
		}
		p := m.AdoptionProbability(x.obs, x.coef.Lambda, x.meanX)
		p = min(max(p, 1e-12), 1-1e-12)
		if x.act == 1 {
			ll += math.Log(p)
		} else {
			ll += math.Log(1 - p)
		}
		if (p > 0.5) == (x.act == 1) {
			agree++
		}
	}
	k := float64(len(ts))
	rmse := math.NaN()
	if n > 0 {
		rmse = 10 * math.Sqrt(sse/float64(n))
	}
	return Score{OpinionRMSE: rmse, ActionLogLik: ll / k, ActionAgreement: agree / k}
}
