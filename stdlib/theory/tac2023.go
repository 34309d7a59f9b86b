package theory

import (
	"context"
	"math"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
)

// TAC2023 is the payoff-based opinion-action coevolution model of Aghbolagh,
// Ye, Zino, Cao and Chen, "Coevolutionary Dynamics of Actions and Opinions
// in Social Networks" (IEEE Transactions on Automatic Control 68(12), 2023;
// arXiv 2206.07242). On the {-1,+1}
// action scale and [-1,1] opinions, with an opinion layer W (the step's
// graph) and an action layer A (Influence, or the step's graph when nil),
// both row-stochastic, one uniformly chosen free agent per tick makes a joint
// best response:
//
//	m_i     = (1 - lambda_i) ((1 - gamma_i) sum_j W_ij o_j + gamma_i u_i)
//	Delta_i = lambda_i (2 beta_i m_i + (1 - beta_i)((2 + Alpha) q_i - 1)),  q_i = sum_j A_ij 1[x_j = +1]
//	x_i <- sign(Delta_i)   (kept when |Delta_i| <= 1e-6)
//	o_i <- m_i + lambda_i x_i
//
// u_i is the prejudice (the initial opinion unless Us is set). With
// homogeneous parameters on an undirected network (A = W) the game has a
// weighted potential that never decreases, so actions settle in finite time.
// The layers may have self-loops (the paper's matrices do: an agent's own
// opinion and action count); an agent without neighbours on either layer
// keeps its state. The paper's set-ups (pluralistic ignorance, polarization)
// are in the papers package, from the paper's matrices, initial conditions
// and tick sequences, and checked tick for tick against the authors' code.
// One recorded step is TicksPerStep ticks (n when 0).
type TAC2023 struct {
	Alpha        float64     // advantage of the new action, >= 0
	Lambda       float64     // in [0,1): weight of the action in the opinion, and of the payoff
	Lambdas      []float64   `json:",omitempty"`
	Beta         float64     // in (0,1]: weight of opinion consistency against coordination
	Betas        []float64   `json:",omitempty"`
	Gamma        float64     // in [0,1): weight of the prejudice
	Gammas       []float64   `json:",omitempty"`
	Us           []float64   `json:",omitempty"` // per-agent prejudice on [-1,1]; nil: initial opinions
	Influence    *netw.Graph `json:"-"`
	TicksPerStep int
	Replay       *Replay `json:"-"` // fixed revision order; nil draws it from the seed
}

// Validate checks the parameters for n agents.
func (m TAC2023) Validate(n int) error {
	below1 := math.Nextafter(1, 0)
	return checkParams("TAC2023", n,
		param{"Alpha", m.Alpha, nil, 0, math.Inf(1)},
		param{"Lambda", m.Lambda, m.Lambdas, 0, below1},
		param{"Beta", m.Beta, m.Betas, math.SmallestNonzeroFloat64, 1},
		param{"Gamma", m.Gamma, m.Gammas, 0, below1},
		param{"Us", 0, m.Us, -1, 1})
}

// Step implements agent.Model.
func (m TAC2023) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	n := cur.N()
	o, x := toSigned(next)
	w := env.Graph
	a := m.Influence
	if a == nil {
		a = w
	}
	up := make([]uint8, n) // 1[x_j = +1], kept in step with x
	for i := range up {
		up[i] = next.Action[i]
	}
	err := revise(ctx, "TAC2023", env, n, m.TicksPerStep, m.Replay, false, func(i int, _ *ticker) {
		lam, beta, gam := pick(m.Lambdas, m.Lambda, i), pick(m.Betas, m.Beta, i), pick(m.Gammas, m.Gamma, i)
		wo, okW := rowMean(w, i, o)
		q, okA := adopterShare(a, i, up)
		if !okW || !okA {
			return // no neighbours on a layer: nothing to respond to
		}
		mi := (1 - lam) * ((1-gam)*wo + gam*prejudice(m.Us, env, i))
		delta := lam * (2*beta*mi + (1-beta)*((2+m.Alpha)*q-1))
		if delta > 1e-6 {
			x[i], up[i] = 1, 1
		} else if delta < -1e-6 {
			x[i], up[i] = -1, 0
		}
		o[i] = mi + lam*x[i]
	})
	fromSigned(next, o, x)
	return err
}
