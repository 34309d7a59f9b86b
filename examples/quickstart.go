//go:build ignore

// Quick start: the dishwasher scenario on a 101-person Barabasi-Albert
// network with SAM theory agents, 3 rounds, 5 replicates.
//
//	llmsam examples/quickstart.go
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func main() {
	out := flag.String("out", "out/quickstart", "output folder")
	flag.Parse()

	people := pop.MustSynthetic(scenario.Dishwasher(), 101, 1)
	graph, err := netw.BarabasiAlbert(101, 10, 1)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	run, err := sim.Run(sim.Study{
		Name:       "quickstart",
		Scenario:   scenario.Dishwasher(),
		Network:    graph,
		People:     people,
		Agents:     theory.SAM{}, // the action rule fitted to the real answers
		Steps:      3,
		Replicates: 5,
		Seed:       1,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	adoption, sd := run.Band(history.Adoption)
	opinion, _ := run.Band(history.MeanOpinion)
	for t := range adoption {
		fmt.Printf("round %d: adoption %.2f ± %.2f, mean opinion %.1f / 10\n", t+1, adoption[t], sd[t], 10*opinion[t])
	}
	if err := run.Save(*out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := plots.Trajectories(run).Save(*out + "/trajectories.png"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("wrote", *out+"/trajectories.png")
	fmt.Println("run directory in", *out)
}
