package plots

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/metrics"
)

// Series is one line of a trajectory figure: per-replicate metrics at each
// step ([replicate][step]), possibly pooled from several runs.
type Series struct {
	Label   string
	Metrics [][]metrics.Snapshot
}

// SeriesOf pools the replicates of runs (for instance every window of a
// topology) into one series.
func SeriesOf(label string, runs ...*history.Run) Series {
	s := Series{Label: label}
	for _, r := range runs {
		s.Metrics = append(s.Metrics, r.Metrics()...)
	}
	return s
}

// Trajectories draws the adoption rate and the mean opinion per step, one
// line per run (labelled by the run's name) with a mean +/- sd band over its
// replicates.
func Trajectories(runs ...*history.Run) *Figure {
	series := make([]Series, len(runs))
	for i, r := range runs {
		series[i] = SeriesOf(r.Manifest.Name, r)
	}
	return TrajectoriesOf(series...)
}

// TrajectoriesOf draws adoption and mean opinion per step for each series.
func TrajectoriesOf(series ...Series) *Figure {
	return MetricPanels(series, []Metric{
		{"Adoption rate", "share adopting (x = 1)", history.Adoption, 0, 1},
		{"Mean opinion", "mean opinion (0-10 answer / 10)", history.MeanOpinion, 0, 1},
	})
}

// Metric is one panel of MetricPanels: a title, a y-axis label, the value to
// draw and the y range (Min = Max = 0 lets the axis fit the data).
type Metric struct {
	Title, YLabel string
	Value         func(metrics.Snapshot) float64
	Min, Max      float64
}

// MetricPanels draws one panel per metric, side by side (two per row for
// four metrics), each with one line and mean +/- sd band per series.
func MetricPanels(series []Series, ms []Metric) *Figure {
	row := make([]*plot.Plot, len(ms))
	for k, m := range ms {
		p := newPlot(m.Title, "step (0 = initial answers)", m.YLabel)
		steps := 0
		var firsts []float64
		lo, hi := math.Inf(1), math.Inf(-1)
		for i, s := range series {
			mean, sd := history.BandOf(s.Metrics, m.Value)
			steps = max(steps, len(mean))
			addBand(p, mean, sd, lineColor(i), s.Label, len(s.Metrics) > 1)
			if len(mean) > 0 {
				firsts = append(firsts, mean[0]+sd[0])
			}
			for t := range mean {
				lo, hi = min(lo, mean[t]-sd[t]), max(hi, mean[t]+sd[t])
			}
		}
		if m.Max > m.Min {
			p.Y.Min, p.Y.Max = m.Min, m.Max
			lo, hi = m.Min, m.Max
		}
		placeLegend(p, firsts, lo, hi)
		p.X.Min, p.X.Max = -0.2, float64(max(steps-1, 1))+0.2
		p.X.Tick.Marker = integerTicks{}
		row[k] = p
	}
	if len(ms) == 4 {
		return NewFigure(7.2*vg.Inch, 6.2*vg.Inch, row[:2], row[2:])
	}
	w := vg.Length(len(ms)) * 3.6 * vg.Inch
	return NewFigure(w, 3.2*vg.Inch, row)
}

// Overlay draws several metrics of one series in one panel, each with its
// mean +/- sd band (for instance adoption against the share of supportive
// opinions, to show an unpopular norm).
func Overlay(title string, s Series, ms ...Metric) *Figure {
	p := newPlot(title, "step", "share")
	steps := 0
	for i, m := range ms {
		mean, sd := history.BandOf(s.Metrics, m.Value)
		steps = max(steps, len(mean))
		addBand(p, mean, sd, lineColor(i), m.Title, len(s.Metrics) > 1)
		p.Y.Min, p.Y.Max = min(p.Y.Min, m.Min), max(p.Y.Max, m.Max)
	}
	p.X.Min, p.X.Max = -0.2, float64(max(steps-1, 1))+0.2
	p.X.Tick.Marker = integerTicks{}
	// The middle right is where curves that settle at 0 or 1 leave room.
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.YOffs = vg.Points(70)
	return NewFigure(4*vg.Inch, 3.2*vg.Inch, []*plot.Plot{p})
}

// Row places the panels of several one-row figures side by side under one
// title.
func Row(title string, figs ...*Figure) *Figure {
	var row []*plot.Plot
	w, h := vg.Length(0), vg.Length(0)
	for _, f := range figs {
		for _, r := range f.Panels {
			row = append(row, r...)
		}
		w += f.Width
		h = max(h, f.Height)
	}
	out := NewFigure(w, h+0.3*vg.Inch, row)
	out.Title = title
	return out
}

// placeLegend puts the legend top left unless the lines start in the top
// third of the axis, where it would hide them; then top right.
func placeLegend(p *plot.Plot, firsts []float64, lo, hi float64) {
	p.Legend.Top, p.Legend.Left = true, true
	for _, f := range firsts {
		if hi > lo && (f-lo)/(hi-lo) > 0.66 {
			p.Legend.Left = false
		}
	}
}

// addBand adds a line with markers and, when band is set, a translucent
// mean +/- sd polygon.
func addBand(p *plot.Plot, mean, sd []float64, c color.RGBA, label string, band bool) {
	pts := make(plotter.XYs, 0, len(mean))
	upper := make(plotter.XYs, 0, len(mean))
	lower := make(plotter.XYs, 0, len(mean))
	for t, m := range mean {
		if math.IsNaN(m) {
			continue
		}
		pts = append(pts, plotter.XY{X: float64(t), Y: m})
		upper = append(upper, plotter.XY{X: float64(t), Y: m + sd[t]})
		lower = append(lower, plotter.XY{X: float64(t), Y: m - sd[t]})
	}
	if band && len(pts) > 1 {
		poly := append(upper, reverse(lower)...)
		if pg, err := plotter.NewPolygon(poly); err == nil {
			pg.Color = withAlpha(c, 60)
			pg.LineStyle.Width = 0
			p.Add(pg)
		}
	}
	if l, s, err := plotter.NewLinePoints(pts); err == nil {
		l.Color, l.Width = c, vg.Points(1.6)
		s.Color, s.Shape, s.Radius = c, draw.CircleGlyph{}, vg.Points(2.5)
		if len(pts) > 30 {
			s.Radius = 0 // markers would merge into a thick line
		}
		p.Add(l, s)
		if label != "" {
			p.Legend.Add(label, l, s)
		}
	}
}

func reverse(xs plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(xs))
	for i, v := range xs {
		out[len(xs)-1-i] = v
	}
	return out
}

// integerTicks labels integer steps: every step when there are at most 11,
// otherwise multiples of a round step (2, 5, 10, 20, 25, 50, ...) with at
// most 11 labels, and unlabelled minor ticks between them only where they
// stay apart (a tick per step on a 200-step axis is a solid bar).
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := int(math.Ceil(min)), int(math.Floor(max))
	step := 1
	for m := 1; (hi-lo)/step > 10; m *= 10 {
		for _, f := range []int{1, 2, 5} {
			if step = f * m; (hi-lo)/step <= 10 {
				break
			}
		}
	}
	minor := step
	switch {
	case step%5 == 0 && (hi-lo)/(step/5) <= 60:
		minor = step / 5
	case step%2 == 0 && (hi-lo)/(step/2) <= 60:
		minor = step / 2
	}
	var ticks []plot.Tick
	for v := lo; v <= hi; v++ {
		if step == 1 || v%minor == 0 {
			t := plot.Tick{Value: float64(v)}
			if v%step == 0 {
				t.Label = itoa(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

func itoa(v int) string { return strconv.Itoa(v) }
