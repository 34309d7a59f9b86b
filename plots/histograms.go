package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/metrics"
)

// Histograms draws the opinion histogram (answers 0..10, share of agents,
// pooled over replicates) of every step of a run, one small panel per step,
// five panels per row.
func Histograms(run *history.Run) *Figure {
	return HistogramsOf(SeriesOf(run.Manifest.Name, run))
}

// HistogramsOf draws per-step opinion histograms of one or more series,
// overlaid as grouped bars in each step's panel.
func HistogramsOf(series ...Series) *Figure {
	steps := 0
	for _, s := range series {
		if len(s.Metrics) > 0 {
			steps = max(steps, len(s.Metrics[0]))
		}
	}
	const perRow = 5
	var rows [][]*plot.Plot
	for t := range steps {
		if t%perRow == 0 {
			rows = append(rows, nil)
		}
		p := newPlot(fmt.Sprintf("step %d", t), "opinion (answer 0-10)", "share of agents")
		addHistBars(p, series, func(s Series) []float64 { return pooledHist(s.Metrics, t) })
		if t > 0 {
			p.Legend = plot.NewLegend() // one legend, in the first panel
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], p)
	}
	ymax := 0.0
	for _, row := range rows {
		for _, p := range row {
			ymax = max(ymax, p.Y.Max)
		}
	}
	for _, row := range rows {
		for _, p := range row {
			p.Y.Max = ymax
		}
	}
	cols := min(steps, perRow)
	return NewFigure(vg.Length(cols)*2.6*vg.Inch, vg.Length(len(rows))*2.4*vg.Inch, rows...)
}

// FinalHistograms draws one panel with the final-step opinion histogram of
// each series side by side.
func FinalHistograms(series ...Series) *Figure {
	p := newPlot("Final opinions", "opinion (answer 0-10)", "share of agents")
	addHistBars(p, series, func(s Series) []float64 {
		if len(s.Metrics) == 0 {
			return make([]float64, 11)
		}
		return pooledHist(s.Metrics, len(s.Metrics[0])-1)
	})
	return NewFigure(5*vg.Inch, 3.2*vg.Inch, []*plot.Plot{p})
}

func addHistBars(p *plot.Plot, series []Series, hist func(Series) []float64) {
	hists := make([][]float64, len(series))
	var labels []string
	for i, s := range series {
		hists[i] = hist(s)
		if len(series) > 1 {
			labels = append(labels, s.Label)
		}
	}
	top := groupedBars(p, hists, labels, vg.Points(12))

	p.Legend.Top = true
	p.Legend.Left = true
	p.Y.Min = 0
	if top > 0 {
		p.Y.Max = top * 1.08
		if len(series) > 1 {
			p.Y.Max = top * (1.1 + 0.12*float64(len(series))) // room for the legend
		}
	}
	p.X.Min, p.X.Max = -0.7, 10.7
	p.X.Tick.Marker = integerTicks{}
}

// groupedBars draws one bar chart per histogram, side by side within each
// bin (total width per bin), labelled in the legend when labels are given,
// and returns the tallest bar.
func groupedBars(p *plot.Plot, hists [][]float64, labels []string, total vg.Length) float64 {
	width := total / vg.Length(max(1, len(hists)))
	top := 0.0
	for i, h := range hists {
		for _, v := range h {
			top = max(top, v)
		}
		bars, err := plotter.NewBarChart(plotter.Values(h), width)
		if err != nil {
			continue
		}
		bars.Color = lineColor(i)
		bars.LineStyle.Width = 0
		bars.Offset = (vg.Length(i) - vg.Length(len(hists)-1)/2) * width
		p.Add(bars)
		if i < len(labels) && labels[i] != "" {
			p.Legend.Add(labels[i], bars)
		}
	}
	return top
}

// pooledHist averages the 11-bin histograms of step t over replicates.
func pooledHist(m [][]metrics.Snapshot, t int) []float64 {
	h := make([]float64, 11)
	k := 0.0
	for _, rep := range m {
		if t < len(rep) {
			for b, v := range rep[t].Hist {
				h[b] += v
			}
			k++
		}
	}
	for b := range h {
		if k > 0 {
			h[b] /= k
		}
	}
	return h
}
