package plots

import (
	"math"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/stdlib/metrics"
	"gonum.org/v1/plot/vg"
)

// TestSeriesAtPlacesStepsOnTheAxis: a series with At (a static control's 3
// rounds beside a 10-step run) is drawn at those steps, not at 0, 1, 2.
func TestSeriesAtPlacesStepsOnTheAxis(t *testing.T) {
	snaps := func(n int) [][]metrics.Snapshot {
		run := make([]metrics.Snapshot, n)
		for k := range run {
			run[k] = metrics.Snapshot{Adoption: 0.1 * float64(k), MeanOpinion: 0.5}
		}
		return [][]metrics.Snapshot{run, run}
	}
	dyn := Series{Label: "dynamic", Metrics: snaps(10)}
	static := Series{Label: "static", Metrics: snaps(3), At: []float64{0, 1, 9}}
	f := MetricPanels([]Series{dyn, static}, []Metric{AdoptionMetric})
	p := f.Panels[0][0]
	if p.X.Max < 9 {
		t.Fatalf("x axis ends at %g, want the last step 9", p.X.Max)
	}
	// Glyphs per step: the dynamic line's markers at every step, and the
	// static series' markers (and error-bar caps) at 0, 1 and 9 only.
	count := map[int]int{}
	for _, b := range p.GlyphBoxes(p) {
		count[int(math.Round(b.X*(p.X.Max-p.X.Min)+p.X.Min))]++
	}
	base := count[2]
	for x := range 10 {
		extra := x == 0 || x == 1 || x == 9
		if (extra && count[x] <= base) || (!extra && count[x] != base) {
			t.Errorf("step %d: %d glyphs (step 2: %d); want more only at 0, 1, 9: %v", x, count[x], base, count)
		}
	}
}

// TestWrapTitle: long titles break between words into lines no wider than
// the width, losing nothing.
func TestWrapTitle(t *testing.T) {
	sty := textStyle(11)
	title := strings.Repeat("a long figure title that says what it shows, ", 6) + "end"
	width := 4 * vg.Inch
	lines := wrapTitle(sty, title, width)
	if len(lines) < 2 {
		t.Fatalf("%d line(s), want the title wrapped", len(lines))
	}
	for _, l := range lines {
		if sty.Width(l) > width {
			t.Errorf("line %q is %v wide, more than %v", l, sty.Width(l), width)
		}
	}
	if strings.Join(strings.Fields(strings.Join(lines, " ")), " ") != strings.Join(strings.Fields(title), " ") {
		t.Errorf("wrapping changed the words: %q", lines)
	}
	if got := wrapTitle(sty, "one\ntwo", width); len(got) != 2 {
		t.Errorf("explicit line break: %q", got)
	}
}
