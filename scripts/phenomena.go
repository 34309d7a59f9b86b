//go:build ignore

// Phenomena (the study's figure group 5): unpopular norms, paradigm shift
// and polarization, with their indices, on the papers' own set-ups.
// The regions of the Zino-Ye-Cao (2020) model come from its phase diagram
// (papers.Chaos2020: n = 200, fresh random 8-regular influence and 4-regular
// communication layers per run, one random innovator, status-quo start,
// alpha 0.5, beta 20, 4 n^2 ticks); the panels show an unpopular norm
// (lambda 0.2, mu 0) and a paradigm shift (lambda 0.9, mu 0), -runs runs
// each. Polarization is the TAC 2023 paper's example
// (papers.TAC2023Polarization: two communities of 10 on the paper's directed
// network, one dissenter each, moderate opinions), read from a copy of the
// authors' repository given by -coevolutionary (github.com/lzino90/coevolutionary,
// with its .mat files as CSV; see papers.ErrNoData). Without it, the panel
// shows the same model, parameters and start on two generated communities
// (papers.TAC2023PolarizationGenerated) and says so. With -model, LLM agents
// on the 101-agent BA network are measured with the same indices. The phase
// diagram's tables (runs.csv: one row per run with lambda, mu, replicate,
// seed and final metrics; metrics.csv) go beside the figures in OUT/zyc2020.
//
//	llmsam scripts/phenomena.go -out out/phenomena -coevolutionary ../shared/reference/coevolutionary
package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/experiment"
	"github.com/llmsam/llmsam/stdlib/flagcheck"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/metrics"
	"github.com/llmsam/llmsam/stdlib/papers"
	"github.com/llmsam/llmsam/stdlib/protocol"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "phenomena:", err)
		os.Exit(1)
	}
}

// chaosRuns runs the Chaos 2020 set-up on n agents at (lambda, mu) with
// seeds seed..seed+runs-1, recording every n ticks.
func chaosRuns(n int, lambda, mu float64, runs int, seed uint64) []*history.Run {
	c := papers.Chaos2020Defaults(lambda, mu).WithN(n)
	var out []*history.Run
	for k := range runs {
		s, err := c.Study(seed + uint64(k))
		check(err)
		r, err := sim.Run(s)
		check(err)
		out = append(out, r)
	}
	return out
}

// chaosRows runs the Chaos 2020 phase diagram (fresh layers and innovator
// per run, from its seed; initial and final states recorded) through the
// experiment runner, writes its tables to dir and returns its rows from
// the runs table, lambda outer, mu, run.
func chaosRows(dir string, base papers.Chaos2020, lambdas, mus []float64, runs int, seed uint64) []papers.Chaos2020Row {
	base.Steps = 2
	res, err := experiment.Experiment{
		Name: "chaos2020 lambda x mu", Out: dir, Replicates: runs, Seed: seed, Agents: experiment.NoAgents,
		Params: []experiment.Param{experiment.Values("lambda", lambdas...), experiment.Values("mu", mus...)},
		BuildRun: func(p experiment.Point, _ int, seed uint64) (sim.Study, error) {
			c := base
			c.Lambda, c.Mu = p.Float("lambda"), p.Float("mu")
			return c.Study(seed)
		},
	}.Run()
	check(err)
	fmt.Println("wrote", filepath.Join(dir, "runs.csv")+",", filepath.Join(dir, "metrics.csv"))
	col := func(name string) []float64 {
		v, err := res.Runs.Floats(name)
		check(err)
		return v
	}
	lambda, mu, rep, sd, adoption, opinion := col("lambda"), col("mu"), col("replicate"), col("seed"), col("final_adoption"), col("final_opinion")
	rows := make([]papers.Chaos2020Row, len(lambda))
	for i := range rows {
		rows[i] = papers.Chaos2020Row{Lambda: lambda[i], Mu: mu[i], Run: int(rep[i]), Seed: uint64(sd[i]),
			FinalAdoption: adoption[i], FinalOpinion: opinion[i]}
	}
	return rows
}

