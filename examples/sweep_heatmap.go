//go:build ignore

// A parameter sweep: final adoption and mean opinion of SAM agents over the
// rationality beta and the weight of observed actions mu, drawn as heat
// maps. All points and replicates run in parallel on every core.
//
//	llmsam examples/sweep_heatmap.go -out out/sweep
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/flagcheck"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func main() {
	out := flag.String("out", "out/sweep", "output folder")
	reps := flag.Int("replicates", 4, "replicates per grid point")
	flag.Parse()
	// Flag checks, before any work.
	if err := flagcheck.All(
		flagcheck.Count("replicates", *reps),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	graph, err := netw.ErdosRenyi(101, 0.2, 3)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sweep, err := sim.RunSweep(sim.Sweep{
		Base: sim.Study{Scenario: scenario.WasteSorting(), Network: graph,
			People: pop.MustSynthetic(scenario.WasteSorting(), 101, 3), Steps: 6, Replicates: *reps, Seed: 3},
		XName: "beta (rationality)", Xs: []float64{1, 2, 5, 10, 20, 50},
		YName: "mu (weight of observed actions)", Ys: []float64{0, 0.25, 0.5, 0.75, 1},
		Apply: func(s *sim.Study, beta, mu float64) { s.Agents = theory.SAM{Rule: theory.BetaRule, Beta: beta, Mu: mu} },
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	adoption := sweep.Grid(history.FinalMean(history.Adoption))
	fmt.Printf("final adoption at beta=1: mu=0 %.2f, mu=1 %.2f; at beta=50: mu=0 %.2f, mu=1 %.2f\n",
		adoption[0][0], adoption[4][0], adoption[0][5], adoption[4][5])
	for _, f := range []struct {
		name  string
		value func(*history.Run) float64
		title string
	}{
		{"adoption", history.FinalMean(history.Adoption), "final adoption"},
		{"opinion", history.FinalMean(history.MeanOpinion), "final mean opinion"},
	} {
		path := *out + "/heatmap_" + f.name + ".png"
		if err := plots.HeatMap(sweep, f.value, f.title, 0, 1).Save(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("wrote", path)
	}
}
