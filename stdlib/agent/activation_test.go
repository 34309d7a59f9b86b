package agent_test

import (
	"context"
	"math"
	"testing"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// moveAll sets every free agent's opinion to 1 and counts the agents it was
// asked to move.
type moveAll struct{ moved *int }

func (m moveAll) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	for i := range cur.N() {
		if !env.IsCommitted(i) {
			next.Opinion[i], next.Action[i] = 1, 1
			*m.moved++
		}
	}
	return nil
}

func TestActivationKeepsInactiveAgentsAndIsReproducible(t *testing.T) {
	const n = 20000
	g, _ := netw.BarabasiAlbert(n, 3, 1)
	people := pop.MustSynthetic(scenario.Dishwasher(), n, 1)
	run := func(workers int) [][]float64 {
		r, err := sim.Run(sim.Study{Network: g, People: people, Steps: 4, Seed: 5, Quiet: true, Workers: workers,
			Agents: agent.Activation{Model: theory.SAM{}, Rate: 0.3}})
		if err != nil {
			t.Fatal(err)
		}
		var out [][]float64
		for _, s := range r.Replicates[0].States {
			out = append(out, s.Opinion)
		}
		return out
	}
	a, b := run(1), run(2)
	for step := range a {
		for i := range a[step] {
			if a[step][i] != b[step][i] {
				t.Fatalf("step %d agent %d: %g with 1 worker, %g with 2", step, i, a[step][i], b[step][i])
			}
		}
	}
	// The agents that did not act kept their opinion exactly; the share that
	// changed is close to the rate (SAM moves nearly every active agent).
	changed := 0
	for i := range n {
		if a[1][i] != a[0][i] {
			changed++
		}
	}
	if share := float64(changed) / n; share > 0.3+0.02 || share < 0.25 {
		t.Fatalf("%.3f of agents changed at rate 0.3", share)
	}
}

func TestActivationDrawsMatchRatesAndProfile(t *testing.T) {
	const n = 100000
	moved := 0
	rates := make([]float64, n)
	for i := range rates {
		rates[i] = float64(i%2) * 0.5 // even agents never act, odd ones half the time
	}
	prof := agent.HourlyProfile([]float64{1, 0.2})
	m := agent.Activation{Model: moveAll{&moved}, Rates: rates, Profile: prof}
	if err := m.Validate(n); err != nil {
		t.Fatal(err)
	}
	for step, want := range map[int]float64{1: 0.25, 2: 0.05, 3: 0.25} {
		moved = 0
		cur := agent.NewState(n)
		next := cur.Clone()
		env := &agent.Env{Step: step, Seed: 9, Workers: 2}
		if err := m.Step(context.Background(), env, cur, next); err != nil {
			t.Fatal(err)
		}
		ones := 0
		for i := range n {
			if next.Opinion[i] == 1 {
				ones++
				if i%2 == 0 {
					t.Fatalf("agent %d acted at rate 0", i)
				}
			}
		}
		if ones != moved {
			t.Fatalf("step %d: %d agents changed but the model moved %d", step, ones, moved)
		}
		if got := float64(moved) / n; math.Abs(got-want) > 0.01 {
			t.Fatalf("step %d: %.3f acted, want %.3f", step, got, want)
		}
	}
}

func TestActivationRejectsBadRates(t *testing.T) {
	for _, tc := range []agent.Activation{
		{Model: theory.SAM{}, Rate: 1.5},
		{Model: theory.SAM{}},
		{Model: theory.SAM{}, Rates: []float64{0.5}},
		{Model: theory.SAM{}, Rates: []float64{0.5, math.NaN()}},
		{Rate: 0.5},
	} {
		if err := tc.Validate(2); err == nil {
			t.Errorf("%+v: no error", tc)
		}
	}
	_, err := sim.Run(sim.Study{Network: netw.Complete(3), People: pop.MustSynthetic(scenario.Dishwasher(), 3, 1), Quiet: true,
		Agents: agent.Activation{Model: theory.SAM{}, Profile: func(int) float64 { return 2 }}})
	if err == nil {
		t.Fatal("a profile above 1 must stop the run")
	}
}
