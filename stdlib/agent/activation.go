package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
)

// Activation wraps a Model so that each agent acts at a step only with a
// probability, as in OASIS (Yang et al., 2024), where each of 10^6 users
// acts in a given hour with the probability of their hourly activity
// profile. Agent i acts at step t with probability p_i(t) = base_i x
// Profile(t), where base_i is Rates[i] when Rates is set, else Rate (1 when
// Rate is 0 and a Profile is set). Inactive agents keep their state; the
// wrapped model sees them as committed at that step (Env.Committed), so LLM
// agents send no request for them. The draws come from the agents' own
// streams (a function of the replicate seed, the step and the agent, salted
// apart from the streams models use), so a run is reproducible and the
// draws do not depend on the number of goroutines.
type Activation struct {
	Model   Model
	Rate    float64                // probability shared by every agent, in [0, 1]
	Rates   []float64              // per-agent probability, in [0, 1]; overrides Rate
	Profile func(step int) float64 // multiplies the base probability at each step (e.g. an hourly profile); result in [0, 1]
}

// activationSalt separates activation draws from the models' own streams.
const activationSalt = 0x61637469766174

// Active returns which of n agents act at env's step, in dst when it has
// length n (nil allocates). It is what Step uses; scripts call it to count
// or show who acts.
func (a Activation) Active(env *Env, n int, dst []bool) []bool {
	if len(dst) != n {
		dst = make([]bool, n)
	}
	mult := 1.0
	if a.Profile != nil {
		mult = a.Profile(env.Step)
	}
	base := a.Rate
	if base == 0 && a.Rates == nil && a.Profile != nil {
		base = 1
	}
	key := StepKey(env.Seed^activationSalt, env.Step)
	ParallelFor(n, env.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			p := base
			if a.Rates != nil {
				p = a.Rates[i]
			}
			s := StreamAt(key, i)
			dst[i] = s.Float64() < p*mult
		}
	})
	return dst
}

// Step implements Model: it draws who acts, steps the wrapped model with
// the inactive agents held as committed, and restores their state.
func (a Activation) Step(ctx context.Context, env *Env, cur, next *State) error {
	if a.Profile != nil {
		if p := a.Profile(env.Step); !(p >= 0 && p <= 1) {
			return fmt.Errorf("activation: Profile(%d) = %g, want a probability in [0, 1]", env.Step, p)
		}
	}
	n := cur.N()
	active := a.Active(env, n, nil)
	held := make([]bool, n)
	acting := 0
	for i, act := range active {
		held[i] = !act || env.IsCommitted(i)
		if !held[i] {
			acting++
		}
	}
	if acting == 0 {
		return nil // next already holds cur
	}
	inner := *env
	inner.Committed = held
	if err := a.Model.Step(ctx, &inner, cur, next); err != nil {
		return err
	}
	ParallelFor(n, env.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if !active[i] {
				next.Opinion[i] = cur.Opinion[i]
				next.Action[i] = cur.Action[i]
				if next.Thought != nil {
					if cur.Thought != nil {
						next.Thought[i] = cur.Thought[i]
					} else {
						next.Thought[i] = ""
					}
				}
			}
		}
	})
	return nil
}

// Validate checks the probabilities against a population of n agents, and
// the wrapped model when it validates itself.
func (a Activation) Validate(n int) error {
	switch {
	case a.Model == nil:
		return fmt.Errorf("activation: Model is nil: wrap a model such as theory.SAM{} or LLM agents")
	case a.Rates == nil && !(a.Rate >= 0 && a.Rate <= 1):
		return fmt.Errorf("activation: Rate = %g, want a probability in [0, 1]", a.Rate)
	case a.Rates == nil && a.Rate == 0 && a.Profile == nil:
		return fmt.Errorf("activation: Rate is 0 and there is no Profile or Rates: no agent would ever act")
	case a.Rates != nil && len(a.Rates) != n:
		return fmt.Errorf("activation: %d Rates for %d agents", len(a.Rates), n)
	}
	for i, p := range a.Rates {
		if !(p >= 0 && p <= 1) || math.IsNaN(p) {
			return fmt.Errorf("activation: Rates[%d] = %g, want a probability in [0, 1]", i, p)
		}
	}
	if v, ok := a.Model.(Validator); ok {
		return v.Validate(n)
	}
	return nil
}

// IOBound passes on the wrapped model's answer.
func (a Activation) IOBound() bool {
	m, ok := a.Model.(IOBound)
	return ok && m.IOBound()
}

// Name describes the wrapped model, for manifests.
func (a Activation) Name() string {
	name := fmt.Sprintf("%T", a.Model)
	if m, ok := a.Model.(interface{ Name() string }); ok {
		name = m.Name()
	}
	return name + " (selective activation)"
}

// MarshalJSON describes the activation and the wrapped model in a manifest.
func (a Activation) MarshalJSON() ([]byte, error) {
	inner, err := json.Marshal(a.Model)
	if err != nil {
		inner, _ = json.Marshal(fmt.Sprintf("%T", a.Model))
	}
	m := map[string]any{"model": json.RawMessage(inner), "rate": a.Rate, "per_agent_rates": a.Rates != nil, "profile": a.Profile != nil}
	return json.Marshal(m)
}

// HourlyProfile returns a Profile that repeats the given per-step
// probabilities (24 of them for OASIS's hourly activity), starting at step 1.
func HourlyProfile(p []float64) func(step int) float64 {
	q := append([]float64(nil), p...)
	return func(step int) float64 {
		if len(q) == 0 {
			return 1
		}
		k := (step - 1) % len(q)
		if k < 0 {
			k += len(q)
		}
		return q[k]
	}
}
