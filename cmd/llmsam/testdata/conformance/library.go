//go:build ignore

// Common library calls: a network, a population, a study with SAM agents,
// its metrics and a figure, as the README shows them. Run by the
// conformance test at the REPL, as a notebook, as a script and with go run.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/metrics"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func main() {
	people := pop.MustSynthetic(scenario.Dishwasher(), 101, 1)
	graph, _ := netw.BarabasiAlbert(101, 10, 1)
	run, err := sim.Run(sim.Study{
		Scenario: scenario.Dishwasher(), Network: graph, People: people,
		Agents: theory.SAM{}, Steps: 3, Replicates: 5, Seed: 1,
		Quiet: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(graph)
	fmt.Println(len(people), run.Steps(), len(run.Replicates))
	mean, sd := run.Band(history.Adoption)
	for t := range mean {
		fmt.Printf("step %d: adoption %.3f +/- %.3f\n", t, mean[t], sd[t])
	}
	final := run.Metrics()[0][2]
	fmt.Printf("mean opinion %.4f, gap %.4f\n", final.MeanOpinion, final.Gap)
	fmt.Printf("final mean adoption %.4f\n", history.FinalMean(history.Adoption)(run))
	snap := metrics.Of(run.Final(), graph)
	fmt.Printf("adoption again %.4f\n", snap.Adoption)
	dir, err := os.MkdirTemp("", "conformance")
	if err != nil {
		log.Fatal(err)
	}
	if err := run.Save(filepath.Join(dir, "run")); err != nil {
		log.Fatal(err)
	}
	back, err := history.Load(filepath.Join(dir, "run"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("loaded", back.Manifest.Model, back.Manifest.Agents)
	if err := plots.Trajectories(run).Save(filepath.Join(dir, "trajectories.png")); err != nil {
		log.Fatal(err)
	}
	fmt.Println("figure saved")
	dyn, err := scenario.ByName("5g")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(dyn.Name, len(dyn.Rounds))
	os.RemoveAll(dir)
}
