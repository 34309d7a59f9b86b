package theory

import (
	"context"
	"fmt"
	"math"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
)

// Weighting selects how ZYC2020 weighs the coordination term of the action
// payoffs against the opinion term.
type Weighting int

const (
	// PaperWeighting is the payoffs as the paper writes them (the default).
	PaperWeighting Weighting = iota
	// CodeWeighting is the authors' released code (CAOf.m, CAOz.m): the
	// coordination term weighs one half of the paper's. It equals
	// PaperWeighting with lambda' = 2 lambda / (1 + lambda) and
	// beta' = beta (1 + lambda) / 2 (see CodeToPaper).
	CodeWeighting
)

// String names the weighting.
func (w Weighting) String() string {
	switch w {
	case PaperWeighting:
		return "paper"
	case CodeWeighting:
		return "code"
	}
	return fmt.Sprintf("Weighting(%d)", int(w))
}

// CodeToPaper returns the (lambda', beta') of the paper's payoffs that give
// the same action probabilities as (lambda, beta) under the released code's
// weighting: lambda' = 2 lambda / (1 + lambda), beta' = beta (1 + lambda) / 2.
func CodeToPaper(lambda, beta float64) (float64, float64) {
	return 2 * lambda / (1 + lambda), beta * (1 + lambda) / 2
}

// ZYC2020Threshold is Theorem 3's threshold of Zino, Ye and Cao (2020) for
// the paper's payoffs at mu = 0 and beta -> infinity on a d-regular
// influence layer: below lambda* = (d - 2 - alpha) / (2d - 2 - alpha) one
// innovator cannot make its neighbours adopt (0.407 for d = 8, alpha = 0.5).
func ZYC2020Threshold(d int, alpha float64) float64 {
	df := float64(d)
	return (df - 2 - alpha) / (2*df - 2 - alpha)
}

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
// graph). With Weighting = CodeWeighting the coordination terms (those in
// p_i) weigh one half, as in the authors' released code. Committed agents
// ("stubborn innovators" with x = o = 1) are never selected; an agent
// without communication neighbours keeps its opinion. The paper's phase
// diagram (n = 200, Alpha 0.5, Beta 20, random regular layers, 4 n^2 ticks)
// is papers.Chaos2020. One recorded step is TicksPerStep ticks (n when 0);
// cost O(d) per tick. Checked tick for tick against the authors' CAOz.m.
type ZYC2020 struct {
	Alpha        float64     // advantage of the new action, >= 0
	Beta         float64     // rationality, >= 0
	Lambda       float64     // weight of one's own opinion in the action payoff, in [0,1]
	Lambdas      []float64   `json:",omitempty"`
	Mu           float64     // weight of observed actions in the opinion update, in [0,1]
	Mus          []float64   `json:",omitempty"`
	Weighting    Weighting   // PaperWeighting (default) or CodeWeighting
	Influence    *netw.Graph `json:"-"` // action layer; nil uses the step's graph
	TicksPerStep int         // revisions per recorded step; 0 means n
	Replay       *Replay     `json:"-"` // fixed revisions and draws; nil draws them from the seed
}

// Validate checks the parameters for n agents.
func (m ZYC2020) Validate(n int) error {
	inf := math.Inf(1)
	if m.Weighting != PaperWeighting && m.Weighting != CodeWeighting {
		return fmt.Errorf("ZYC2020: Weighting = %d, want PaperWeighting or CodeWeighting", int(m.Weighting))
	}
	if m.Influence != nil && m.Influence.N() != n {
		return fmt.Errorf("ZYC2020: influence layer has %d nodes for %d agents", m.Influence.N(), n)
	}
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
	coord := 1.0
	if m.Weighting == CodeWeighting {
		coord = 0.5
	}
	o, x := next.Opinion, next.Action
	return revise(ctx, "ZYC2020", env, cur.N(), m.TicksPerStep, m.Replay, true, func(i int, tk *ticker) {
		lam := pick(m.Lambdas, m.Lambda, i)
		p, _ := adopterShare(a, i, x)
		// pi(1) - pi(0) = lambda (2 o - 1) + c (1 - lambda) ((1 + Alpha) p - (1 - p))
		diff := lam*(2*o[i]-1) + coord*(1-lam)*((1+m.Alpha)*p-(1-p))
		if tk.uniform() < sigmoid(m.Beta*diff) {
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
