package protocol

import (
	"context"
	"fmt"

	"github.com/llmsam/llmsam/internal/session"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/experiment"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

// Dynamic is the dynamic-network protocol (the release's
// run_dynamic_network): N agents (50) of the pooled population per window
// (0, 20, ..., 100) on a Barabasi-Albert graph (m = 5) rewired every step
// (Swaps = 10 edges), Steps steps (10): step 1 asks the round-2 question,
// the steps between are free chat, the last asks the round-3 question.
// With Static, the control: the same first graph without rewiring, over the
// study's 3 rounds.
type Dynamic struct {
	Scenario   *scenario.Scenario
	Pool       pop.Population // default 165 synthetic people
	Agents     agent.Model
	N          int            // default 50
	Windows    []int          // default 0, 20, ..., 100
	M          int            // BA parameter, default 5
	Swaps      int            // edges rewired per step, default 10
	Network    netw.Snapshots // use these snapshots instead of generating them (the release's BA_dynamic.npy)
	Steps      int            // default 10 (3 with Static)
	Static     bool
	Replicates int // default 5
	Seed       uint64
	Workers    int
	Quiet      bool
}

// Run runs every window. In the scripting host it stops when the running
// cell is interrupted.
func (d Dynamic) Run() ([]*history.Run, error) { return d.RunContext(session.Context()) }

// RunContext runs every window until done or ctx is cancelled. On an error
// the runs completed so far are returned with it.
func (d Dynamic) RunContext(ctx context.Context) ([]*history.Run, error) {
	if d.Scenario == nil {
		d.Scenario = scenario.Dishwasher()
	}
	if d.N == 0 {
		d.N = 50
	}
	if d.Pool == nil {
		pool, err := pop.Synthetic(d.Scenario, 165, d.Seed)
		if err != nil {
			return nil, err
		}
		d.Pool = pool
	}
	if d.Windows == nil {
		d.Windows = []int{0, 20, 40, 60, 80, 100}
	}
	if d.M == 0 {
		d.M = 5
	}
	if d.Swaps == 0 {
		d.Swaps = 10
	}
	if d.Steps == 0 {
		d.Steps = 10
		if d.Static {
			d.Steps = 3
		}
	}
	if d.Replicates == 0 {
		d.Replicates = 5
	}
	nw := d.Network
	if nw == nil {
		base, err := netw.BarabasiAlbert(d.N, d.M, d.Seed)
		if err != nil {
			return nil, err
		}
		if nw, err = netw.Rewire(base, d.Swaps, d.Steps, d.Seed); err != nil {
			return nil, err
		}
	}
	if err := nw.Validate(); err != nil {
		return nil, err
	}
	var network netw.Network = nw
	kind := "dynamic"
	if d.Static {
		network, kind = nw.At(0), "static"
	}
	windows := make([]float64, len(d.Windows))
	for k, w := range d.Windows {
		windows[k] = float64(w)
	}
	return runAll(ctx, experiment.Experiment{
		Name: kind, Params: []experiment.Param{experiment.Values("window", windows...)},
		Replicates: d.Replicates, Seed: d.Seed, Workers: d.Workers, Quiet: d.Quiet,
		Build: func(p experiment.Point) (sim.Study, error) {
			w := p.Int("window")
			people, err := d.Pool.Window(w, d.N)
			if err != nil {
				return sim.Study{}, err
			}
			return sim.Study{
				Name: fmt.Sprintf("%s-w%d", kind, w), Scenario: d.Scenario, Network: network, People: people,
				Agents: d.Agents, Steps: d.Steps, Workers: d.Workers,
				Labels: map[string]string{"protocol": kind},
			}, nil
		},
	}, d.Agents)
}
