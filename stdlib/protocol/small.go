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

// SmallGroups is the small-group protocol (the release's run_social_agent):
// every group of friends on a complete graph, Steps rounds (3), Replicates
// simulations (5) per group.
type SmallGroups struct {
	Scenario   *scenario.Scenario // default scenario.Dishwasher()
	Groups     []pop.Population   // default SyntheticGroups(Scenario, Seed)
	Agents     agent.Model
	Steps      int // default 3
	Replicates int // default 5
	Seed       uint64
	Workers    int
	Quiet      bool
}

// SyntheticGroups returns groups laid out like the release's files: 10
// groups of 3, 15 of 4 and 15 of 5 (165 people), sampled for the scenario,
// each person k of a group holding the scenario's fact k.
func SyntheticGroups(sc *scenario.Scenario, seed uint64) ([]pop.Population, error) {
	var groups []pop.Population
	for _, l := range []struct{ size, count int }{{3, 10}, {4, 15}, {5, 15}} {
		people, err := pop.Synthetic(sc, l.size*l.count, seed+uint64(l.size))
		if err != nil {
			return nil, err
		}
		gs, _ := people.Groups(l.size)
		for _, g := range gs {
			for k := range g {
				g[k].Fact = sc.Fact(k)
			}
		}
		groups = append(groups, gs...)
	}
	return groups, nil
}

// ReleaseGroups reads the groups of one scenario from the release's folder
// of coefficient files, in the order of SyntheticGroups.
func ReleaseGroups(dir string, sc *scenario.Scenario) ([]pop.Population, error) {
	var groups []pop.Population
	for k, path := range pop.ReleaseFiles(dir, sc) {
		size := k + 3
		gs, err := pop.LoadGroupsFile(path, size, sc)
		if err != nil {
			return nil, err
		}
		groups = append(groups, gs...)
	}
	return groups, nil
}

// Run runs every group. In the scripting host it stops when the running
// cell is interrupted.
func (s SmallGroups) Run() ([]*history.Run, error) { return s.RunContext(session.Context()) }

// RunContext runs every group until done or ctx is cancelled. On an error
// the runs completed so far are returned with it.
func (s SmallGroups) RunContext(ctx context.Context) ([]*history.Run, error) {
	if s.Scenario == nil {
		s.Scenario = scenario.Dishwasher()
	}
	if s.Groups == nil {
		groups, err := SyntheticGroups(s.Scenario, s.Seed)
		if err != nil {
			return nil, err
		}
		s.Groups = groups
	}
	if s.Steps == 0 {
		s.Steps = 3
	}
	if s.Replicates == 0 {
		s.Replicates = 5
	}
	groups := make([]float64, len(s.Groups))
	for k := range groups {
		groups[k] = float64(k)
	}
	return runAll(ctx, experiment.Experiment{
		Name: "small-groups", Params: []experiment.Param{experiment.Values("group", groups...)},
		Replicates: s.Replicates, Seed: s.Seed, Workers: s.Workers, Quiet: s.Quiet,
		Build: func(p experiment.Point) (sim.Study, error) {
			k := p.Int("group")
			g := s.Groups[k]
			return sim.Study{
				Name: fmt.Sprintf("group%d-n%d", k, len(g)), Scenario: s.Scenario, Network: netw.Complete(len(g)),
				People: g, Agents: s.Agents, Steps: s.Steps, Workers: s.Workers,
				Labels: map[string]string{"protocol": "small-groups", "size": fmt.Sprint(len(g))},
			}, nil
		},
	}, s.Agents)
}
