package theory

import (
	"context"
	"fmt"
	"math"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/pop"
)

var exp = math.Exp

// SAM is the default social agent model, reconstructed to match LLM-SAM's
// per-person coefficients (a: friends, tau: stubbornness, f: external
// information, lambda: cost), which it reads from env.People. One synchronous
// step computes, for every agent i with degree d_i,
//
//	o_i(t+1) = tau_i o_i(t) + a_i sum_j w_ij m_j(t) + f_i s(t)
//	m_j(t)   = (1 - Mu) o_j(t) + Mu x_j(t)
//	P[x_i(t+1) = 1] = sigma(z_i),  z_i given by Rule:
//	  LogisticRule (default): Logit.Intercept + Logit.Opinion o_i(t+1) + Logit.Lambda lambda_i + Kappa (p_i(t) - 1/2)
//	  BetaRule:               Beta (o_i(t+1) - lambda_i + Kappa (p_i(t) - 1/2))
//	  ThresholdRule:          x = 1[o_i(t+1) - lambda_i + Kappa (p_i(t) - 1/2) > 0]
//
// with w_ij = 1/d_i (or normalised edge weights), p_i(t) the share of i's
// neighbours that adopt, and s(t) the dominant agent's message: the round's
// Strength, or with Feedback > 0, (1-Feedback) Strength + Feedback A(t) where
// A(t) is the current adoption rate (the dominant agent reacts to the
// market). An isolated agent moves a_i onto tau_i. With Anchor, tau_i o_i(0)
// replaces tau_i o_i(t) (Friedkin-Johnsen anchoring).
//
// The default rule is the free logistic the 495 real initial answers
// support (DataLogit, nil Logit); on those answers x = 1[o > lambda]
// matches 83.2% of the actions and x = 1[o >= lambda] 86.3%, and
// sigma(beta (o - lambda)) is rejected against the free logistic (LR chi2
// = 43.6, 2 df, p = 3.5e-10; best beta 7.6 +/- 0.7). A rule other than the
// one that produced the step-0 actions moves adoption at step 1 by itself
// (RuleAdoption gives the size of that jump). No field has a hidden
// default: Beta is used only by BetaRule, where 0 means actions at random.
//
// This is a reconstruction, not the LLM-SAM paper's published equations
// (which are not available); the evidence is in docs/MODELS.md. Cost:
// O(n + m) per step, in parallel over env.Workers.
type SAM struct {
	Rule     ActionRule // LogisticRule (default), BetaRule or ThresholdRule
	Logit    *Logit     `json:",omitempty"` // LogisticRule's coefficients; nil: DataLogit
	Beta     float64    // BetaRule's rationality (0: actions at random); must be 0 with other rules
	Betas    []float64  `json:",omitempty"` // per-agent rationality (BetaRule)
	Mu       float64    // weight of observed actions in friends' influence, in [0,1]
	Mus      []float64  `json:",omitempty"`
	Kappa    float64    // social coordination pressure on the action
	Kappas   []float64  `json:",omitempty"`
	Feedback float64    // in [0,1]: how much s(t) follows the adoption rate
	Anchor   bool       // Friedkin-Johnsen anchoring to o_i(0)
}

// DefaultBeta is the -beta default of the scripts that offer BetaRule
// (the value earlier versions used); SAM never substitutes it for Beta.
const DefaultBeta = 10

// Validate checks the parameters for n agents.
func (m SAM) Validate(n int) error {
	inf := math.Inf(1)
	switch m.Rule {
	case LogisticRule, ThresholdRule:
		if m.Beta != 0 || m.Betas != nil {
			return fmt.Errorf("SAM: Beta = %g is set but Rule is %s, which has no beta: set Rule: theory.BetaRule to use it", m.Beta, m.Rule)
		}
	case BetaRule:
	default:
		return fmt.Errorf("SAM: Rule = %d, want LogisticRule, BetaRule or ThresholdRule", int(m.Rule))
	}
	if m.Logit != nil && m.Rule != LogisticRule {
		return fmt.Errorf("SAM: Logit is set but Rule is %s: set Rule: theory.LogisticRule to use it", m.Rule)
	}
	if l := m.Logit; l != nil && !(isFinite(l.Intercept) && isFinite(l.Opinion) && isFinite(l.Lambda)) {
		return fmt.Errorf("SAM: Logit %+v: want finite coefficients", *l)
	}
	return checkParams("SAM", n,
		param{"Beta", m.Beta, m.Betas, 0, inf},
		param{"Mu", m.Mu, m.Mus, 0, 1},
		param{"Kappa", m.Kappa, m.Kappas, -inf, inf},
		param{"Feedback", m.Feedback, nil, 0, 1})
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Signal returns s(t) for a step given the current state.
func (m SAM) Signal(env *agent.Env, cur *agent.State) float64 {
	s := env.Round.Strength
	if m.Feedback > 0 {
		s = (1-m.Feedback)*s + m.Feedback*cur.Adoption()
	}
	return s
}

// Step implements agent.Model.
func (m SAM) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	if len(env.People) != cur.N() {
		return fmt.Errorf("SAM: %d people for %d agents", len(env.People), cur.N())
	}
	st := samStep{m: m, env: env, cur: cur, next: next, coef: env.Coefficients(), s: m.Signal(env, cur),
		beta: m.Beta, key: agent.StepKey(env.Seed, env.Step)}
	st.off, st.tg, st.wt = env.Graph.CSR()
	if m.Anchor {
		st.o0 = env.Initial.Opinion
	}
	st.simple = st.wt == nil && m.Mu == 0 && m.Mus == nil
	st.needP = m.Kappa != 0 || m.Kappas != nil
	// In the common case (unweighted graph, Mu = Kappa = 0) the neighbour
	// means of a block of agents are gathered first in a tight loop into
	// next.Opinion, the same memory-bound loop as a plain CSR sum, and the
	// rest of the update reads them back while they are still in cache;
	// interleaving the two per agent costs about 40% more.
	st.gatherFirst = st.simple && !st.needP
	st.fast = st.gatherFirst && st.o0 == nil && m.Betas == nil && m.Kappas == nil && env.Committed == nil && m.Rule != ThresholdRule &&
		!(m.Rule == BetaRule && math.IsInf(st.beta, 1))
	switch m.Rule {
	case LogisticRule:
		l := DataLogit
		if m.Logit != nil {
			l = *m.Logit
		}
		st.z0, st.zo, st.zl = l.Intercept, l.Opinion, l.Lambda
	}
	const block = 2048
	agent.ParallelFor(cur.N(), env.Workers, func(lo, hi int) {
		for b := lo; b < hi; b += block {
			st.update(b, min(b+block, hi))
		}
	})
	return ctx.Err()
}

