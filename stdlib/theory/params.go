package theory

import (
	"context"
	"fmt"

	"github.com/llmsam/llmsam/stdlib/agent"

	"github.com/llmsam/llmsam/stdlib/netw"
)

// pick returns per[i] when a per-agent slice is given, else def.
func pick(per []float64, def float64, i int) float64 {
	if per != nil {
		return per[i]
	}
	return def
}

// param is one parameter to validate: its scalar value, optional per-agent
// values and admissible closed range.
type param struct {
	name   string
	value  float64
	per    []float64
	lo, hi float64
}

func checkParams(model string, n int, ps ...param) error {
	for _, p := range ps {
		if p.per != nil && len(p.per) != n {
			return fmt.Errorf("%s: %d per-agent values of %s for %d agents", model, len(p.per), p.name, n)
		}
		vals := p.per
		if vals == nil {
			vals = []float64{p.value}
		}
		for i, v := range vals {
			if !(v >= p.lo && v <= p.hi) {
				where := p.name
				if p.per != nil {
					where = fmt.Sprintf("%s[%d]", p.name, i)
				}
				return fmt.Errorf("%s: %s = %g, want a value in [%g, %g]", model, where, v, p.lo, p.hi)
			}
		}
	}
	return nil
}

// rowMean returns sum_j W_ij v[j] for the row-stochastic W of graph g
// (weights normalised by the row sum, 1/d_i when unweighted) and whether i
// has any neighbour.
func rowMean(g *netw.Graph, i int, v []float64) (float64, bool) {
	nb := g.Neighbors(i)
	if len(nb) == 0 {
		return 0, false
	}
	ws := g.Weights(i)
	sum, norm := 0.0, 0.0
	if ws == nil {
		for _, j := range nb {
			sum += v[j]
		}
		return sum / float64(len(nb)), true
	}
	for k, j := range nb {
		sum += ws[k] * v[j]
		norm += ws[k]
	}
	if norm == 0 {
		return 0, false
	}
	return sum / norm, true
}

// adopterShare returns p_i = sum_j W_ij 1[x_j = 1] on graph g, and whether i
// has any neighbour.
func adopterShare(g *netw.Graph, i int, x []uint8) (float64, bool) {
	nb := g.Neighbors(i)
	if len(nb) == 0 {
		return 0, false
	}
	ws := g.Weights(i)
	if ws == nil {
		c := 0
		for _, j := range nb {
			c += int(x[j])
		}
		return float64(c) / float64(len(nb)), true
	}
	sum, norm := 0.0, 0.0
	for k, j := range nb {
		sum += ws[k] * float64(x[j])
		norm += ws[k]
	}
	if norm == 0 {
		return 0, false
	}
	return sum / norm, true
}

// revise runs one step of an asynchronous model: perStep revisions (n when
// 0), each by a uniformly chosen free (not committed) agent drawn from the
// step's generator, or by the agents of rep when it is not nil. move may
// draw its uniform numbers with tk.uniform (from rep's draws when given).
// draws says whether move does. It stops with ctx's error, checked every
// 4096 revisions.
func revise(ctx context.Context, model string, env *agent.Env, n, perStep int, rep *Replay, draws bool, move func(i int, tk *ticker)) error {
	per := ticks(perStep, n)
	tk := &ticker{r: env.Global(), rep: rep}
	if rep != nil {
		tk.k = (env.Step - 1) * per
		if err := rep.check(model, tk.k, per, n, env.Committed, draws); err != nil {
			return err
		}
	} else {
		tk.free = freeAgents(n, env.Committed)
		if len(tk.free) == 0 {
			return nil
		}
	}
	for t := range per {
		if t%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		var i int
		if rep != nil {
			i = rep.Agents[tk.k]
		} else {
			i = tk.free[tk.r.IntN(len(tk.free))]
		}
		move(i, tk)
		tk.k++
	}
	return ctx.Err()
}

// freeAgents lists the agents that may move (not committed).
func freeAgents(n int, committed []bool) []int {
	free := make([]int, 0, n)
	for i := range n {
		if committed == nil || !committed[i] {
			free = append(free, i)
		}
	}
	return free
}

// ticks returns the number of asynchronous revisions per recorded step.
func ticks(per, n int) int {
	if per > 0 {
		return per
	}
	return n
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + exp(-z))
	}
	e := exp(z)
	return e / (1 + e)
}
