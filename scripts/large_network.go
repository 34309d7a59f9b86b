//go:build ignore

// Larger networks (the study's figure group 3): 101 agents, windows of the
// pooled population on Barabasi-Albert (m = 10), Watts-Strogatz (k = 18,
// p = 0.3) and Erdos-Renyi (p = 0.2) graphs, 3 rounds, 5 seeds, with SAM
// theory agents. Writes adoption and opinion trajectories (mean +/- sd over
// windows and seeds), final opinion histograms, the network coloured by
// final opinion, opinion change vs degree, and a run directory per
// topology and window, and the release's output files under out/release.
// With -model (or -replay and a cache) the agents are LLMs instead; -ba,
// -ws and -er use the release's adjacency files; -prompts release asks as
// the release did (its prompts and its five private facts per window).
//
//	llmsam scripts/large_network.go -out out/large
//	go run scripts/large_network.go -out out/large
//	llmsam scripts/large_network.go -ba BA.npy -ws WS.npy -er ER.npy -coeff DIR
//	llmsam scripts/large_network.go -model Qwen/Qwen2.5-7B-Instruct -base-url http://localhost:8000/v1 -cache qwen.db
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
	files := map[string]*string{
		"BA": flag.String("ba", "", "use this .npy adjacency file (the release's BA.npy) for the Barabasi-Albert topology"),
		"WS": flag.String("ws", "", "use this .npy adjacency file (the release's WS.npy) for the Watts-Strogatz topology"),
		"ER": flag.String("er", "", "use this .npy adjacency file (the release's ER.npy) for the Erdos-Renyi topology"),
	}
	prompts := flag.String("prompts", "default", "LLM prompt set: "+llmagent.PromptSets+" (release: the release's prompts and its five private facts per window)")
	reps := flag.Int("replicates", 5, "replicates (seeds) per window")
	seed := flag.Uint64("seed", 1, "base seed")
	rule := flag.String("rule", "logistic", "SAM action rule: logistic (fitted to the real answers), beta (sigma(beta (o - lambda)), with -beta) or threshold")
	beta := flag.Float64("beta", theory.DefaultBeta, "SAM rationality beta of -rule beta")
	formats := flag.String("formats", "png,pdf", "figure formats, comma separated (png, svg, pdf)")
	nwin := flag.Int("windows", 0, "use only the first N windows of 0, 10, ..., 60 (0: all 7)")
	flag.Parse()
	// Flag checks, before any work.
	_, scenErr := scenario.ByName(*scen)
	_, promptsErr := llmagent.TemplatesByName(*prompts)
	_, ruleErr := theory.ParseActionRule(*rule)
	if err := flagcheck.All(
		flagcheck.Value("scenario", scenErr),
		flagcheck.Value("prompts", promptsErr),
		flagcheck.Value("rule", ruleErr),
		flagcheck.Count("replicates", *reps),
		flagcheck.Range("windows", *nwin, 0, 7),
		flagcheck.Formats("formats", *formats),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	sc, err := scenario.ByName(*scen)
	check(err)
	r, err := theory.ParseActionRule(*rule)
	check(err)
	model := theory.SAM{Rule: r}
	label := fmt.Sprintf("SAM theory agents (%s action rule)", r.String())
	if r == theory.BetaRule {
		model.Beta = *beta
		label = fmt.Sprintf("SAM theory agents (beta %g)", *beta)
	}
	agents, kind, done, err := llmagent.OrTheory(*llmCfg, model, label)
	check(err)
	defer done()
	check(llmagent.UsePrompts(agents, *prompts))
	study := protocol.Large{Scenario: sc, Agents: agents, Replicates: *reps, Seed: *seed}
	if *nwin > 0 && *nwin < 7 {
		study.Windows = []int{0, 10, 20, 30, 40, 50, 60}[:*nwin]
	}
	source := "synthetic (built-in calibration)"
	// The files the runs read, recorded in their manifests.
	var popInputs []history.InputFile
	netInputs := map[string][]history.InputFile{}
	if *coeff != "" {
		popInputs, err = history.Inputs("population", pop.ReleaseFiles(*coeff, sc)...)
		check(err)
		study.Pool, err = pop.LoadRelease(*coeff, sc)
		check(err)
		source = *coeff
		s := study.Pool.Summarize()
		fmt.Printf("round 1 of the %d real people: adoption %d/%d, mean opinion %.2f / 10\n", s.N, s.Adopters, s.N, 10*s.Opinion)
	}
	study.Topologies = protocol.StudyTopologies()
	for k, top := range study.Topologies {
		path := *files[top.Name]
		if path == "" {
			continue
		}
		nw, err := netw.LoadNetwork(path)
		check(err)
		g, ok := nw.(*netw.Graph)
		if !ok {
			check(fmt.Errorf("-%s %s: want a 2-D adjacency matrix", strings.ToLower(top.Name), path))
		}
		if g.N() != 101 {
			check(fmt.Errorf("-%s %s: %d nodes, want 101 (the larger networks' size)", strings.ToLower(top.Name), path, g.N()))
		}
		in, err := history.Inputs("network", path)
		check(err)
		netInputs[top.Name] = in
		st := netw.DegreeStats(g)
		fmt.Printf("%s network from %s: %d nodes, %d edges, degree min %d / mean %.2f / max %d\n", top.Name, path, g.N(), g.Edges(), st.Min, st.Mean, st.Max)
		study.Topologies[k] = protocol.Fixed(top.Name, g)
	}
	if *prompts == "release" {
		if study.Pool == nil {
			study.Pool, err = pop.Synthetic(sc, 165, *seed)
			check(err)
		}
		study.Pool = llmagent.ReleaseFacts(study.Pool, sc, 101)
	}
	fmt.Printf("larger networks: scenario %s, population %s, %s, %d replicates, seed %d\n", sc.Name, source, kind, *reps, *seed)
	res, err := study.Run()
	check(err)
	for _, top := range res.Topologies {
		for _, r := range res.Runs[top] {
			r.Manifest.Inputs = append(append([]history.InputFile{}, netInputs[top]...), popInputs...)
		}
	}
	summary, err := llmagent.Finish(agents)
	fmt.Print(summary)
	check(err)
	check(res.Save(filepath.Join(*out, "runs")))
	for _, top := range res.Topologies {
		rr, err := history.ReleaseRuns(sc.ID, res.Runs[top])
		check(err)
		check(history.SaveRelease(filepath.Join(*out, "release", top), rr))
	}
	fmt.Println("the release's output files in", filepath.Join(*out, "release", "<topology>", fmt.Sprintf("exp%d", sc.ID)))

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
