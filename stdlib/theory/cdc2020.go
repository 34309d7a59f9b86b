package theory

import (
	"context"
	"math"

	"github.com/llmsam/llmsam/stdlib/agent"
)

// CDC2020 is the best-response coevolution model with a prejudice term of
// Zino, Ye and Cao, "A Coevolutionary Model for Actions and Opinions in
// Social Networks" (59th IEEE Conference on Decision and Control, 2020). On the {-1,+1} action scale and [-1,1]
// opinions (converted from and to the states' [0,1] and {0,1}), with a single
// row-stochastic W (the step's graph), one uniformly chosen free agent per
// tick applies
//
//	x_i <- +1 if lambda_i o_i + (1-lambda_i)(1+Alpha) sum_j W_ij (1+x_j) > (1-lambda_i) sum_j W_ij (1-x_j)
//	       -1 if <, unchanged if equal
//	o_i <- (1 - gamma_i) sum_j W_ij ((1 - mu_i) o_j + mu_i x_j) + gamma_i u_i
//
// where u_i is agent i's prejudice (external input) on [-1,1], its initial
// opinion unless Us is set. Deterministic apart from the order of revisions
// (which Replay can fix). An agent without neighbours keeps its state. One
// recorded step is TicksPerStep ticks (n when 0). Checked tick for tick
// against the authors' CAOcdc.m (see the papers package).
type CDC2020 struct {
	Alpha        float64   // advantage of the new action, >= 0
	Lambda       float64   // weight of one's own opinion in the action choice, [0,1]
	Lambdas      []float64 `json:",omitempty"`
	Mu           float64   // weight of neighbours' actions in the opinion update, [0,1]
	Mus          []float64 `json:",omitempty"`
	Gamma        float64   // weight of the prejudice, [0,1]
	Gammas       []float64 `json:",omitempty"`
	Us           []float64 `json:",omitempty"` // per-agent prejudice on [-1,1]; nil: initial opinions
	TicksPerStep int
	Replay       *Replay `json:"-"` // fixed revision order; nil draws it from the seed
}

// Validate checks the parameters for n agents.
func (m CDC2020) Validate(n int) error {
	return checkParams("CDC2020", n,
		param{"Alpha", m.Alpha, nil, 0, math.Inf(1)},
		param{"Lambda", m.Lambda, m.Lambdas, 0, 1},
		param{"Mu", m.Mu, m.Mus, 0, 1},
		param{"Gamma", m.Gamma, m.Gammas, 0, 1},
		param{"Us", 0, m.Us, -1, 1})
}

// prejudice returns u_i on [-1,1].
func prejudice(us []float64, env *agent.Env, i int) float64 {
	if us != nil {
		return us[i]
	}
	return 2*env.Initial.Opinion[i] - 1
}

// Step implements agent.Model.
func (m CDC2020) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	n := cur.N()
	o, x := toSigned(next)
	g := env.Graph
	err := revise(ctx, "CDC2020", env, n, m.TicksPerStep, m.Replay, false, func(i int, _ *ticker) {
		if len(g.Neighbors(i)) == 0 {
			return
		}
		lam := pick(m.Lambdas, m.Lambda, i)
		plus, _ := rowMean(g, i, x) // sum_j W_ij x_j
		up := lam*o[i] + (1-lam)*(1+m.Alpha)*(1+plus)
		down := (1 - lam) * (1 - plus)
		switch {
		case up > down:
			x[i] = 1
		case up < down:
			x[i] = -1
		}
		mu, gam := pick(m.Mus, m.Mu, i), pick(m.Gammas, m.Gamma, i)
		ao, _ := rowMean(g, i, o)
		o[i] = (1-gam)*((1-mu)*ao+mu*plus) + gam*prejudice(m.Us, env, i)
	})
	fromSigned(next, o, x)
	return err
}

// toSigned converts a state to opinions on [-1,1] and actions in {-1,+1}.
func toSigned(s *agent.State) (o, x []float64) {
	o = make([]float64, s.N())
	x = make([]float64, s.N())
	for i := range o {
		o[i] = 2*s.Opinion[i] - 1
		x[i] = 2*float64(s.Action[i]) - 1
	}
	return o, x
}

// fromSigned writes signed opinions and actions back into s.
func fromSigned(s *agent.State, o, x []float64) {
	for i := range o {
		s.Opinion[i] = min(max((o[i]+1)/2, 0), 1)
		if x[i] > 0 {
			s.Action[i] = 1
		} else {
			s.Action[i] = 0
		}
	}
}
