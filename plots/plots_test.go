package plots_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// figures renders every kind of figure of a small study. Set
// LLMSAM_FIGURES=dir to keep them for a look.
func figures(t *testing.T) map[string]*plots.Figure {
	g, _ := netw.BarabasiAlbert(60, 3, 1)
	people := pop.MustSynthetic(scenario.FiveG(), 60, 1)
	run, err := sim.Run(sim.Study{Name: "BA", Scenario: scenario.FiveG(), Network: g, People: people,
		Agents: theory.SAM{}, Steps: 6, Replicates: 4, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := sim.RunSweep(sim.Sweep{
		Base:  sim.Study{Scenario: scenario.FiveG(), Network: g, People: people, Steps: 3, Replicates: 2, Quiet: true},
		XName: "beta", YName: "mu", Xs: []float64{1, 5, 10, 20}, Ys: []float64{0, 0.5, 1},
		Apply: func(s *sim.Study, x, y float64) { s.Agents = theory.SAM{Rule: theory.BetaRule, Beta: x, Mu: y} },
	})
	if err != nil {
		t.Fatal(err)
	}
	net, err := plots.Network("BA, final", g, run.Final())
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*plots.Figure{
		"trajectories":  plots.Trajectories(run),
		"histograms":    plots.Histograms(run),
		"final_hist":    plots.FinalHistograms(plots.SeriesOf("BA", run)),
		"heatmap":       plots.HeatMap(sw, history.FinalMean(history.Adoption), "final adoption", 0, 1),
		"gap":           plots.ValueActionGap("5G plan, round 1", people, nil),
		"coefficients":  plots.Coefficients([]string{"dishwasher", "5g"}, pop.MustSynthetic(scenario.Dishwasher(), 165, 1), people),
		"network":       net,
		"degree_change": plots.DegreeChange("change", g, run.Replicates[0].States[0], run.Final()),
	}
}

func TestFiguresRenderInEveryFormat(t *testing.T) {
	dir := os.Getenv("LLMSAM_FIGURES")
	if dir == "" {
		dir = t.TempDir()
	}
	for name, f := range figures(t) {
		for _, ext := range []string{"png", "svg", "pdf"} {
			path := filepath.Join(dir, name+"."+ext)
			if err := f.Save(path); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			b, err := os.ReadFile(path)
			if err != nil || len(b) < 1000 {
				t.Fatalf("%s: %d bytes, %v", path, len(b), err)
			}
			if ext == "png" {
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil || img.Bounds().Dx() < 600 {
					t.Fatalf("%s: not a readable PNG of paper size: %v", path, err)
				}
			}
		}
	}
	if err := plots.Trajectories().Save(filepath.Join(dir, "x")); err == nil {
		t.Fatal("a path without extension must be refused")
	}
}

func TestNetworkRefusesHugeGraphs(t *testing.T) {
	g, _ := netw.ErdosRenyiM(plots.MaxLayoutNodes+1, 10, 1)
	if _, err := plots.Network("too big", g, nil); err == nil {
		t.Fatal("a graph above MaxLayoutNodes must give an error")
	}
}
