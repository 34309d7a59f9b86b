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
//	P[x_i(t+1) = 1] = sigma(Beta (o_i(t+1) - lambda_i + Kappa (p_i(t) - 1/2)))
//
// with w_ij = 1/d_i (or normalised edge weights), p_i(t) the share of i's
// neighbours that adopt, and s(t) the dominant agent's message: the round's
// Strength, or with Feedback > 0, (1-Feedback) Strength + Feedback A(t) where
// A(t) is the current adoption rate (the dominant agent reacts to the
// market). An isolated agent moves a_i onto tau_i. With Anchor, tau_i o_i(0)
// replaces tau_i o_i(t) (Friedkin-Johnsen anchoring). Beta = +Inf gives the
// deterministic threshold x = 1[o > lambda]; it matches 86.5% of the 495 real
// initial actions, and the logistic fit P(x=1) = sigma(-3.21 + 10.46 o - 4.86
// lambda) suggests Beta about 10.
//
// This is a reconstruction, not the LLM-SAM paper's published equations
// (which are not available); see MODELS.md. Cost: O(n + m) per step, in
// parallel over env.Workers.
type SAM struct {
	Beta     float64   // rationality; 0 means the default 10; +Inf for the threshold rule
	Betas    []float64 `json:",omitempty"` // per-agent rationality
	Mu       float64   // weight of observed actions in friends' influence, in [0,1]
	Mus      []float64 `json:",omitempty"`
	Kappa    float64   // social coordination pressure on the action
	Kappas   []float64 `json:",omitempty"`
	Feedback float64   // in [0,1]: how much s(t) follows the adoption rate
	Anchor   bool      // Friedkin-Johnsen anchoring to o_i(0)
}

// DefaultBeta is the rationality SAM uses when Beta is 0.
const DefaultBeta = 10

// Validate checks the parameters for n agents.
func (m SAM) Validate(n int) error {
	inf := math.Inf(1)
	return checkParams("SAM", n,
		param{"Beta", m.Beta, m.Betas, 0, inf},
		param{"Mu", m.Mu, m.Mus, 0, 1},
		param{"Kappa", m.Kappa, m.Kappas, -inf, inf},
		param{"Feedback", m.Feedback, nil, 0, 1})
}

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
	if st.beta == 0 {
		st.beta = DefaultBeta
	}
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
	st.fast = st.gatherFirst && st.o0 == nil && m.Betas == nil && !math.IsInf(st.beta, 1) && env.Committed == nil
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

// updateFast is updateGeneral for the default model: gathered means, one
// finite beta, no anchoring, kappa, per-agent parameters or committed agents.
func (st *samStep) updateFast(lo, hi int) {
	off, o, coef, s, beta, key := st.off, st.cur.Opinion, st.coef, st.s, st.beta, st.key
	nextO, nextX := st.next.Opinion, st.next.Action
	for i := lo; i < hi; i++ {
		p := &coef[i]
		var on float64
		if off[i+1] == off[i] {
			on = (p.Tau+p.A)*o[i] + p.F*s
		} else {
			on = p.Tau*o[i] + p.A*nextO[i] + p.F*s
		}
		if on < 0 {
			on = 0
		} else if on > 1 {
			on = 1
		}
		nextO[i] = on
		r := agent.StreamAt(key, i)
		if bernoulliLogit(r.Float64(), beta*(on-p.Lambda)) {
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
		var on float64
		if d == 0 {
			on = (p.Tau+p.A)*self + p.F*s
		} else {
			on = p.Tau*self + p.A*infl + p.F*s
		}
		if on < 0 {
			on = 0
		} else if on > 1 {
			on = 1
		}
		next.Opinion[i] = on
		b := pick(m.Betas, beta, i)
		z := on - p.Lambda + pick(m.Kappas, m.Kappa, i)*(share-0.5)
		var act uint8
		if math.IsInf(b, 1) {
			if z > 0 {
				act = 1
			}
		} else {
			r := agent.StreamAt(key, i)
			if bernoulliLogit(r.Float64(), b*z) {
				act = 1
			}
		}
		next.Action[i] = act
	}
}