// samStep holds what one SAM step's updates share.
type samStep struct {
	m                          SAM
	env                        *agent.Env
	cur, next                  *agent.State
	coef                       []pop.Coef
	off                        []int64
	tg                         []int32
	wt, o0                     []float64
	s, beta                    float64
	z0, zo, zl                 float64 // LogisticRule's logit in the fast path: z0 + zo o + zl lambda
	key                        uint64
	simple, needP, gatherFirst bool
	fast                       bool // updateFast applies
}

// update runs the SAM update of agents lo..hi-1.
func (st *samStep) update(lo, hi int) {
	if st.gatherFirst {
		st.gather(lo, hi)
		if st.fast {
			st.updateFast(lo, hi)
			return
		}
	}
	st.updateGeneral(lo, hi)
}

// gather writes each agent's mean neighbour opinion into next.Opinion.
func (st *samStep) gather(lo, hi int) {
	off, tg, o, next := st.off, st.tg, st.cur.Opinion, st.next.Opinion
	for i := lo; i < hi; i++ {
		start, end := off[i], off[i+1]
		if d := end - start; d > 0 {
			sum := 0.0
			for _, j := range tg[start:end] {
				sum += o[j]
			}
			next[i] = sum / float64(d)
		}
	}
}

// updateFast is updateGeneral for the default model: gathered means, a
// logit linear in o and lambda (LogisticRule, or BetaRule with one finite
// beta), no anchoring, kappa, per-agent parameters or committed agents.
func (st *samStep) updateFast(lo, hi int) {
	off, o, coef, s, key := st.off, st.cur.Opinion, st.coef, st.s, st.key
	z0, zo, zl, beta, betaRule := st.z0, st.zo, st.zl, st.beta, st.m.Rule == BetaRule
	nextO, nextX := st.next.Opinion, st.next.Action
	for i := lo; i < hi; i++ {
		p := &coef[i]
		on := samOpinion(p, o[i], nextO[i], off[i+1] != off[i], s)
		nextO[i] = on
		z := z0 + zo*on + zl*p.Lambda
		if betaRule {
			z = beta * (on - p.Lambda)
		}
		r := agent.StreamAt(key, i)
		if bernoulliLogit(r.Float64(), z) {
			nextX[i] = 1
		} else {
			nextX[i] = 0
		}
	}
}

// updateGeneral runs the full update: weights, observed actions (mu),
// coordination (kappa), anchoring, per-agent parameters, committed agents.
func (st *samStep) updateGeneral(lo, hi int) {
	m, env, next, coef, s, beta, key, o0 := st.m, st.env, st.next, st.coef, st.s, st.beta, st.key, st.o0
	off, tg, wt := st.off, st.tg, st.wt
	o, x := st.cur.Opinion, st.cur.Action
	for i := lo; i < hi; i++ {
		if env.IsCommitted(i) {
			next.Opinion[i] = o[i]
			continue
		}
		p := &coef[i]
		var infl, share float64 = 0, 0.5
		start, end := off[i], off[i+1]
		d := end - start
		switch {
		case d == 0:
		case st.gatherFirst:
			infl = next.Opinion[i]
		case st.simple:
			sum, adopt := 0.0, 0
			for _, j := range tg[start:end] {
				sum += o[j]
			}
			if st.needP {
				for _, j := range tg[start:end] {
					adopt += int(x[j])
				}
			}
			infl, share = sum/float64(d), float64(adopt)/float64(d)
		default:
			mu := pick(m.Mus, m.Mu, i)
			sum, adopt, norm := 0.0, 0.0, 0.0
			for k := start; k < end; k++ {
				j := tg[k]
				w := 1.0
				if wt != nil {
					w = wt[k]
				}
				xj := float64(x[j])
				sum += w * ((1-mu)*o[j] + mu*xj)
				adopt += w * xj
				norm += w
			}
			if norm > 0 {
				infl, share = sum/norm, adopt/norm
			}
		}
		self := o[i]
		if o0 != nil {
			self = o0[i]
		}
		on := samOpinion(p, self, infl, d > 0, s)
		next.Opinion[i] = on
		z := m.ActionLogit(on, p.Lambda, share, pick(m.Betas, beta, i), pick(m.Kappas, m.Kappa, i))
		var act uint8
		switch {
		case math.IsInf(z, 1):
			act = 1
		case math.IsInf(z, -1) || math.IsNaN(z): // beta = +Inf at z = 0 gives NaN: no adoption, as 1[z > 0]
		default:
			r := agent.StreamAt(key, i)
			if bernoulliLogit(r.Float64(), z) {
				act = 1
			}
		}
		next.Action[i] = act
	}
}
