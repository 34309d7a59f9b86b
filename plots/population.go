package plots

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/pop"
)

var (
	adoptColor   = lineColors[2] // green: x = 1
	declineColor = lineColors[1] // vermillion: x = 0
)

// ValueActionGap draws each person's opinion against their cost coefficient
// lambda, marked by decision (filled green disc: adopts; red ring: does not),
// with the boundary o = lambda of the threshold rule x = 1[o > lambda].
// Opinions are drawn on the answer scale 0-10 (answer = 10 o). The
// people below the line who do not adopt, and above it who do, form the
// value-action gap. Opinions are jittered by up to 0.02 so that equal
// answers stay visible (seeded, so the figure is reproducible).
func ValueActionGap(title string, people pop.Population, st *agent.State) *Figure {
	p := newPlot(title, "opinion (answer 0-10)", "cost coefficient lambda")
	r := rand.New(rand.NewPCG(1, 2))
	var yes, no plotter.XYs
	for i, x := range people {
		o, a := x.Opinion0, x.Action0
		if st != nil {
			o, a = st.Opinion[i], st.Action[i]
		}
		pt := plotter.XY{X: 10 * (o + 0.04*(r.Float64()-0.5)), Y: x.Lambda}
		if a == 1 {
			yes = append(yes, pt)
		} else {
			no = append(no, pt)
		}
	}
	line, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 10, Y: 1}})
	line.Color = lineColors[6]
	line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(line)
	p.Legend.Add("answer = 10 lambda (o = lambda)", line)
	for _, set := range []struct {
		pts   plotter.XYs
		label string
		c     colorT
		shape draw.GlyphDrawer
	}{{yes, "adopts (x = 1)", adoptColor, draw.CircleGlyph{}}, {no, "does not adopt", declineColor, draw.RingGlyph{}}} {
		if len(set.pts) == 0 {
			continue
		}
		s, _ := plotter.NewScatter(set.pts)
		s.Color, s.Shape, s.Radius = set.c, set.shape, vg.Points(2.6)
		p.Add(s)
		p.Legend.Add(fmt.Sprintf("%s: %d", set.label, len(set.pts)), s)
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.3, 10.3, 0, 1.22
	p.Legend.Top = true
	p.Legend.Left = true
	return NewFigure(4.6*vg.Inch, 4.2*vg.Inch, []*plot.Plot{p})
}

// Coefficients draws the distributions of a, tau, f and lambda of one or
// more populations (for instance the three scenarios), one panel each, as
// overlaid 10-bin histograms of the share of people.
func Coefficients(labels []string, pops ...pop.Population) *Figure {
	names := []string{"a (friends)", "tau (stubbornness)", "f (external information)", "lambda (cost)"}
	get := []func(pop.Person) float64{
		func(x pop.Person) float64 { return x.A }, func(x pop.Person) float64 { return x.Tau },
		func(x pop.Person) float64 { return x.F }, func(x pop.Person) float64 { return x.Lambda },
	}
	row := make([]*plot.Plot, len(names))
	for k := range names {
		p := newPlot(names[k], "value (bins of 0.1, left edge)", "share of people")
		hists := make([][]float64, len(pops))
		for i, pp := range pops {
			h := make([]float64, 10)
			for _, x := range pp {
				b := min(int(get[k](x)*10), 9)
				h[b] += 1 / float64(len(pp))
			}
			hists[i] = h
		}
		var legend []string
		if k == 0 {
			legend = labels // one legend, in the first panel
		}
		top := groupedBars(p, hists, legend, vg.Points(14))
		p.NominalX("0", ".1", ".2", ".3", ".4", ".5", ".6", ".7", ".8", ".9")
		p.Legend.Top = true
		p.Y.Min = 0
		p.Y.Max = 1.35 * top // room for the legend above the bars
		row[k] = p
	}
	return NewFigure(12*vg.Inch, 3*vg.Inch, row)
}
