//go:build ignore

// Larger networks (the study's figure group 3): 101 agents, windows of the
// pooled population on Barabasi-Albert (m = 10), Watts-Strogatz (k = 18,
// p = 0.3) and Erdos-Renyi (p = 0.2) graphs, 3 rounds, 5 seeds, with SAM
// theory agents. Writes adoption and opinion trajectories (mean +/- sd over
// windows and seeds), final opinion histograms, the network coloured by
// final opinion, opinion change vs degree, and a run directory per
// topology and window. With -model (or -replay and a cache) the agents are
// LLMs instead.
//
//	llmsam scripts/large_network.go -out out/large
//	go run scripts/large_network.go -out out/large
//	llmsam scripts/large_network.go -model Qwen/Qwen2.5-7B-Instruct -base-url http://localhost:8000/v1 -cache qwen.db
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/protocol"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "large_network:", err)
		os.Exit(1)
	}
}

func main() {
	llmCfg := llm.AddFlags(flag.CommandLine)
	out := flag.String("out", "out/large", "output folder")
	scen := flag.String("scenario", "dishwasher", "scenario: dishwasher, waste or 5g (or 1, 2, 3)")
	coeff := flag.String("coeff", "", "folder with the release's coeff{E}_{N}.csv files (default: built-in synthetic population)")
	ba := flag.String("ba", "", "use this .npy adjacency file (such as the release's BA.npy) for the BA topology")
	reps := flag.Int("replicates", 5, "replicates (seeds) per window")
	seed := flag.Uint64("seed", 1, "base seed")
	beta := flag.Float64("beta", theory.DefaultBeta, "SAM rationality beta")
	formats := flag.String("formats", "png,pdf", "figure formats, comma separated (png, svg, pdf)")
	nwin := flag.Int("windows", 0, "use only the first N windows of 0, 10, ..., 60 (0: all 7)")
	flag.Parse()

	sc, err := scenario.ByName(*scen)
	check(err)
	agents, kind, done, err := llmagent.OrTheory(*llmCfg, theory.SAM{Beta: *beta}, fmt.Sprintf("SAM theory agents (beta %g)", *beta))
	check(err)
	defer done()
	study := protocol.Large{Scenario: sc, Agents: agents, Replicates: *reps, Seed: *seed}
	if *nwin > 0 && *nwin < 7 {
		study.Windows = []int{0, 10, 20, 30, 40, 50, 60}[:*nwin]
	}
	source := "synthetic (built-in calibration)"
	if *coeff != "" {
		study.Pool, err = pop.LoadRelease(*coeff, sc)
		check(err)
		source = *coeff
		s := study.Pool.Summarize()
		fmt.Printf("round 1 of the %d real people: adoption %d/%d, mean opinion %.2f / 10\n", s.N, s.Adopters, s.N, 10*s.Opinion)
	}
	if *ba != "" {
		nw, err := netw.LoadNetwork(*ba)
		check(err)
		g, ok := nw.(*netw.Graph)
		if !ok {
			check(fmt.Errorf("%s: want a 2-D adjacency matrix", *ba))
		}
		study.Topologies = append([]protocol.Topology{protocol.Fixed("BA", g)}, protocol.StudyTopologies()[1:]...)
	}
	fmt.Printf("larger networks: scenario %s, population %s, %s, %d replicates, seed %d\n", sc.Name, source, kind, *reps, *seed)
	res, err := study.Run()
	check(err)
	summary, err := llmagent.Finish(agents)
	fmt.Print(summary)
	check(err)
	check(res.Save(filepath.Join(*out, "runs")))

	var series []plots.Series
	for _, top := range res.Topologies {
		series = append(series, plots.SeriesOf(top, res.Runs[top]...))
	}
	first := res.Runs[res.Topologies[0]][0]
	g := res.Graphs[res.Topologies[0]]
	network, err := plots.Network(fmt.Sprintf("%s, %s network, window 0, final step", sc.Title, res.Topologies[0]), g, first.Final())
	check(err)
	trajectories := plots.TrajectoriesOf(series...)
	trajectories.Title = fmt.Sprintf("%s: %d agents, %s, mean ± sd over %d windows × %d seeds",
		sc.Title, first.Manifest.Agents, kind, len(res.Windows), *reps)
	figures := []struct {
		name string
		fig  *plots.Figure
	}{
		{"trajectories", trajectories},
		{"final_histograms", plots.FinalHistograms(series...)},
		{"network", network},
		{"degree_change", plots.DegreeChange("Opinion change vs degree ("+res.Topologies[0]+", window 0)", g, first.Replicates[0].States[0], first.Final())},
	}
	for _, f := range figures {
		for _, ext := range strings.Split(*formats, ",") {
			path := filepath.Join(*out, f.name+"."+strings.TrimSpace(ext))
			check(f.fig.Save(path))
			fmt.Println("wrote", path)
		}
	}
	for _, s := range series {
		last := len(s.Metrics[0]) - 1
		adoption, opinion := 0.0, 0.0
		for _, rep := range s.Metrics {
			adoption += rep[last].Adoption
			opinion += rep[last].MeanOpinion
		}
		k := float64(len(s.Metrics))
		fmt.Printf("%s: final adoption %.3f, mean opinion %.2f / 10 (%d runs)\n", s.Label, adoption/k, 10*opinion/k, len(s.Metrics))
	}
	fmt.Println("runs in", filepath.Join(*out, "runs"))
}
