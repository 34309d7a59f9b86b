package theory

import (
	"context"
	"math"

	"github.com/llmsam/llmsam/stdlib/agent"
)

// The classical models below move opinions only; actions stay as they are
// unless the model says otherwise (the voter model copies actions).

// DeGroot is the averaging model of DeGroot, "Reaching a consensus", JASA 69,
// 118 (1974): o(t+1) = W o(t), with W the row-stochastic matrix of the step's
// graph made lazy by SelfWeight: W = SelfWeight I + (1 - SelfWeight) D^-1 A.
// On a connected aperiodic graph opinions reach the consensus pi^T o(0) where
// pi is W's normalised left Perron eigenvector (pi_i proportional to d_i for
// an undirected unweighted graph). Cost O(n + m) per step.
type DeGroot struct {
	SelfWeight float64 // in [0,1): weight of one's own opinion; > 0 makes W aperiodic
}

// Validate checks the parameters.
func (m DeGroot) Validate(n int) error {
	return checkParams("DeGroot", n, param{"SelfWeight", m.SelfWeight, nil, 0, 1})
}

// Step implements agent.Model.
func (m DeGroot) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	agent.ParallelFor(cur.N(), env.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if env.IsCommitted(i) {
				continue
			}
			if avg, ok := rowMean(env.Graph, i, cur.Opinion); ok {
				next.Opinion[i] = m.SelfWeight*cur.Opinion[i] + (1-m.SelfWeight)*avg
			}
		}
	})
	return ctx.Err()
}

// FriedkinJohnsen is the model of Friedkin and Johnsen, "Social influence and
// opinions", J. Math. Sociol. 15, 193 (1990):
// o(t+1) = Lambda W o(t) + (I - Lambda) o(0), Lambda = diag(susceptibility),
// W the row-stochastic matrix of the step's graph. When the spectral radius
// of Lambda W is below 1 it converges to o* = (I - Lambda W)^-1 (I - Lambda) o(0).
// An isolated agent keeps its opinion. Cost O(n + m) per step.
type FriedkinJohnsen struct {
	Susceptibility   float64   // in [0,1] for every agent
	Susceptibilities []float64 `json:",omitempty"` // per agent
}

// Validate checks the parameters for n agents.
func (m FriedkinJohnsen) Validate(n int) error {
	return checkParams("FriedkinJohnsen", n, param{"Susceptibility", m.Susceptibility, m.Susceptibilities, 0, 1})
}

// Step implements agent.Model.
func (m FriedkinJohnsen) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	o0 := env.Initial.Opinion
	agent.ParallelFor(cur.N(), env.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if env.IsCommitted(i) {
				continue
			}
			if avg, ok := rowMean(env.Graph, i, cur.Opinion); ok {
				s := pick(m.Susceptibilities, m.Susceptibility, i)
				next.Opinion[i] = s*avg + (1-s)*o0[i]
			}
		}
	})
	return ctx.Err()
}

// HegselmannKrause is the bounded-confidence model of Hegselmann and Krause,
// "Opinion dynamics and bounded confidence", JASSS 5(3) (2002): each agent
// synchronously takes the mean opinion of itself and those neighbours whose
// opinion lies within Epsilon of its own. The classical model uses the
// complete graph. Cost O(n + m) per step.
type HegselmannKrause struct {
	Epsilon  float64   // confidence bound, >= 0
	Epsilons []float64 `json:",omitempty"`
}

// Validate checks the parameters for n agents.
func (m HegselmannKrause) Validate(n int) error {
	return checkParams("HegselmannKrause", n, param{"Epsilon", m.Epsilon, m.Epsilons, 0, math.Inf(1)})
}

// Step implements agent.Model.
func (m HegselmannKrause) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	o := cur.Opinion
	agent.ParallelFor(cur.N(), env.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if env.IsCommitted(i) {
				continue
			}
			eps := pick(m.Epsilons, m.Epsilon, i)
			sum, k := o[i], 1
			for _, j := range env.Graph.Neighbors(i) {
				if math.Abs(o[j]-o[i]) <= eps {
					sum += o[j]
					k++
				}
			}
			next.Opinion[i] = sum / float64(k)
		}
	})
	return ctx.Err()
}

// Deffuant is the bounded-confidence pair model of Deffuant, Neau, Amblard
// and Weisbuch, "Mixing beliefs among interacting agents", Adv. Complex Syst.
// 3, 87 (2000): at each tick a random agent i and a random neighbour j whose
// opinions differ by less than Epsilon move toward each other by the factor
// M: o_i += M (o_j - o_i), o_j += M (o_i - o_j). A committed agent does not
// move but still pulls. One recorded step is TicksPerStep ticks (n when 0).
type Deffuant struct {
	Epsilon      float64 // confidence bound, >= 0
	M            float64 // convergence factor in (0, 0.5]; 0 means 0.5
	TicksPerStep int
}

// Validate checks the parameters.
func (m Deffuant) Validate(n int) error {
	return checkParams("Deffuant", n, param{"Epsilon", m.Epsilon, nil, 0, math.Inf(1)}, param{"M", m.M, nil, 0, 0.5})
}

// Step implements agent.Model.
func (m Deffuant) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	mu := m.M
	if mu == 0 {
		mu = 0.5
	}
	o := next.Opinion
	r := env.Global()
	n := cur.N()
	for range ticks(m.TicksPerStep, n) {
		i := r.IntN(n)
		nb := env.Graph.Neighbors(i)
		if len(nb) == 0 {
			continue
		}
		j := int(nb[r.IntN(len(nb))])
		oi, oj := o[i], o[j]
		if math.Abs(oi-oj) >= m.Epsilon {
			continue
		}
		if !env.IsCommitted(i) {
			o[i] = oi + mu*(oj-oi)
		}
		if !env.IsCommitted(j) {
			o[j] = oj + mu*(oi-oj)
		}
	}
	return ctx.Err()
}

// Voter is the voter model (Clifford and Sudbury, Biometrika 60, 581, 1973;
// Holley and Liggett, Ann. Probab. 3, 643, 1975): at each tick a random free
// agent copies the action and opinion of a random neighbour. One recorded
// step is TicksPerStep ticks (n when 0).
type Voter struct {
	TicksPerStep int
}

// Step implements agent.Model.
func (m Voter) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	return revise(ctx, "Voter", env, cur.N(), m.TicksPerStep, nil, false, func(i int, tk *ticker) {
		nb := env.Graph.Neighbors(i)
		if len(nb) == 0 {
			return
		}
		j := nb[tk.r.IntN(len(nb))]
		next.Action[i] = next.Action[j]
		next.Opinion[i] = next.Opinion[j]
	})
}
