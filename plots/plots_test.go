package plots_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/experiment"
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
	sw, err := experiment.Experiment{
		Params:     []experiment.Param{experiment.Values("beta", 1, 5, 10, 20), experiment.Values("mu", 0, 0.5, 1), experiment.Levels("model", "SAM", "SAM-kappa")},
		Replicates: 2, Quiet: true,
		Build: func(p experiment.Point) (sim.Study, error) {
			m := theory.SAM{Rule: theory.BetaRule, Beta: p.Float("beta"), Mu: p.Float("mu")}
			if p.String("model") == "SAM-kappa" {
				m.Kappa = 0.5
			}
			return sim.Study{Scenario: scenario.FiveG(), Network: g, People: people, Steps: 3, Agents: m}, nil
		},
	}.Run()
	if err != nil {
		t.Fatal(err)
	}
	heat, err := plots.HeatMap(sw.Runs, "final_adoption", "beta", "mu", "final adoption", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	band, err := plots.ParamFigure{Value: "final_opinion", X: "beta", By: "mu", Facet: "model", Band: "ci95"}.Draw(sw.Runs)
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
		"heatmap":       heat,
		"band":          band,
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

func TestParamFigureErrors(t *testing.T) {
	runs := &experiment.Table{Columns: []string{"run", "topology", "s", "final_adoption"},
		Rows: [][]string{{"0", "BA", "0.5", "0.4"}, {"1", "WS", "0.5", "x"}}}
	for _, c := range []struct {
		f    plots.ParamFigure
		want string
	}{
		{plots.ParamFigure{Value: "final_opinion", X: "s"}, `no column "final_opinion"`},
		{plots.ParamFigure{Value: "final_adoption", X: "s"}, `"x" is not a number`},
		{plots.ParamFigure{Value: "s", X: "beta"}, `no column "beta"`},
		{plots.ParamFigure{Value: "s", X: "topology", Kind: "heatmap"}, "wants Y"},
		{plots.ParamFigure{Value: "s", X: "topology", Band: "iqr"}, `band "iqr"`},
		{plots.ParamFigure{Value: "s", X: "topology", Kind: "pie"}, `kind "pie"`},
	} {
		if _, err := c.f.Draw(runs); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.f, err, c.want)
		}
	}
	if _, err := (plots.ParamFigure{Value: "s", X: "topology"}).Draw(runs); err != nil {
		t.Errorf("levels on the x axis: %v", err)
	}
	if _, err := (plots.ParamFigure{Value: "s", X: "s"}).Draw(&experiment.Table{Columns: runs.Columns}); err == nil {
		t.Error("an empty table drew a figure")
	}
}
