package theory

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
)

// ZYC2020 is the two-layer coevolution model with log-linear learning of
// Zino, Ye and Cao, "A two-layer model for coevolving opinion dynamics and
// collective decision-making in complex social systems", Chaos 30, 083107
// (2020). It is asynchronous: at each tick one uniformly chosen free agent i
// revises its action, then its opinion:
//
//	pi_i(1) = lambda_i o_i + (1 - lambda_i)(1 + Alpha) p_i
//	pi_i(0) = lambda_i (1 - o_i) + (1 - lambda_i)(1 - p_i)
//	P[x_i = 1] = exp(Beta pi_i(1)) / (exp(Beta pi_i(1)) + exp(Beta pi_i(0)))
//	o_i <- (1 - mu_i) sum_j W_ij o_j + mu_i p_i
//
// where p_i is the share of i's neighbours on the influence layer
// (Influence, or the step's graph when nil) that adopt, taken before i's
// revision, and W is the row-stochastic communication layer (the step's
// graph). Committed agents ("stubborn innovators" with x = o = 1) are never
// selected. The paper's set-up: n = 200, Alpha = 0.5, Beta = 20, one
// innovator, 4 n^2 ticks, sweeps of lambda in [0,1] and mu in [0, 0.01]:
// high lambda gives a paradigm shift, small lambda and mu an unpopular norm.
// One recorded step is TicksPerStep ticks (n when 0); cost O(d) per tick.
type ZYC2020 struct {
	Alpha        float64     // advantage of the new action, >= 0
	Beta         float64     // rationality, >= 0
	Lambda       float64     // weight of one's own opinion in the action payoff, in [0,1]
	Lambdas      []float64   `json:",omitempty"`
	Mu           float64     // weight of observed actions in the opinion update, in [0,1]
	Mus          []float64   `json:",omitempty"`
	Influence    *netw.Graph `json:"-"` // action layer; nil uses the step's graph
	TicksPerStep int         // revisions per recorded step; 0 means n
}

// Validate checks the parameters for n agents.
func (m ZYC2020) Validate(n int) error {
	inf := math.Inf(1)
	return checkParams("ZYC2020", n,
		param{"Alpha", m.Alpha, nil, 0, inf},
		param{"Beta", m.Beta, nil, 0, inf},
		param{"Lambda", m.Lambda, m.Lambdas, 0, 1},
		param{"Mu", m.Mu, m.Mus, 0, 1})
}

// Step implements agent.Model.
func (m ZYC2020) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	w := env.Graph
	a := m.Influence
	if a == nil {
		a = w
	}
	o, x := next.Opinion, next.Action
	return revise(ctx, env, cur.N(), m.TicksPerStep, func(i int, r *rand.Rand) {
		lam := pick(m.Lambdas, m.Lambda, i)
		p, _ := adopterShare(a, i, x)
		pi1 := lam*o[i] + (1-lam)*(1+m.Alpha)*p
		pi0 := lam*(1-o[i]) + (1-lam)*(1-p)
		if r.Float64() < sigmoid(m.Beta*(pi1-pi0)) {
			x[i] = 1
		} else {
			x[i] = 0
		}
		if avg, ok := rowMean(w, i, o); ok {
			mu := pick(m.Mus, m.Mu, i)
			o[i] = (1-mu)*avg + mu*p
		}
	})
}
