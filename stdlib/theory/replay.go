package theory

import (
	"fmt"
	"math/rand/v2"
)

// Replay fixes the random choices of an asynchronous model (ZYC2020,
// CDC2020, TAC2023) so that a run can be replayed tick by tick, as the
// papers' scripts do with their stored sequences (the TAC 2023 paper's
// i.mat): tick k of the run (counting from 0 across steps, TicksPerStep per
// step) revises agent Agents[k] (0-based), and a model that draws a uniform
// number at that tick (ZYC2020's log-linear choice: adopt when u <
// P[x = 1]) uses Uniforms[k]. Uniforms may be nil for deterministic models.
// A run needs as many entries as it has ticks; a committed agent in Agents
// is an error.
type Replay struct {
	Agents   []int
	Uniforms []float64
}

// ticker hands out the agent and the uniform draw of each tick.
type ticker struct {
	r    *rand.Rand
	rep  *Replay
	k    int // the run's tick index (with a replay)
	free []int
}

// uniform returns the tick's uniform draw in [0,1).
func (t *ticker) uniform() float64 {
	if t.rep != nil {
		return t.rep.Uniforms[t.k]
	}
	return t.r.Float64()
}

// check reports whether the replay covers ticks [from, from+count) for n
// agents with the given committed ones, and whether the model needs draws.
func (rp *Replay) check(model string, from, count, n int, committed []bool, draws bool) error {
	if len(rp.Agents) < from+count {
		return fmt.Errorf("%s: the replay has %d ticks, the run needs at least %d", model, len(rp.Agents), from+count)
	}
	if draws && len(rp.Uniforms) < from+count {
		return fmt.Errorf("%s: the replay has %d uniform draws, the run needs at least %d", model, len(rp.Uniforms), from+count)
	}
	for k := from; k < from+count; k++ {
		i := rp.Agents[k]
		if i < 0 || i >= n {
			return fmt.Errorf("%s: replay tick %d names agent %d, want one in [0,%d)", model, k, i, n)
		}
		if committed != nil && committed[i] {
			return fmt.Errorf("%s: replay tick %d names committed agent %d, which never revises", model, k, i)
		}
		if draws && !(rp.Uniforms[k] >= 0 && rp.Uniforms[k] <= 1) {
			return fmt.Errorf("%s: replay draw %d = %g, want a value in [0,1]", model, k, rp.Uniforms[k])
		}
	}
	return nil
}
