package plots

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
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
	// At places recorded step t at At[t] on the step axis (nil: at t), for
	// runs whose steps correspond to some steps of the others (a static
	// control's 3 rounds beside a 10-step dynamic run: 0, 1, 9). Such a
	// series is drawn as markers with error bars (the band's half-widths),
	// not joined by a line, so that nothing is drawn between its steps.
	At []float64
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
	return MetricPanels(series, []Metric{AdoptionMetric, MeanOpinionMetric})
}

// AdoptionMetric is the panel of the adoption share.
var AdoptionMetric = Metric{"Adoption rate", "share adopting (x = 1)", history.Adoption, 0, 1}

// MeanOpinionMetric is the panel of the mean opinion, on the survey's
// answer scale 0-10: the scale every figure, table and console line of the
// project shows opinions on (the models hold them on [0,1], answer / 10).
var MeanOpinionMetric = Metric{"Mean opinion", "mean opinion (answer 0-10)",
	func(m metrics.Snapshot) float64 { return 10 * m.MeanOpinion }, 0, 10}

// Band selects what the shaded band around a mean line shows.
type Band int

const (
	// BandSD is mean +/- one standard deviation over the runs.
	BandSD Band = iota
	// BandCI95 is the 95% confidence interval of the mean over the runs
	// (Student t with runs - 1 degrees of freedom).
	BandCI95
)

// Bands is the band the trajectory figures draw (BandSD unless a script
// sets it); each figure's x-axis label says which, and over how many runs.
var Bands = BandSD

// bandNote describes the band of series for an axis label, e.g. "band: mean
// +/- sd over 5 runs" (or "5-25 runs" when the series differ).
func bandNote(series []Series) string {
	lo, hi := math.MaxInt, 0
	for _, s := range series {
		lo, hi = min(lo, len(s.Metrics)), max(hi, len(s.Metrics))
	}
	if hi <= 1 {
		return "one run, no band"
	}
	runs := strconv.Itoa(hi)
	if lo != hi {
		runs = strconv.Itoa(lo) + "-" + runs
	}
	if Bands == BandCI95 {
		return "band: 95% CI of the mean over " + runs + " runs"
	}
	return "band: mean ± sd over " + runs + " runs"
}

// clippedNote is added to bandNote when a band was cut at the ends of its
// quantity's range.
const clippedNote = ", clipped to the scale"

// clipBand returns the ends of the band m -/+ h cut to the quantity's
// range [lo, hi] when hi > lo (a share below 0 or an answer above 10 cannot
// happen), and whether either was cut.
func clipBand(m, h, lo, hi float64) (low, high float64, clipped bool) {
	low, high = m-h, m+h
	if hi > lo {
		if low < lo {
			low, clipped = lo, true
		}
		if high > hi {
			high, clipped = hi, true
		}
	}
	return low, high, clipped
}

// halfWidth turns per-step standard deviations over runs into the band's
// half-width.
func halfWidth(sd []float64, runs int) []float64 {
	if Bands != BandCI95 || runs < 2 {
		return sd
	}
	// BandOf's sd divides by runs; the interval uses the sample sd.
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(runs - 1)}.Quantile(0.975)
	out := make([]float64, len(sd))
	for t, v := range sd {
		out[t] = q * v * math.Sqrt(float64(runs)/float64(runs-1)) / math.Sqrt(float64(runs))
	}
	return out
}

// Metric is one panel of MetricPanels: a title, a y-axis label, the value to
// draw and the quantity's range (a share 0-1, an answer 0-10), which the y
// axis spans and the bands are clipped to (Min = Max = 0: an unbounded
// quantity, the axis fits the data).
type Metric struct {
	Title, YLabel string
	Value         func(metrics.Snapshot) float64
	Min, Max      float64
}

