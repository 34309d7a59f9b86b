//go:build ignore

// An experiment over three parameters: how final adoption and mean opinion
// of SAM agents depend on the topology (BA, WS, ER), the dominant agent's
// message strength s and the rationality beta, with several replicates per
// point. It writes runs.csv (one row per run: run, point, topology, s,
// beta, replicate, seed, steps and the final metrics), metrics.csv (per run
// and step), agents.csv (per run, step and agent; -agents parquet for
// agents.parquet) and figures drawn from runs.csv.
//
//	llmsam examples/experiment.go -out out/experiment
//
// On a cluster every process runs its share of the points, and merge gives
// the same files:
//
//	llmsam examples/experiment.go -out out/shard1 -shard 1/3   (2/3, 3/3 likewise)
//	llmsam merge out/merged out/shard1 out/shard2 out/shard3
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
		fmt.Fprintln(os.Stderr, "experiment:", err)
		os.Exit(1)
	}
}

func main() {
	out := flag.String("out", "out/experiment", "output folder")
	n := flag.Int("n", 101, "agents")
	reps := flag.Int("replicates", 3, "replicates per point")
	seed := flag.Uint64("seed", 1, "seed")
	formats := flag.String("formats", "png", "figure formats")
	ef := experiment.AddFlags(flag.CommandLine, experiment.CSV)
	flag.Parse()
	// Flag checks, before any work.
	if err := flagcheck.All(
		flagcheck.Count("n", *n),
		flagcheck.Count("replicates", *reps),
		flagcheck.Formats("formats", *formats),
		ef.Check(),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	sc := scenario.Dishwasher()
	people, err := pop.Synthetic(sc, *n, *seed)
	check(err)
	ba, err := netw.BarabasiAlbert(*n, 10, *seed)
	check(err)
	ws, err := netw.WattsStrogatz(*n, 18, 0.3, *seed)
	check(err)
	er, err := netw.ErdosRenyi(*n, 0.2, *seed)
	check(err)
	graphs := map[string]*netw.Graph{"BA": ba, "WS": ws, "ER": er}

	e := experiment.Experiment{
		Name: "topology x s x beta",
		Params: []experiment.Param{
			experiment.Levels("topology", "BA", "WS", "ER"),
			experiment.Values("s", 0, 0.25, 0.5, 0.75, 1),
			experiment.Values("beta", 2, 10, 50),
		},
		Replicates: *reps, Seed: *seed, Out: *out,
		Build: func(p experiment.Point) (sim.Study, error) {
			custom := *sc
			custom.Rounds = []scenario.Round{{Name: "initial"}}
			for range 4 {
				custom.Rounds = append(custom.Rounds, scenario.Round{Name: "message", Strength: p.Float("s")})
			}
			return sim.Study{Scenario: &custom, Network: graphs[p.String("topology")], People: people,
				Agents: theory.SAM{Rule: theory.BetaRule, Beta: p.Float("beta")}, Steps: 5}, nil
		},
	}
	check(ef.Apply(&e))
	res, err := e.Run()
	if err != nil {
		fmt.Fprintf(os.Stderr, "experiment: stopped after %d of %d runs (the tables in %s hold them): %v\n", res.Done, res.Total, *out, err)
		os.Exit(1)
	}
	fmt.Printf("shard %s: %d runs (%d of %d points x %d replicates), %d agents, %d steps each\n",
		e.Shard, res.Done, res.Total / *reps, len(res.Points), *reps, *n, 5)
	written := []string{filepath.Join(*out, "runs.csv"), filepath.Join(*out, "metrics.csv")}
	if f := e.Agents.File(); f != "" {
		written = append(written, filepath.Join(*out, f))
	}
	fmt.Println("wrote", strings.Join(written, ", "))
	paths, err := plots.SaveParamFigures(*out, strings.Split(*formats, ","),
		plots.ParamFigure{Name: "adoption_by_s", Value: "final_adoption", X: "s", By: "topology", Facet: "beta",
			Title: "SAM, " + sc.Name + ", final adoption", Lo: 0, Hi: 1},
		plots.ParamFigure{Name: "opinion_by_s", Value: "final_opinion", X: "s", By: "topology", Facet: "beta",
			Band: "ci95", Title: "SAM, " + sc.Name + ", final mean opinion", YLabel: "final mean opinion (answer 0-10)",
			Scale: 10, Lo: 0, Hi: 10},
		plots.ParamFigure{Name: "adoption_heatmap", Kind: "heatmap", Value: "final_adoption", X: "s", Y: "beta",
			Title: "final adoption (all topologies)", Lo: 0, Hi: 1})
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))
}
