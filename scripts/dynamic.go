//go:build ignore

// Dynamic against static network (the study's figure group 4): 50 agents
// per window of the pooled population on a Barabasi-Albert graph (m = 5)
// rewired every step (10 of 225 edges), 10 steps: round 2's question, seven
// free-chat steps, round 3's question. The static control keeps the first
// graph for the study's 3 rounds; the figure draws them as points where the
// same question is asked in the dynamic run (round 1 at step 0, round 2 at
// step 1, round 3 at the last step), not as a line along the first steps.
// Adoption, mean opinion, opinion variance and the value-action gap per
// step, mean +/- sd over windows and seeds;
// run directories and the release's output files under out/release.
// -dynamic and -static use the release's adjacency files; -prompts release
// asks as the release did (its free-chat steps repeat the round-2 prompt).
//
//	llmsam scripts/dynamic.go -out out/dynamic
//	llmsam scripts/dynamic.go -dynamic BA_dynamic.npy -static BA_50.npy -coeff DIR -model ... -base-url ... -cache c.db
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
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/metrics"
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
	static := flag.String("static", "", "a 2-D .npy adjacency file for the static control (the release's BA_50.npy; default: the dynamic network's first graph)")
	prompts := flag.String("prompts", "default", "LLM prompt set: "+llmagent.PromptSets+" (release: the release's prompts and its five private facts per window)")
	nwin := flag.Int("windows", 0, "use only the first N windows of 0, 20, ..., 100 (0: all 6)")
	reps := flag.Int("replicates", 5, "replicates per window")
	seed := flag.Uint64("seed", 1, "seed")
	formats := flag.String("formats", "png,pdf", "figure formats")
	flag.Parse()
	// Flag checks, before any work.
	_, scenErr := scenario.ByName(*scen)
	_, promptsErr := llmagent.TemplatesByName(*prompts)
	if err := flagcheck.All(
		flagcheck.Value("scenario", scenErr),
		flagcheck.Value("prompts", promptsErr),
		flagcheck.Count("replicates", *reps),
		flagcheck.Range("windows", *nwin, 0, 6),
		flagcheck.Formats("formats", *formats),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	sc, err := scenario.ByName(*scen)
	check(err)
	agents, kind, done, err := llmagent.OrTheory(*llmCfg, theory.SAM{}, "SAM theory agents")
	check(err)
	defer done()
	check(llmagent.UsePrompts(agents, *prompts))
	d := protocol.Dynamic{Scenario: sc, Agents: agents, Replicates: *reps, Seed: *seed}
	// The files the runs read, recorded in their manifests.
	var popInputs, dynInputs, staticInputs []history.InputFile
	if *coeff != "" {
		popInputs, err = history.Inputs("population", pop.ReleaseFiles(*coeff, sc)...)
		check(err)
		d.Pool, err = pop.LoadRelease(*coeff, sc)
		check(err)
	}
	if *prompts == "release" {
		if d.Pool == nil {
			d.Pool, err = pop.Synthetic(sc, 165, *seed)
			check(err)
		}
		d.Pool = llmagent.ReleaseFacts(d.Pool, sc, 50)
	}
	if *dyn != "" {
		nw, err := netw.LoadNetwork(*dyn)
		check(err)
		snaps, ok := nw.(netw.Snapshots)
		if !ok {
			check(fmt.Errorf("%s: want a 3-D array, one adjacency matrix per step", *dyn))
		}
		if snaps.N() != 50 {
			check(fmt.Errorf("-dynamic %s: %d nodes, want 50 (the dynamic network's size)", *dyn, snaps.N()))
		}
		d.Network = snaps
		dynInputs, err = history.Inputs("network", *dyn)
		check(err)
		staticInputs = dynInputs // the static control's graph is its first, unless -static
		fmt.Printf("dynamic network from %s: %d steps of %d nodes\n", *dyn, len(snaps), snaps.N())
	}
	var staticGraph *netw.Graph
	if *static != "" {
		nw, err := netw.LoadNetwork(*static)
		check(err)
		g, ok := nw.(*netw.Graph)
		if !ok {
			check(fmt.Errorf("-static %s: want a 2-D adjacency matrix", *static))
		}
		if g.N() != 50 {
			check(fmt.Errorf("-static %s: %d nodes, want 50 (the dynamic network's size)", *static, g.N()))
		}
		staticGraph = g
		staticInputs, err = history.Inputs("network", *static)
		check(err)
		fmt.Printf("static network from %s: %d nodes, %d edges\n", *static, g.N(), g.Edges())
	}
	if *nwin > 0 && *nwin < 6 {
		d.Windows = []int{0, 20, 40, 60, 80, 100}[:*nwin]
	}
	fmt.Printf("dynamic network: scenario %s, %s, %d replicates\n", sc.Name, kind, *reps)
	dynamic, err := d.Run()
	check(err)
	d.Static = true
	if staticGraph != nil {
		d.Network = netw.Snapshots{staticGraph}
	}
	staticRuns, err := d.Run()
	check(err)
	for _, r := range dynamic {
		r.Manifest.Inputs = append(append([]history.InputFile{}, dynInputs...), popInputs...)
	}
	for _, r := range staticRuns {
		r.Manifest.Inputs = append(append([]history.InputFile{}, staticInputs...), popInputs...)
	}
	summary, err := llmagent.Finish(agents)
	fmt.Print(summary)
	check(err)
	var series []plots.Series
	dynLast := dynamic[0].Steps() - 1
	for _, set := range []struct {
		kind, label string // kind: the release folder's name
		runs        []*history.Run
		static      bool
	}{{"dynamic", "dynamic (rewired every step, free chat)", dynamic, false},
		{"static", fmt.Sprintf("static: rounds 1-3 at steps 0, 1, %d", dynLast), staticRuns, true}} {
		for _, r := range set.runs {
			check(r.Save(filepath.Join(*out, "runs", r.Manifest.Name)))
		}
		rr, err := history.ReleaseRuns(sc.ID, set.runs)
		check(err)
		kind := set.kind
		check(history.SaveRelease(filepath.Join(*out, "release", kind), rr))
		fmt.Println("the release's output files in", filepath.Join(*out, "release", kind, fmt.Sprintf("exp%d", sc.ID)))
		s := plots.SeriesOf(set.label, set.runs...)
		adoption, _ := history.BandOf(s.Metrics, history.Adoption)
		opinion, _ := history.BandOf(s.Metrics, history.MeanOpinion)
		last := len(adoption) - 1
		if set.static {
			// Round r is asked at step r of the dynamic run, the last round
			// at its last step.
			s.At = make([]float64, len(adoption))
			for r := range s.At {
				s.At[r] = float64(r)
			}
			s.At[last] = float64(dynLast)
			fmt.Printf("static control (the same graph, %d rounds): final adoption %.3f, mean opinion %.2f / 10 at round %d\n", last+1, adoption[last], 10*opinion[last], last+1)
		} else {
			fmt.Printf("%s: final adoption %.3f, mean opinion %.2f / 10 after %d steps\n", set.label, adoption[last], 10*opinion[last], last)
		}
		series = append(series, s)
	}
	fig := plots.MetricPanels(series, []plots.Metric{
		{Title: "Adoption rate", YLabel: "share adopting", Value: history.Adoption, Min: 0, Max: 1},
		plots.MeanOpinionMetric,
		{Title: "Opinion variance", YLabel: "variance of opinions (answer 0-10)", Value: func(m metrics.Snapshot) float64 { return 100 * m.VarOpinion }},
		{Title: "Value-action gap (answer >= 6, x = 0 or < 4, x = 1)", YLabel: "share with a gap", Value: history.Gap, Min: 0, Max: 1},
	})
	fig.Title = fmt.Sprintf("%s: 50 agents, dynamic vs static network, %s. The static control asks only the study's 3 rounds: "+
		"its rounds 1, 2 and 3 are drawn as points (error bars as the bands) at steps 0, 1 and %d, where the dynamic run asks the same questions",
		sc.Title, kind, dynLast)
	paths, err := fig.SaveAs(filepath.Join(*out, "dynamic_vs_static"), strings.Split(*formats, ",")...)
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))
}
