//go:build ignore

// Theory sweeps (the study's figure group 6): heat maps of the final
// adoption and mean opinion over two parameters, as in the theory papers.
// (1) The Zino-Ye-Cao (2020) model over lambda and mu with one committed
// innovator (n agents on BA(m=4), 4 n^2 ticks); (2) SAM over the dominant
// agent's message strength s and the rationality beta, on the study's
// 101-agent BA network with the dishwasher population, 5 rounds.
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
	"github.com/llmsam/llmsam/stdlib/flagcheck"
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
	flag.Parse()
	// Flag checks, before any work.
	if err := flagcheck.All(
		flagcheck.Count("n", *n),
		flagcheck.Count("replicates", *reps),
		flagcheck.Formats("formats", *formats),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	sc, err := scenario.ByName(*scen)
	check(err)
	exts := strings.Split(*formats, ",")
	save := func(sw *history.Sweep, name, what string, value func(*history.Run) float64) {
		fig := plots.HeatMap(sw, value, what, 0, 1)
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
	zyc, err := sim.RunSweep(sim.Sweep{
		Base: sim.Study{Network: graph, People: people, Steps: *n + 1, Replicates: *reps, Seed: *seed,
			Committed: []history.Commit{{Agent: 0, Opinion: 1, Action: 1}}},
		XName: "lambda (weight of one's own opinion)", Xs: []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1},
		YName: "mu (weight of observed actions)", Ys: []float64{0, 0.002, 0.004, 0.006, 0.008, 0.01},
		Apply: func(s *sim.Study, lambda, mu float64) {
			s.Agents = theory.ZYC2020{Alpha: 0.5, Beta: 20, Lambda: lambda, Mu: mu, TicksPerStep: 4 * *n}
		},
	})
	check(err)
	save(zyc, "zyc2020_adoption", "Zino-Ye-Cao 2020: final adoption", history.FinalMean(history.Adoption))
	save(zyc, "zyc2020_opinion", "Zino-Ye-Cao 2020: final mean opinion", history.FinalMean(history.MeanOpinion))

	// (2) SAM: dominant-agent strength x rationality.
	ba, err := netw.BarabasiAlbert(101, 10, *seed)
	check(err)
	sam, err := sim.RunSweep(sim.Sweep{
		Base: sim.Study{Scenario: sc, Network: ba, People: pop.MustSynthetic(sc, 101, *seed),
			Steps: 6, Replicates: *reps, Seed: *seed},
		XName: "s (dominant agent's message strength)", Xs: []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1},
		YName: "beta (rationality)", Ys: []float64{1, 2, 5, 10, 20, 50},
		Apply: func(s *sim.Study, strength, beta float64) {
			custom := *sc
			custom.Rounds = []scenario.Round{{Name: "initial"}}
			for range 5 {
				custom.Rounds = append(custom.Rounds, scenario.Round{Name: "message", Strength: strength})
			}
			s.Scenario = &custom
			s.Agents = theory.SAM{Beta: beta}
		},
	})
	check(err)
	save(sam, "sam_adoption", "SAM, "+sc.Name+", BA 101: final adoption", history.FinalMean(history.Adoption))
	save(sam, "sam_opinion", "SAM, "+sc.Name+", BA 101: final mean opinion", history.FinalMean(history.MeanOpinion))
}
