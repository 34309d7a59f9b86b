package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/protocol"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// runLarge runs the larger-network study with SAM agents and writes its
// figures and run directories.
func runLarge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("llmsam large", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "out/large", "output folder")
	scen := fs.String("scenario", "dishwasher", "scenario: dishwasher, waste or 5g (or 1, 2, 3)")
	coeff := fs.String("coeff", "", "folder with the release's coeff{E}_{N}.csv files (default: built-in synthetic population)")
	ba := fs.String("ba", "", "use this .npy adjacency file (such as the release's BA.npy) for the BA topology")
	reps := fs.Int("replicates", 5, "replicates (seeds) per window")
	seed := fs.Uint64("seed", 1, "base seed")
	beta := fs.Float64("beta", theory.DefaultBeta, "SAM rationality beta")
	formats := fs.String("formats", "png,pdf", "figure formats, comma separated (png, svg, pdf)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	sc, err := scenario.ByName(*scen)
	if err != nil {
		return err
	}
	l := protocol.Large{Scenario: sc, Agents: theory.SAM{Beta: *beta}, Replicates: *reps, Seed: *seed}
	source := "synthetic (built-in calibration)"
	if *coeff != "" {
		if l.Pool, err = pop.LoadRelease(*coeff, sc); err != nil {
			return err
		}
		source = *coeff
	}
	if *ba != "" {
		nw, err := netw.LoadNetwork(*ba)
		if err != nil {
			return err
		}
		g, ok := nw.(*netw.Graph)
		if !ok {
			return fmt.Errorf("%s: want a 2-D adjacency matrix", *ba)
		}
		l.Topologies = append([]protocol.Topology{protocol.Fixed("BA", g)}, protocol.StudyTopologies()[1:]...)
	}
	fmt.Fprintf(stdout, "larger networks: scenario %s, population %s, SAM beta %g, %d replicates, seed %d\n", sc.Name, source, *beta, *reps, *seed)
	res, err := l.RunContext(ctx)
	if err != nil {
		return err
	}
	if err := res.Save(filepath.Join(*out, "runs")); err != nil {
		return err
	}
	var series []plots.Series
	for _, top := range res.Topologies {
		series = append(series, plots.SeriesOf(top, res.Runs[top]...))
	}
	ba0 := res.Runs[res.Topologies[0]][0]
	g := res.Graphs[res.Topologies[0]]
	net, err := plots.Network(fmt.Sprintf("%s, %s network, window 0, final step", sc.Title, res.Topologies[0]), g, ba0.Final())
	if err != nil {
		return err
	}
	figs := map[string]*plots.Figure{
		"trajectories":     plots.TrajectoriesOf(series...),
		"final_histograms": plots.FinalHistograms(series...),
		"network":          net,
		"degree_change":    plots.DegreeChange("Opinion change vs degree ("+res.Topologies[0]+", window 0)", g, ba0.Replicates[0].States[0], ba0.Final()),
	}
	figs["trajectories"].Title = fmt.Sprintf("%s: %d agents, SAM theory agents, mean ± sd over %d windows × %d seeds",
		sc.Title, ba0.Manifest.Agents, len(res.Windows), *reps)
	for _, name := range []string{"trajectories", "final_histograms", "network", "degree_change"} {
		f := figs[name]
		for _, ext := range strings.Split(*formats, ",") {
			path := filepath.Join(*out, name+"."+strings.TrimSpace(ext))
			if err := f.Save(path); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "wrote", path)
		}
	}
	for _, top := range res.Topologies {
		s := plots.SeriesOf(top, res.Runs[top]...)
		last := len(s.Metrics[0]) - 1
		ad, op := 0.0, 0.0
		for _, rep := range s.Metrics {
			ad += rep[last].Adoption
			op += rep[last].MeanOpinion
		}
		k := float64(len(s.Metrics))
		fmt.Fprintf(stdout, "%s: final adoption %.3f, mean opinion %.2f / 10 (%d runs)\n", top, ad/k, 10*op/k, len(s.Metrics))
	}
	fmt.Fprintln(stdout, "runs in", filepath.Join(*out, "runs"))
	return nil
}
