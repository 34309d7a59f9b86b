//go:build ignore

// Dynamic against static network (the study's figure group 4): 50 agents
// per window of the pooled population on a Barabasi-Albert graph (m = 5)
// rewired every step (10 of 225 edges), 10 steps: round 2's question, seven
// free-chat steps, round 3's question. The static control keeps the first
// graph for the study's 3 rounds. Adoption, mean opinion, opinion variance
// and the value-action gap per step, mean +/- sd over windows and seeds.
//
//	llmsam scripts/dynamic.go -out out/dynamic
//	llmsam scripts/dynamic.go -dynamic ../shared/reference/llmsam/adj_mat/BA_dynamic.npy -model ... -base-url ... -cache c.db
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/history"
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
		fmt.Fprintln(os.Stderr, "dynamic:", err)
		os.Exit(1)
	}
}

func main() {
	llmCfg := llm.AddFlags(flag.CommandLine)
	out := flag.String("out", "out/dynamic", "output folder")
	scen := flag.String("scenario", "dishwasher", "scenario")
	coeff := flag.String("coeff", "", "folder with the release's coefficient files (default: synthetic population)")
	dyn := flag.String("dynamic", "", "a 3-D .npy file with one adjacency per step (the release's BA_dynamic.npy)")
	nwin := flag.Int("windows", 0, "use only the first N windows of 0, 20, ..., 100 (0: all 6)")
	reps := flag.Int("replicates", 5, "replicates per window")
	seed := flag.Uint64("seed", 1, "seed")
	formats := flag.String("formats", "png,pdf", "figure formats")
	flag.Parse()

	sc, err := scenario.ByName(*scen)
	check(err)
	agents, kind, done, err := llmagent.OrTheory(*llmCfg, theory.SAM{}, "SAM theory agents")
	check(err)
	defer done()
	d := protocol.Dynamic{Scenario: sc, Agents: agents, Replicates: *reps, Seed: *seed}
	if *coeff != "" {
		d.Pool, err = pop.LoadRelease(*coeff, sc)
		check(err)
	}
	if *dyn != "" {
		nw, err := netw.LoadNetwork(*dyn)
		check(err)
		snaps, ok := nw.(netw.Snapshots)
		if !ok {
			check(fmt.Errorf("%s: want a 3-D array, one adjacency matrix per step", *dyn))
		}
		d.Network = snaps
	}
	if *nwin > 0 && *nwin < 6 {
		d.Windows = []int{0, 20, 40, 60, 80, 100}[:*nwin]
	}
	fmt.Printf("dynamic network: scenario %s, %s, %d replicates\n", sc.Name, kind, *reps)
	dynamic, err := d.Run()
	check(err)
	d.Static = true
	static, err := d.Run()
	check(err)
	summary, err := llmagent.Finish(agents)
	fmt.Print(summary)
	check(err)
	var series []plots.Series
	for _, set := range []struct {
		label string
		runs  []*history.Run
	}{{"dynamic (rewired every step, free chat)", dynamic}, {"static (the same graph, 3 rounds)", static}} {
		for _, r := range set.runs {
			check(r.Save(filepath.Join(*out, "runs", r.Manifest.Name)))
		}
		s := plots.SeriesOf(set.label, set.runs...)
		series = append(series, s)
		adoption, _ := history.BandOf(s.Metrics, history.Adoption)
		opinion, _ := history.BandOf(s.Metrics, history.MeanOpinion)
		last := len(adoption) - 1
		fmt.Printf("%s: final adoption %.3f, mean opinion %.2f / 10 after %d steps\n", set.label, adoption[last], 10*opinion[last], last)
	}
	fig := plots.MetricPanels(series, []plots.Metric{
		{Title: "Adoption rate", YLabel: "share adopting", Value: history.Adoption, Min: 0, Max: 1},
		{Title: "Mean opinion", YLabel: "mean opinion (0-10 answer / 10)", Value: history.MeanOpinion, Min: 0, Max: 1},
		{Title: "Opinion variance", YLabel: "variance of opinions", Value: history.VarOpinion},
		{Title: "Value-action gap", YLabel: "share with o >= 0.6, x = 0 or o < 0.4, x = 1", Value: history.Gap, Min: 0, Max: 1},
	})
	fig.Title = fmt.Sprintf("%s: 50 agents, dynamic vs static network, %s", sc.Title, kind)
	paths, err := fig.SaveAs(filepath.Join(*out, "dynamic_vs_static"), strings.Split(*formats, ",")...)
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))
}