// MetricPanels draws one panel per metric, side by side (two per row for
// four metrics), each with one line and band (see Bands) per series. Series
// differ in colour, dash pattern and marker shape, so that lines lying on
// top of each other stay distinguishable.
func MetricPanels(series []Series, ms []Metric) *Figure {
	row := make([]*plot.Plot, len(ms))
	for k, m := range ms {
		p := newPlot(m.Title, "", m.YLabel)
		note := bandNote(series)
		steps := 0
		var firsts []float64
		lo, hi := math.Inf(1), math.Inf(-1)
		for i, s := range series {
			mean, sd := history.BandOf(s.Metrics, m.Value)
			sd = halfWidth(sd, len(s.Metrics))
			steps = max(steps, len(mean))
			if addBand(p, mean, sd, s.At, i, s.Label, len(s.Metrics) > 1, m.Min, m.Max) && !strings.HasSuffix(note, clippedNote) {
				note += clippedNote
			}
			if len(s.At) > 0 {
				steps = max(steps, int(slices.Max(s.At))+1)
			}
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
		p.X.Label.Text = "step (0 = initial answers); " + note
		placeLegend(p, firsts, lo, hi)
		p.X.Min, p.X.Max = -0.2, float64(max(steps-1, 1))+0.2
		p.X.Tick.Marker = integerTicks{}
		row[k] = p
	}
	if len(ms) == 4 {
		return NewFigure(7.8*vg.Inch, 6.2*vg.Inch, row[:2], row[2:])
	}
	w := vg.Length(len(ms)) * 3.6 * vg.Inch
	return NewFigure(w, 3.2*vg.Inch, row)
}

// Overlay draws several metrics of one series in one panel, each with its
// band (see Bands) (for instance adoption against the share of supportive
// opinions, to show an unpopular norm).
func Overlay(title string, s Series, ms ...Metric) *Figure {
	p := newPlot(title, "", "share")
	note := bandNote([]Series{s})
	steps := 0
	for i, m := range ms {
		mean, sd := history.BandOf(s.Metrics, m.Value)
		sd = halfWidth(sd, len(s.Metrics))
		steps = max(steps, len(mean))
		if addBand(p, mean, sd, s.At, i, m.Title, len(s.Metrics) > 1, m.Min, m.Max) && !strings.HasSuffix(note, clippedNote) {
			note += clippedNote
		}
		if len(s.At) > 0 {
			steps = max(steps, int(slices.Max(s.At))+1)
		}
		p.Y.Min, p.Y.Max = min(p.Y.Min, m.Min), max(p.Y.Max, m.Max)
	}
	p.X.Label.Text = "step; " + note
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

// lineShapes and lineDashes tell series apart where their colours overlap.
var (
	lineShapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.BoxGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{}}
	lineDashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)}}
)

// addBand adds series k's line with markers and, when band is set, a
// translucent polygon mean +/- half (half-widths per step), clipped to the
// quantity's range [lo, hi] when hi > lo (see clipBand); it reports whether
// it clipped. With at (the x of each step, see Series.At) it adds markers
// with error bars instead.
func addBand(p *plot.Plot, mean, sd, at []float64, k int, label string, band bool, lo, hi float64) (clipped bool) {
	c := lineColor(k)
	pts := make(plotter.XYs, 0, len(mean))
	upper := make(plotter.XYs, 0, len(mean))
	lower := make(plotter.XYs, 0, len(mean))
	var errs plotter.YErrors
	for t, m := range mean {
		if math.IsNaN(m) {
			continue
		}
		x := float64(t)
		if at != nil {
			if t >= len(at) {
				break
			}
			x = at[t]
		}
		low, high, cut := clipBand(m, sd[t], lo, hi)
		clipped = clipped || (cut && band)
		pts = append(pts, plotter.XY{X: x, Y: m})
		upper = append(upper, plotter.XY{X: x, Y: high})
		lower = append(lower, plotter.XY{X: x, Y: low})
		errs = append(errs, struct{ Low, High float64 }{m - low, high - m})
	}
	if at != nil {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return clipped
		}
		s.Color, s.Shape, s.Radius = c, lineShapes[k%len(lineShapes)], vg.Points(3.5)
		if band {
			if eb, err := plotter.NewYErrorBars(struct {
				plotter.XYs
				plotter.YErrors
			}{pts, errs}); err == nil {
				eb.Color, eb.Width, eb.CapWidth = c, vg.Points(1.2), vg.Points(5)
				p.Add(eb)
			}
		}
		p.Add(s)
		if label != "" {
			p.Legend.Add(label, s)
		}
		return clipped
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
		l.Color, l.Width, l.Dashes = c, vg.Points(1.6), lineDashes[k%len(lineDashes)]
		s.Color, s.Shape, s.Radius = c, lineShapes[k%len(lineShapes)], vg.Points(2.5)
		if len(pts) > 30 {
			s.Radius = 0 // markers would merge into a thick line
		}
		p.Add(l, s)
		if label != "" {
			p.Legend.Add(label, l, s)
		}
	}
	return clipped
}

func reverse(xs plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(xs))
	for i, v := range xs {
		out[len(xs)-1-i] = v
	}
	return out
}

// integerTicks labels every integer step (every k-th when there are many).
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := int(math.Ceil(min)), int(math.Floor(max))
	// Labels every 1, 2, 5, 10, 20, 50, ... steps, at most 10 of them, and
	// unlabelled ticks at every step only on short axes.
	step := 1
	for k := 0; (hi-lo)/step > 10; k++ {
		step = []int{1, 2, 5}[(k+1)%3] * int(math.Pow10((k+1)/3))
	}
	var ticks []plot.Tick
	for v := lo; v <= hi; v++ {
		labelled := v%step == 0
		if !labelled && hi-lo > 30 {
			continue
		}
		t := plot.Tick{Value: float64(v)}
		if labelled {
			t.Label = itoa(v)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

func itoa(v int) string { return strconv.Itoa(v) }
