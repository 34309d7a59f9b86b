//go:build ignore

// Theory sweeps (the study's figure group 6): heat maps of the final
// adoption and mean opinion over two parameters, as in the theory papers.
// (1) The Zino-Ye-Cao (2020) model over lambda and mu with one committed
// innovator (n agents on BA(m=4), 4 n^2 ticks); (2) SAM over the dominant
// agent's message strength s and the rationality beta, on the study's
// 101-agent BA network with the dishwasher population, 5 rounds. Each
// sweep's tables (runs.csv: one row per run with its parameters and final
// metrics; metrics.csv per step) go beside the figures, in out/zyc2020 and
// out/sam; -shard i/n runs a share of the points (llmsam merge joins them).
//
//	llmsam scripts/sweeps.go -out out/sweeps
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/experiment"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "sweeps:", err)
		os.Exit(1)
	}
}

func main() {
	out := flag.String("out", "out/sweeps", "output folder")
	n := flag.Int("n", 100, "agents in the Zino-Ye-Cao sweep")
	reps := flag.Int("replicates", 5, "replicates per grid point")
	seed := flag.Uint64("seed", 1, "seed")
	formats := flag.String("formats", "png,pdf", "figure formats")
	scen := flag.String("scenario", "dishwasher", "scenario of the SAM sweep")
	ef := experiment.AddFlags(flag.CommandLine, experiment.NoAgents)
	flag.Parse()
	sc, err := scenario.ByName(*scen)
	check(err)
	exts := strings.Split(*formats, ",")
	run := func(e experiment.Experiment) *experiment.Result {
		check(ef.Apply(&e))
		res, err := e.Run()
		check(err)
		fmt.Println("wrote", filepath.Join(e.Out, "runs.csv")+",", filepath.Join(e.Out, "metrics.csv"))
		return res
	}
	save := func(res *experiment.Result, name, what, value, x, y, xlabel, ylabel string) {
		fig, err := plots.ParamFigure{Kind: "heatmap", Value: value, X: x, Y: y, XLabel: xlabel, YLabel: ylabel,
			Title: what, Lo: 0, Hi: 1}.Draw(res.Runs)
		check(err)
		paths, err := fig.SaveAs(filepath.Join(*out, name), exts...)
		check(err)
		fmt.Println("wrote", strings.Join(paths, ", "))
	}

	// (1) Zino, Ye and Cao (2020): lambda x mu.
	graph, err := netw.BarabasiAlbert(*n, 4, *seed)
	check(err)
	people := make(pop.Population, *n)
	for i := range people {
		people[i] = pop.Person{A: 1.0 / 3, Tau: 1.0 / 3, F: 1.0 / 3, Lambda: 0.5, Opinion0: float64(i%11) / 10}
	}
	zyc := run(experiment.Experiment{
		Name: "zyc2020 lambda x mu", Out: filepath.Join(*out, "zyc2020"), Replicates: *reps, Seed: *seed,
		Params: []experiment.Param{
			experiment.Values("mu", 0, 0.002, 0.004, 0.006, 0.008, 0.01),
			experiment.Values("lambda", 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1),
		},
		Build: func(p experiment.Point) (sim.Study, error) {
			return sim.Study{Network: graph, People: people, Steps: *n + 1,
				Committed: []history.Commit{{Agent: 0, Opinion: 1, Action: 1}},
				Agents:    theory.ZYC2020{Alpha: 0.5, Beta: 20, Lambda: p.Float("lambda"), Mu: p.Float("mu"), TicksPerStep: 4 * *n}}, nil
		},
	})
	const lam, mu = "lambda (weight of one's own opinion)", "mu (weight of observed actions)"
	save(zyc, "zyc2020_adoption", "Zino-Ye-Cao 2020: final adoption", "final_adoption", "lambda", "mu", lam, mu)
	save(zyc, "zyc2020_opinion", "Zino-Ye-Cao 2020: final mean opinion", "final_opinion", "lambda", "mu", lam, mu)

	// (2) SAM: dominant-agent strength x rationality.
	ba, err := netw.BarabasiAlbert(101, 10, *seed)
	check(err)
	people101, err := pop.Synthetic(sc, 101, *seed)
	check(err)
	sam := run(experiment.Experiment{
		Name: "sam s x beta", Out: filepath.Join(*out, "sam"), Replicates: *reps, Seed: *seed,
		Params: []experiment.Param{
			experiment.Values("beta", 1, 2, 5, 10, 20, 50),
			experiment.Values("s", 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1),
		},
		Build: func(p experiment.Point) (sim.Study, error) {
			custom := *sc
			custom.Rounds = []scenario.Round{{Name: "initial"}}
			for range 5 {
				custom.Rounds = append(custom.Rounds, scenario.Round{Name: "message", Strength: p.Float("s")})
			}
			return sim.Study{Scenario: &custom, Network: ba, People: people101, Steps: 6, Agents: theory.SAM{Beta: p.Float("beta")}}, nil
		},
	})
	const str, beta = "s (dominant agent's message strength)", "beta (rationality)"
	save(sam, "sam_adoption", "SAM, "+sc.Name+", BA 101: final adoption", "final_adoption", "s", "beta", str, beta)
	save(sam, "sam_opinion", "SAM, "+sc.Name+", BA 101: final mean opinion", "final_opinion", "s", "beta", str, beta)
}
