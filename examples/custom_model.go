//go:build ignore

// A model written in the script: agents implement the stdlib's agent.Model
// interface. Here each agent moves its opinion a step toward the share of
// its friends who adopt, and adopts when that share passes its personal
// threshold lambda: a threshold model of complex contagion (Granovetter,
// "Threshold models of collective behavior", AJS 83, 1978).
//
//	llmsam examples/custom_model.go
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

// Threshold adopts when enough friends adopt.
type Threshold struct {
	Rate float64 // how far opinions move toward the friends' adoption share
}

// Step implements agent.Model.
func (m Threshold) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	for i := range cur.Opinion {
		friends := env.Graph.Neighbors(i)
		if len(friends) == 0 || env.IsCommitted(i) {
			continue
		}
		adopters := 0
		for _, j := range friends {
			adopters += int(cur.Action[j])
		}
		share := float64(adopters) / float64(len(friends))
		next.Opinion[i] = cur.Opinion[i] + m.Rate*(share-cur.Opinion[i])
		if share >= env.People[i].Lambda {
			next.Action[i] = 1
		}
	}
	return nil
}

func main() {
	flag.Parse() // no flags; -h prints the usage
	graph, err := netw.WattsStrogatz(300, 6, 0.05, 2)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	people := pop.MustSynthetic(scenario.FiveG(), 300, 2)
	// In the interpreter, give a script-defined model its interface type
	// before placing it in a struct literal of a compiled package.
	var model agent.Model = Threshold{Rate: 0.3}
	run, err := sim.Run(sim.Study{Network: graph, People: people, Agents: model,
		Steps: 8, Replicates: 2, Seed: 2,
		Committed: []history.Commit{{Agent: 0, Opinion: 1, Action: 1}, {Agent: 1, Opinion: 1, Action: 1}}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	adoption, _ := run.Band(history.Adoption)
	for t, a := range adoption {
		fmt.Printf("step %d: adoption %.3f\n", t, a)
	}
}
