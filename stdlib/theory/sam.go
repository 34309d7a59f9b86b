package theory

import (
	"context"
	"fmt"
	"math"

	"github.com/llmsam/llmsam/stdlib/agent"
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
	s := m.Signal(env, cur)
	off, tg, wt := env.Graph.CSR()
	coef := env.Coefficients()
	o, x := cur.Opinion, cur.Action
	var o0 []float64
	if m.Anchor {
		o0 = env.Initial.Opinion
	}
	beta := m.Beta
	if beta == 0 {
		beta = DefaultBeta
	}
	simple := wt == nil && m.Mu == 0 && m.Mus == nil
	needP := m.Kappa != 0 || m.Kappas != nil
	// In the common case (unweighted graph, Mu = Kappa = 0) the neighbour
	// means are gathered first in a tight loop into next.Opinion, the same
	// memory-bound loop as a plain CSR sum, and the rest reads them back
	// sequentially; interleaving the two costs about 40% more.
	gatherFirst := simple && !needP
	key := agent.StepKey(env.Seed, env.Step)
	agent.ParallelFor(cur.N(), env.Workers, func(lo, hi int) {
		if gatherFirst {
			for i := lo; i < hi; i++ {
				start, end := off[i], off[i+1]
				if d := end - start; d > 0 {
					sum := 0.0
					for _, j := range tg[start:end] {
						sum += o[j]
					}
					next.Opinion[i] = sum / float64(d)
				}
			}
		}
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
			case gatherFirst:
				infl = next.Opinion[i]
			case simple:
				sum, adopt := 0.0, 0
				for _, j := range tg[start:end] {
					sum += o[j]
				}
				if needP {
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
	})
	return ctx.Err()
}
