//go:build ignore

// Phenomena (the study's figure group 5): unpopular norms, paradigm shift
// and polarization, with their indices. The theory's parameter regions are
// found by a sweep of the Zino-Ye-Cao (2020) model over lambda and mu (one
// committed innovator, everyone else at the status quo); the points with
// the strongest unpopular norm and the clearest paradigm shift are then
// drawn. Polarization uses the payoff-based model of Aghbolagh et al. (TAC
// 2023) on two communities of 10. With -model, LLM agents on the 101-agent
// BA network are measured with the same indices.
//
//	llmsam scripts/phenomena.go -out out/phenomena
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/metrics"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/protocol"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "phenomena:", err)
		os.Exit(1)
	}
}

// innovatorPeople are n people with opinions spread evenly over 0..1 and no
// adopters; agent 0 will be the committed innovator.
func innovatorPeople(n int) pop.Population {
	p := make(pop.Population, n)
	for i := range p {
		p[i] = pop.Person{A: 1.0 / 3, Tau: 1.0 / 3, F: 1.0 / 3, Lambda: 0.5, Opinion0: float64(i%11) / 10}
	}
	return p
}

func main() {
	llmCfg := llm.AddFlags(flag.CommandLine)
	out := flag.String("out", "out/phenomena", "output folder")
	n := flag.Int("n", 200, "agents in the Zino-Ye-Cao runs")
	scen := flag.String("scenario", "dishwasher", "scenario of the LLM agents' run")
	reps := flag.Int("replicates", 5, "replicates per point")
	seed := flag.Uint64("seed", 1, "seed")
	formats := flag.String("formats", "png,pdf", "figure formats")
	flag.Parse()
	exts := strings.Split(*formats, ",")

	graph, err := netw.BarabasiAlbert(*n, 4, *seed)
	check(err)
	base := sim.Study{Network: graph, People: innovatorPeople(*n), Steps: 4**n + 1, Replicates: *reps, Seed: *seed,
		Committed: []history.Commit{{Agent: 0, Opinion: 1, Action: 1}}}
	sweep, err := sim.RunSweep(sim.Sweep{Base: base,
		XName: "lambda", Xs: []float64{0.1, 0.3, 0.5, 0.7, 0.9},
		YName: "mu", Ys: []float64{0, 0.005, 0.01},
		Apply: func(s *sim.Study, lambda, mu float64) {
			s.Agents = theory.ZYC2020{Alpha: 0.5, Beta: 20, Lambda: lambda, Mu: mu}
		}})
	check(err)

	regions := plots.Table{Title: "Zino-Ye-Cao 2020 regions (4 n^2 ticks, one innovator)", Header: []string{"lambda", "mu",
		"final adoption", "final mean opinion", "unpopular-norm index", "paradigm shift"}}
	var normRun, shiftRun *history.Run
	bestNorm, bestShift := -1.0, -1.0
	for iy, row := range sweep.Runs {
		for ix, r := range row {
			adoption, _ := r.Band(history.Adoption)
			opinion, _ := r.Band(history.MeanOpinion)
			index, _ := r.Band(func(m metrics.Snapshot) float64 { return m.UnpopularNorm })
			last := len(adoption) - 1
			shift := metrics.ParadigmShift(adoption, opinion)
			regions.Add(fmt.Sprint(sweep.Xs[ix]), fmt.Sprint(sweep.Ys[iy]), f2(adoption[last]), f2(opinion[last]), f2(index[last]), fmt.Sprint(shift))
			if index[last] > bestNorm {
				bestNorm, normRun = index[last], r
			}
			if shift && adoption[last] >= bestShift {
				bestShift, shiftRun = adoption[last], r
			}
		}
	}
	paths, err := regions.Save(filepath.Join(*out, "regions"))
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))

	// Polarization: two communities with opposite views, weakly linked.
	communities, err := netw.StochasticBlock([]int{10, 10}, [][]float64{{1, 0.05}, {0.05, 1}}, *seed)
	check(err)
	split := make(pop.Population, 20)
	for i := range split {
		split[i] = pop.Person{A: 1.0 / 3, Tau: 1.0 / 3, F: 1.0 / 3, Lambda: 0.5, Opinion0: 0.75 + 0.02*float64(i%10), Action0: 1}
		if i >= 10 {
			split[i].Opinion0, split[i].Action0 = 0.25-0.02*float64(i%10), 0
		}
	}
	polar, err := sim.Run(sim.Study{Name: "TAC 2023, two communities", Network: communities, People: split,
		Agents: theory.TAC2023{Lambda: 0.6, Beta: 0.5, TicksPerStep: 1}, Steps: 151, Replicates: *reps, Seed: *seed})
	check(err)
	pm := polar.Metrics()[0][150]

	// The Zino-Ye-Cao runs settle within a few dozen sweeps of their 4n:
	// draw the first 60 recorded steps.
	early := func(r *history.Run) plots.Series {
		s := plots.SeriesOf("", r)
		for k := range s.Metrics {
			if len(s.Metrics[k]) > 60 {
				s.Metrics[k] = s.Metrics[k][:60]
			}
		}
		return s
	}
	label := func(r *history.Run) string {
		return fmt.Sprintf("lambda %s, mu %s", r.Manifest.Labels["lambda"], r.Manifest.Labels["mu"])
	}
	var panels []*plots.Figure
	if normRun != nil {
		panels = append(panels, plots.Overlay(fmt.Sprintf("Unpopular norm (%s): index %.2f", label(normRun), bestNorm),
			early(normRun),
			plots.Metric{Title: "adopting", Value: history.Adoption, Max: 1},
			plots.Metric{Title: "supporting (o > 1/2)", Value: history.Support, Max: 1}))
		fmt.Printf("unpopular norm: %s, index %.2f\n", label(normRun), bestNorm)
	}
	if shiftRun != nil {
		panels = append(panels, plots.Overlay("Paradigm shift ("+label(shiftRun)+")", early(shiftRun),
			plots.Metric{Title: "adopting", Value: history.Adoption, Max: 1},
			plots.Metric{Title: "mean opinion", Value: history.MeanOpinion, Max: 1}))
		fmt.Printf("paradigm shift: %s, final adoption %.2f\n", label(shiftRun), bestShift)
	}
	hist := plots.FinalHistograms(plots.SeriesOf("two communities", polar))
	hist.Panels[0][0].Title.Text = fmt.Sprintf("Polarization: bimodality %.2f, assortativity %.2f", pm.Bimodality, pm.Assortativity)
	panels = append(panels, hist)
	fmt.Printf("polarization: bimodality coefficient %.2f (> 5/9 suggests two modes), variance %.3f, assortativity %.2f\n", pm.Bimodality, pm.VarOpinion, pm.Assortativity)
	fig := plots.Row(fmt.Sprintf("Phenomena in theory models (Zino-Ye-Cao: first 60 of %d sweeps of n = %d ticks, mean ± sd over %d seeds)", 4**n, *n, *reps), panels...)
	paths, err = fig.SaveAs(filepath.Join(*out, "phenomena"), exts...)
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))

	indices := plots.Table{Title: "Phenomenon indices at the last step", Header: []string{"run", "adoption", "supporting",
		"unpopular-norm index", "paradigm shift", "variance", "bimodality", "extremes", "assortativity"}}
	addIndices := func(name string, runs ...*history.Run) {
		s := plots.SeriesOf(name, runs...)
		adoption, _ := history.BandOf(s.Metrics, history.Adoption)
		opinion, _ := history.BandOf(s.Metrics, history.MeanOpinion)
		last := len(adoption) - 1
		mean := func(f func(metrics.Snapshot) float64) string {
			v, _ := history.BandOf(s.Metrics, f)
			return f2(v[last])
		}
		indices.Add(name, f2(adoption[last]), mean(history.Support), mean(func(m metrics.Snapshot) float64 { return m.UnpopularNorm }),
			fmt.Sprint(metrics.ParadigmShift(adoption, opinion)), mean(history.VarOpinion),
			mean(func(m metrics.Snapshot) float64 { return m.Bimodality }), mean(func(m metrics.Snapshot) float64 { return m.Extremes }),
			mean(func(m metrics.Snapshot) float64 { return m.Assortativity }))
	}
	if normRun != nil {
		addIndices("ZYC2020 "+label(normRun), normRun)
	}
	if shiftRun != nil {
		addIndices("ZYC2020 "+label(shiftRun), shiftRun)
	}
	addIndices("TAC2023 two communities", polar)
	if llmCfg.Model != "" {
		sc, err := scenario.ByName(*scen)
		check(err)
		agents, err := llmagent.Open(*llmCfg)
		check(err)
		defer agents.Close()
		res, err := protocol.Large{Scenario: sc, Agents: agents, Windows: []int{0},
			Topologies: protocol.StudyTopologies()[:1], Replicates: *reps, Seed: *seed}.Run()
		check(err)
		summary, err := llmagent.Finish(agents)
		fmt.Print(summary)
		check(err)
		addIndices("LLM agents ("+llmCfg.Model+"), BA 101", res.Runs["BA"]...)
	}
	paths, err = indices.Save(filepath.Join(*out, "indices"))
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))
}

func f2(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", x)
}