func main() {
	llmCfg := llm.AddFlags(flag.CommandLine)
	out := flag.String("out", "out/phenomena", "output folder")
	scen := flag.String("scenario", "dishwasher", "scenario of the LLM agents' run")
	n := flag.Int("n", 200, "agents of the Zino-Ye-Cao set-up (the paper: 200)")
	runs := flag.Int("runs", 20, "runs per point of the Zino-Ye-Cao set-up; replicates of the LLM run")
	seed := flag.Uint64("seed", 1, "seed: run k uses seed + k")
	formats := flag.String("formats", "png,pdf", "figure formats")
	coevo := flag.String("coevolutionary", "../shared/reference/coevolutionary",
		"copy of github.com/lzino90/coevolutionary with its .mat files as FILE.VARIABLE.csv (the TAC 2023 polarization network)")
	flag.Parse()
	// Flag checks, before any work.
	_, scenErr := scenario.ByName(*scen)
	if err := flagcheck.All(
		flagcheck.AtLeast("n", *n, 10),
		flagcheck.Count("runs", *runs),
		flagcheck.Formats("formats", *formats),
		flagcheck.Value("scenario", scenErr),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	exts := strings.Split(*formats, ",")
	setup := papers.Chaos2020Defaults(0, 0).WithN(*n)

	lambdas, mus := []float64{0.1, 0.3, 0.5, 0.7, 0.9}, []float64{0, 0.004, 0.01}
	rows := chaosRows(filepath.Join(*out, "zyc2020"), setup, lambdas, mus, *runs, *seed)
	adoption, opinion := papers.Chaos2020Means(rows, lambdas, mus)
	regions := plots.Table{Title: fmt.Sprintf("Zino-Ye-Cao 2020 regions (%s; mean of %d runs)", setup, *runs),
		Header: []string{"lambda", "mu", "final adoption", "final mean opinion (0-10)", "regime"}}
	for iy, mu := range mus {
		for ix, l := range lambdas {
			a, o := adoption[iy][ix], opinion[iy][ix]
			regime := "status quo"
			switch {
			case a > 0.5 && o > 0.5:
				regime = "paradigm shift"
			case a < 0.5 && o > 0.5:
				regime = "unpopular norm"
			}
			regions.Add(fmt.Sprint(l), fmt.Sprint(mu), f2(a), f2(10*o), regime)
		}
	}
	paths, err := regions.Save(filepath.Join(*out, "regions"))
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))

	normRuns := chaosRuns(*n, 0.2, 0, *runs, *seed)
	shiftRuns := chaosRuns(*n, 0.9, 0, *runs, *seed)
	polarStudy, err := papers.TAC2023Polarization(*coevo)
	polarName, polarTitle := "TAC2023 polarization example", "TAC 2023 example, 150 ticks"
	if errors.Is(err, papers.ErrNoData) {
		fmt.Printf("polarization: the paper's matrices were not found in %s (pass a copy of github.com/lzino90/coevolutionary with its .mat files as CSV with -coevolutionary DIR); drawing the model on two generated communities instead\n", *coevo)
		polarStudy, err = papers.TAC2023PolarizationGenerated(*seed)
		polarName, polarTitle = "TAC2023 model, two generated communities", "TAC 2023 model on two generated\ncommunities (not the paper's network), 150 ticks"
	}
	check(err)
	polar, err := sim.Run(polarStudy)
	check(err)
	pm := polar.Metrics()[0][polar.Steps()-1]

	norm, shift := plots.SeriesOf("unpopular norm", normRuns...), plots.SeriesOf("paradigm shift", shiftRuns...)
	supporting := plots.Metric{Title: "supporting (answer > 5)", Value: history.Support, Max: 1}
	adopting := plots.Metric{Title: "adopting", Value: history.Adoption, Max: 1}
	normIdx, _ := history.BandOf(norm.Metrics, func(m metrics.Snapshot) float64 { return m.UnpopularNorm })
	panels := []*plots.Figure{
		plots.Overlay(fmt.Sprintf("Unpopular norm (lambda 0.2, mu 0): index %.2f", normIdx[len(normIdx)-1]), norm, adopting, supporting),
		plots.Overlay("Paradigm shift (lambda 0.9, mu 0)", shift, adopting, supporting),
	}
	hist := plots.FinalHistograms(plots.SeriesOf(polarName, polar))
	hist.Panels[0][0].Title.Text = fmt.Sprintf("Polarization (%s):\nbimodality %.2f, assortativity %.2f", polarTitle, pm.Bimodality, pm.Assortativity)
	panels = append(panels, hist)
	fmt.Printf("polarization: bimodality coefficient %.2f (> 5/9 suggests two modes), variance %.3f, assortativity %.2f\n", pm.Bimodality, pm.VarOpinion, pm.Assortativity)
	heading := "Phenomena on the papers' set-ups"
	if polarStudy.Labels["setup"] != "TAC2023 polarization" {
		heading = "Phenomena (polarization on a generated network)"
	}
	fig := plots.Row(fmt.Sprintf("%s. Zino-Ye-Cao 2020: n %d, T 4n^2 (%d steps of n ticks), random %d- and %d-regular layers, random innovator",
		heading, setup.N, setup.Steps-1, setup.InfluenceDegree, setup.CommunicationDegree), panels...)
	paths, err = fig.SaveAs(filepath.Join(*out, "phenomena"), exts...)
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))

	indices := plots.Table{Title: "Phenomenon indices at the last step (mean over runs; opinions on the answer scale 0-10)", Header: []string{"run", "runs", "adoption",
		"supporting (answer > 5)", "unpopular-norm index", "paradigm shift", "variance (0-10 scale)", "bimodality", "extremes", "assortativity"}}
	addIndices := func(name string, rs ...*history.Run) {
		s := plots.SeriesOf(name, rs...)
		adoption, _ := history.BandOf(s.Metrics, history.Adoption)
		opinion, _ := history.BandOf(s.Metrics, history.MeanOpinion)
		last := len(adoption) - 1
		mean := func(f func(metrics.Snapshot) float64) string {
			v, _ := history.BandOf(s.Metrics, f)
			return f2(v[last])
		}
		indices.Add(name, fmt.Sprint(len(s.Metrics)), f2(adoption[last]), mean(history.Support), mean(func(m metrics.Snapshot) float64 { return m.UnpopularNorm }),
			fmt.Sprint(metrics.ParadigmShift(adoption, opinion)), mean(func(m metrics.Snapshot) float64 { return 100 * m.VarOpinion }),
			mean(func(m metrics.Snapshot) float64 { return m.Bimodality }), mean(func(m metrics.Snapshot) float64 { return m.Extremes }),
			mean(func(m metrics.Snapshot) float64 { return m.Assortativity }))
		fmt.Printf("%s: final adoption %.2f, mean opinion %.2f / 10 (%d runs)\n", name, adoption[last], 10*opinion[last], len(s.Metrics))
	}
	addIndices("ZYC2020 lambda 0.2, mu 0", normRuns...)
	addIndices("ZYC2020 lambda 0.9, mu 0", shiftRuns...)
	addIndices(polarName, polar)
	if llmCfg.Model != "" {
		sc, err := scenario.ByName(*scen)
		check(err)
		agents, err := llmagent.Open(*llmCfg)
		check(err)
		defer agents.Close()
		res, err := protocol.Large{Scenario: sc, Agents: agents, Windows: []int{0},
			Topologies: protocol.StudyTopologies()[:1], Replicates: *runs, Seed: *seed}.Run()
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
