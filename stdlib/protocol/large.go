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

// Topology names a network generator.
type Topology struct {
	Name  string
	Graph func(n int, seed uint64) (*netw.Graph, error)
}

// StudyTopologies are the larger-network topologies of the study: BA with
// m = 10, WS with k = 18 and p = 0.3, ER with p = 0.2 (mean degrees 18-20).
func StudyTopologies() []Topology {
	return []Topology{
		{"BA", func(n int, s uint64) (*netw.Graph, error) { return netw.BarabasiAlbert(n, 10, s) }},
		{"WS", func(n int, s uint64) (*netw.Graph, error) { return netw.WattsStrogatz(n, 18, 0.3, s) }},
		{"ER", func(n int, s uint64) (*netw.Graph, error) { return netw.ErdosRenyi(n, 0.2, s) }},
	}
}

// Fixed returns a topology that always uses the given graph, such as the
// release's BA.npy.
func Fixed(name string, g *netw.Graph) Topology {
	return Topology{Name: name, Graph: func(n int, _ uint64) (*netw.Graph, error) {
		if g.N() != n {
			return nil, fmt.Errorf("graph has %d nodes, want %d", g.N(), n)
		}
		return g, nil
	}}
}

// Large is the larger-network protocol (the release's run_large_network):
// for each topology and each window start w, agents w..w+N-1 of the pooled
// population on one graph of that topology (the same graph for all windows
// and replicates, as the release used one fixed BA file), Steps steps and
// Replicates replicates.
type Large struct {
	Scenario   *scenario.Scenario // default scenario.Dishwasher()
	Pool       pop.Population     // pooled population; default 165 synthetic people
	Agents     agent.Model
	N          int        // agents per window; default 101
	Windows    []int      // window starts; default 0, 10, ..., 60
	Topologies []Topology // default StudyTopologies()
	Steps      int        // default 3 (the three rounds)
	Replicates int        // default 5
	Seed       uint64
	Workers    int
	Quiet      bool
}

// LargeResult holds the runs of the protocol: Runs[topology][window].
type LargeResult struct {
	Topologies []string
	Windows    []int
	Graphs     map[string]*netw.Graph
	Runs       map[string][]*history.Run
}

func (l *Large) defaults() error {
	if l.Scenario == nil {
		l.Scenario = scenario.Dishwasher()
	}
	if l.N == 0 {
		l.N = 101
	}
	if l.Pool == nil {
		pool, err := pop.Synthetic(l.Scenario, 165, l.Seed)
		if err != nil {
			return err
		}
		l.Pool = pool
	}
	if l.Windows == nil {
		l.Windows = []int{0, 10, 20, 30, 40, 50, 60}
	}
	if l.Topologies == nil {
		l.Topologies = StudyTopologies()
	}
	if l.Steps == 0 {
		l.Steps = 3
	}
	if l.Replicates == 0 {
		l.Replicates = 5
	}
	return nil
}

// Run runs every topology and window. In the scripting host it stops when
// the running cell is interrupted.
func (l Large) Run() (*LargeResult, error) { return l.RunContext(session.Context()) }

// RunContext runs every topology and window until done or ctx is
// cancelled. On an error the runs completed so far are returned with it.
func (l Large) RunContext(ctx context.Context) (*LargeResult, error) {
	if err := l.defaults(); err != nil {
		return nil, err
	}
	res := &LargeResult{Windows: l.Windows, Graphs: map[string]*netw.Graph{}, Runs: map[string][]*history.Run{}}
	var names []string
	for ti, top := range l.Topologies {
		g, err := top.Graph(l.N, l.Seed+uint64(ti))
		if err != nil {
			return nil, fmt.Errorf("topology %s: %w", top.Name, err)
		}
		res.Topologies = append(res.Topologies, top.Name)
		res.Graphs[top.Name] = g
		names = append(names, top.Name)
	}
	windows := make([]float64, len(l.Windows))
	for k, w := range l.Windows {
		windows[k] = float64(w)
	}
	runs, err := runAll(ctx, experiment.Experiment{
		Name:       "large",
		Params:     []experiment.Param{experiment.Levels("topology", names...), experiment.Values("window", windows...)},
		Replicates: l.Replicates, Seed: l.Seed, Workers: l.Workers, Quiet: l.Quiet,
		Build: func(p experiment.Point) (sim.Study, error) {
			top, w := p.String("topology"), p.Int("window")
			people, err := l.Pool.Window(w, l.N)
			if err != nil {
				return sim.Study{}, fmt.Errorf("topology %s: %w", top, err)
			}
			return sim.Study{
				Name: fmt.Sprintf("%s-w%d", top, w), Scenario: l.Scenario, Network: res.Graphs[top], People: people,
				Agents: l.Agents, Steps: l.Steps, Workers: l.Workers,
				Labels: map[string]string{"protocol": "large"},
			}, nil
		},
	}, l.Agents)
	for _, r := range runs {
		top := r.Manifest.Labels["topology"]
		res.Runs[top] = append(res.Runs[top], r)
	}
	return res, err
}

// Save writes every run under dir/<topology>/window_<w>.
func (r *LargeResult) Save(dir string) error {
	for _, top := range r.Topologies {
		for k, run := range r.Runs[top] {
			if err := run.Save(fmt.Sprintf("%s/%s/window_%d", dir, top, r.Windows[k])); err != nil {
				return err
			}
		}
	}
	return nil
}
