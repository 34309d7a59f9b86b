package plots

import (
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/metrics"
)

// boundedRuns are four replicates of two steps whose mean +/- sd leaves
// the quantities' ranges: adoption 0, 0, 0, 0.4 (mean 0.1, sd 0.17) and
// mean opinion 10, 10, 10, 6 on the answer scale (mean 9, sd 1.7).
func boundedRuns() [][]metrics.Snapshot {
	var out [][]metrics.Snapshot
	for k, a := range []float64{0, 0, 0, 0.4} {
		o := 1.0
		if k == 3 {
			o = 0.6
		}
		s := metrics.Snapshot{Adoption: a, MeanOpinion: o}
		out = append(out, []metrics.Snapshot{s, s})
	}
	return out
}

// TestBandsClippedToTheScale: the bands of bounded quantities stay inside
// their range (the plot's data range, which gonum takes from the band's
// polygon and error bars), and the axis label says they were clipped.
func TestBandsClippedToTheScale(t *testing.T) {
	for _, at := range [][]float64{nil, {0, 5}} { // a band, and error bars
		for _, m := range []Metric{AdoptionMetric, MeanOpinionMetric} {
			s := Series{Label: "s", Metrics: boundedRuns(), At: at}
			p := plot.New()
			mean, sd := bandOf(s, m)
			if !addBand(p, mean, sd, s.At, 0, "s", true, m.Min, m.Max) {
				t.Errorf("%s (at %v): the band was not reported clipped", m.Title, at)
			}
			if p.Y.Min < m.Min || p.Y.Max > m.Max {
				t.Errorf("%s (at %v): the band spans %g to %g, outside the quantity's range %g-%g", m.Title, at, p.Y.Min, p.Y.Max, m.Min, m.Max)
			}
			// Unbounded (Min = Max): drawn as computed.
			p = plot.New()
			if addBand(p, mean, sd, s.At, 0, "s", true, 0, 0) || (p.Y.Min >= m.Min && p.Y.Max <= m.Max) {
				t.Errorf("%s (at %v): an unbounded band was clipped: %g to %g", m.Title, at, p.Y.Min, p.Y.Max)
			}
		}
	}
	f := MetricPanels([]Series{{Label: "s", Metrics: boundedRuns()}}, []Metric{AdoptionMetric, MeanOpinionMetric})
	for _, p := range f.Panels[0] {
		if !strings.HasSuffix(p.X.Label.Text, "band: mean ± sd over 4 runs, clipped to the scale") {
			t.Errorf("axis label %q does not say the band was clipped", p.X.Label.Text)
		}
	}
	o := Overlay("overlay", Series{Label: "s", Metrics: boundedRuns()}, AdoptionMetric).Panels[0][0]
	if o.Y.Min < 0 || !strings.HasSuffix(o.X.Label.Text, clippedNote) {
		t.Errorf("overlay: y from %g, label %q; want the band clipped at 0 and said so", o.Y.Min, o.X.Label.Text)
	}
	// Bands inside the range are not said to be clipped.
	inside := [][]metrics.Snapshot{{{Adoption: 0.4, MeanOpinion: 0.5}}, {{Adoption: 0.6, MeanOpinion: 0.5}}}
	f = MetricPanels([]Series{{Label: "s", Metrics: inside}}, []Metric{AdoptionMetric})
	if l := f.Panels[0][0].X.Label.Text; strings.Contains(l, "clipped") {
		t.Errorf("axis label %q: nothing was clipped", l)
	}
}

// bandOf is the mean and half-width MetricPanels draws for s and m.
func bandOf(s Series, m Metric) (mean, half []float64) {
	mean, sd := history.BandOf(s.Metrics, m.Value)
	return mean, halfWidth(sd, len(s.Metrics))
}
