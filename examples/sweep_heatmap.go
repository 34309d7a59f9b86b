//go:build ignore

// A parameter sweep: final adoption and mean opinion of SAM agents over the
// rationality beta and the weight of observed actions mu, drawn as heat
// maps from the runs table. All points and replicates run in parallel on
// every core.
//
//	llmsam examples/sweep_heatmap.go -out out/sweep
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/experiment"
	"github.com/llmsam/llmsam/stdlib/flagcheck"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	out := flag.String("out", "out/sweep", "output folder")
	reps := flag.Int("replicates", 4, "replicates per grid point")
	ef := experiment.AddFlags(flag.CommandLine, experiment.CSV)
	flag.Parse()
	// Flag checks, before any work.
	if err := flagcheck.All(
		flagcheck.Count("replicates", *reps),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	graph, err := netw.ErdosRenyi(101, 0.2, 3)
	check(err)
	people, err := pop.Synthetic(scenario.WasteSorting(), 101, 3)
	check(err)
	e := experiment.Experiment{
		Name: "beta x mu",
		Params: []experiment.Param{
			experiment.Values("beta", 1, 2, 5, 10, 20, 50),
			experiment.Values("mu", 0, 0.25, 0.5, 0.75, 1),
		},
		Replicates: *reps, Seed: 3, Out: *out,
		Build: func(p experiment.Point) (sim.Study, error) {
			return sim.Study{Scenario: scenario.WasteSorting(), Network: graph, People: people,
				Agents: theory.SAM{Rule: theory.BetaRule, Beta: p.Float("beta"), Mu: p.Float("mu")}, Steps: 6}, nil
		},
	}
	check(ef.Apply(&e))
	res, err := e.Run()
	check(err)
	mean := func(beta, mu string) float64 {
		rows, err := res.Runs.Where("beta", beta)
		check(err)
		rows, err = rows.Where("mu", mu)
		check(err)
		v, err := rows.Floats("final_adoption")
		check(err)
		sum := 0.0
		for _, x := range v {
			sum += x
		}
		return sum / float64(len(v))
	}
	if len(res.Runs.Rows) == len(res.Points)**reps {
		fmt.Printf("final adoption at beta=1: mu=0 %.2f, mu=1 %.2f; at beta=50: mu=0 %.2f, mu=1 %.2f\n",
			mean("1", "0"), mean("1", "1"), mean("50", "0"), mean("50", "1"))
	}
	fmt.Println("wrote", filepath.Join(*out, "runs.csv"))
	for _, f := range []struct{ name, value, title string }{
		{"adoption", "final_adoption", "final adoption"},
		{"opinion", "final_opinion", "final mean opinion"},
	} {
		fig, err := plots.HeatMap(res.Runs, f.value, "beta", "mu", f.title, 0, 1)
		check(err)
		path := filepath.Join(*out, "heatmap_"+f.name+".png")
		check(fig.Save(path))
		fmt.Println("wrote", path)
	}
}
