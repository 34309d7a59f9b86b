package plots

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/llmsam/llmsam/stdlib/experiment"
)

// ParamFigure is a figure drawn from an experiment's runs table (runs.csv):
// with Kind "band" (the default), Value against the parameter X, the mean
// over the runs at each value with a band, one line per value of By and
// one panel per value of Facet; with Kind "heatmap", the mean of Value over
// the grid of X and Y. Titles give the number of runs behind each point.
type ParamFigure struct {
	Name  string // file name without extension, for SaveParamFigures
	Kind  string // "band" or "heatmap"
	Value string // the result column, e.g. "final_adoption"
	X     string // the parameter on the x axis
	Y     string // heatmap: the parameter on the y axis
	By    string // band: one coloured line per value ("" for one line)
	Facet string // band: one panel per value ("" for one panel)
	Band  string // band: "sd" (mean +/- sd, the default) or "ci95" (mean +/- 1.96 sd / sqrt(n), a normal 95% interval)
	Title string // default: the value's name
	// XLabel and YLabel name the axes when the column names are too terse
	// (default: the column names).
	XLabel, YLabel string
	Lo, Hi         float64 // the y range (band; the band is clipped to it) or colour range (heatmap); equal values fit the data
	Scale          float64 // multiplies the values (10: opinions on the answer scale 0-10); 0 means 1
}

// column is a table column read as numbers where every cell is one, or as
// levels in order of first appearance.
type column struct {
	cells  []string
	num    []float64
	levels []string // the distinct values, sorted numerically when numeric
}

func readColumn(t *experiment.Table, name string) (*column, error) {
	cells, err := t.Strings(name)
	if err != nil {
		return nil, err
	}
	c := &column{cells: cells, num: make([]float64, len(cells))}
	numeric := true
	seen := map[string]bool{}
	for i, s := range cells {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			numeric = false
		}
		c.num[i] = v
		if !seen[s] {
			seen[s] = true
			c.levels = append(c.levels, s)
		}
	}
	if !numeric {
		c.num = nil
	} else {
		sort.SliceStable(c.levels, func(i, j int) bool {
			a, _ := strconv.ParseFloat(c.levels[i], 64)
			b, _ := strconv.ParseFloat(c.levels[j], 64)
			return a < b
		})
	}
	return c, nil
}

// cellStats are the runs at one point of a figure.
type cellStats struct{ sum, sq, n float64 }

func (s *cellStats) add(v float64) {
	if !math.IsNaN(v) {
		s.sum += v
		s.sq += v * v
		s.n++
	}
}

func (s cellStats) mean() float64 { return s.sum / s.n }

func (s cellStats) sd() float64 {
	if s.n < 2 {
		return 0
	}
	m := s.mean()
	return math.Sqrt(max(0, (s.sq-s.n*m*m)/(s.n-1)))
}

// runCount says how many runs are behind each point: "24 runs, 4 per point".
func runCount(total int, per []float64) string { return runCountOf(total, per, "point") }

func runCountOf(total int, per []float64, unit string) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, n := range per {
		lo, hi = min(lo, n), max(hi, n)
	}
	if len(per) == 0 {
		return fmt.Sprintf("%d runs", total)
	}
	if lo == hi {
		return fmt.Sprintf("%d runs, %g per %s", total, lo, unit)
	}
	return fmt.Sprintf("%d runs, %g-%g per %s", total, lo, hi, unit)
}

// Draw draws the figure from a runs table.
func (f ParamFigure) Draw(runs *experiment.Table) (*Figure, error) {
	if f.Value == "" || f.X == "" {
		return nil, fmt.Errorf("figure %q: want Value and X", f.Name)
	}
	if f.Title == "" {
		f.Title = strings.ReplaceAll(f.Value, "_", " ")
	}
	if len(runs.Rows) == 0 {
		return nil, fmt.Errorf("figure %q: the runs table has no rows", f.Name)
	}
	switch f.Kind {
	case "", "band":
		return f.band(runs)
	case "heatmap":
		return f.heatMap(runs)
	}
	return nil, fmt.Errorf("figure %q: kind %q, want band or heatmap", f.Name, f.Kind)
}

func (f ParamFigure) band(runs *experiment.Table) (*Figure, error) {
	val, err := f.values(runs)
	if err != nil {
		return nil, err
	}
	x, err := readColumn(runs, f.X)
	if err != nil {
		return nil, fmt.Errorf("figure %q: %w", f.Name, err)
	}
	one := &column{cells: make([]string, len(val)), levels: []string{""}}
	by, facet := one, one
	if f.By != "" {
		if by, err = readColumn(runs, f.By); err != nil {
			return nil, fmt.Errorf("figure %q: %w", f.Name, err)
		}
	}
	if f.Facet != "" {
		if facet, err = readColumn(runs, f.Facet); err != nil {
			return nil, fmt.Errorf("figure %q: %w", f.Name, err)
		}
	}
	z := 1.0
	what := "mean ± sd"
	switch f.Band {
	case "", "sd":
	case "ci95":
		z, what = 1.96, "mean ± 1.96 se (95% interval)"
	default:
		return nil, fmt.Errorf("figure %q: band %q, want sd or ci95", f.Name, f.Band)
	}
	xpos := map[string]float64{}
	for k, l := range x.levels {
		xpos[l] = float64(k)
		if x.num != nil {
			xpos[l], _ = strconv.ParseFloat(l, 64)
		}
	}
	type cellKey struct{ facet, by, x string }
	stats := map[cellKey]*cellStats{}
	for i, v := range val {
		k := cellKey{facet.cells[i], by.cells[i], x.cells[i]}
		if stats[k] == nil {
			stats[k] = &cellStats{}
		}
		stats[k].add(v)
	}
	var per []float64
	var row []*plot.Plot
	lo, hi := math.Inf(1), math.Inf(-1)
	clipped := false
	for _, fl := range facet.levels {
		title := ""
		if f.Facet != "" {
			title = f.Facet + " = " + fl
		}
		p := newPlot(title, or(f.XLabel, f.X), or(f.YLabel, strings.ReplaceAll(f.Value, "_", " ")))
		for bi, bl := range by.levels {
			var pts, upper, lower plotter.XYs
			for _, xl := range x.levels {
				s := stats[cellKey{fl, bl, xl}]
				if s == nil || s.n == 0 {
					continue
				}
				per = append(per, s.n)
				m, h := s.mean(), z*s.sd()
				if f.Band == "ci95" {
					h /= math.Sqrt(s.n)
				}
				low, high, cut := clipBand(m, h, f.Lo, f.Hi)
				clipped = clipped || cut
				pts = append(pts, plotter.XY{X: xpos[xl], Y: m})
				upper = append(upper, plotter.XY{X: xpos[xl], Y: high})
				lower = append(lower, plotter.XY{X: xpos[xl], Y: low})
				lo, hi = min(lo, low), max(hi, high)
			}
			c := lineColor(bi)
			if len(pts) > 1 {
				if pg, err := plotter.NewPolygon(append(upper, reverse(lower)...)); err == nil {
					pg.Color = withAlpha(c, 60)
					pg.LineStyle.Width = 0
					p.Add(pg)
				}
			}
			if l, s, err := plotter.NewLinePoints(pts); err == nil {
				// Markers and dashes tell lines apart where they coincide.
				l.Color, l.Width, l.Dashes = c, vg.Points(1.6), lineDashes[bi%len(lineDashes)]
				s.Color, s.Shape, s.Radius = c, lineShapes[bi%len(lineShapes)], vg.Points(2.5)
				p.Add(l, s)
				if f.By != "" {
					p.Legend.Add(f.By+" = "+bl, l, s)
				}
			}
		}
		if x.num == nil {
			p.NominalX(x.levels...)
		}
		row = append(row, p)
	}
	if f.Hi > f.Lo {
		lo, hi = f.Lo, f.Hi
	}
	for _, p := range row {
		p.Y.Min, p.Y.Max = lo, hi
		p.Legend.Top, p.Legend.Left = true, true
	}
	w := vg.Length(len(row)) * 3.6 * vg.Inch
	fig := NewFigure(max(w, 4.4*vg.Inch), 3.5*vg.Inch, row)
	if clipped {
		what += fmt.Sprintf(", clipped to %g-%g", f.Lo, f.Hi)
	}
	fig.Title = fmt.Sprintf("%s: %s (%s)", f.Title, what, runCount(len(val), per))
	if len(row) == 1 && row[0].Title.Text == "" {
		row[0].Title.Text, fig.Title = fig.Title, ""
		fig.Height = 3.2 * vg.Inch
	}
	return fig, nil
}

func (f ParamFigure) heatMap(runs *experiment.Table) (*Figure, error) {
	if f.Y == "" {
		return nil, fmt.Errorf("figure %q: a heat map wants Y", f.Name)
	}
	val, err := f.values(runs)
	if err != nil {
		return nil, err
	}
	x, err := readColumn(runs, f.X)
	if err != nil {
		return nil, fmt.Errorf("figure %q: %w", f.Name, err)
	}
	y, err := readColumn(runs, f.Y)
	if err != nil {
		return nil, fmt.Errorf("figure %q: %w", f.Name, err)
	}
	ix, iy := map[string]int{}, map[string]int{}
	for k, l := range x.levels {
		ix[l] = k
	}
	for k, l := range y.levels {
		iy[l] = k
	}
	stats := make([][]cellStats, len(y.levels))
	for k := range stats {
		stats[k] = make([]cellStats, len(x.levels))
	}
	for i, v := range val {
		stats[iy[y.cells[i]]][ix[x.cells[i]]].add(v)
	}
	z := make([][]float64, len(y.levels))
	var per []float64
	for r := range z {
		z[r] = make([]float64, len(x.levels))
		for c := range z[r] {
			z[r][c] = math.NaN()
			if s := stats[r][c]; s.n > 0 {
				z[r][c] = s.mean()
				per = append(per, s.n)
			}
		}
	}
	// The colour bar is labelled with the title's first line; later lines
	// (the set-up) go under the first in the title.
	head, setup, _ := strings.Cut(f.Title, "\n")
	title := fmt.Sprintf("%s: mean (%s)", head, runCountOf(len(val), per, "cell"))
	if setup != "" {
		title += "\n" + setup
	}
	return heatMap(z, thin(x.levels), thin(y.levels), or(f.XLabel, f.X), or(f.YLabel, f.Y), title, head, f.Lo, f.Hi), nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// values returns the Value column, scaled.
func (f ParamFigure) values(runs *experiment.Table) ([]float64, error) {
	val, err := runs.Floats(f.Value)
	if err != nil {
		return nil, fmt.Errorf("figure %q: %w", f.Name, err)
	}
	if f.Scale != 0 {
		for i := range val {
			val[i] *= f.Scale
		}
	}
	return val, nil
}

// thin keeps at most 12 tick labels.
func thin(labels []string) []string {
	every := (len(labels) + 11) / 12
	out := make([]string, len(labels))
	for i, l := range labels {
		if i%every == 0 {
			out[i] = l
		}
	}
	return out
}

// figureFile is figures.json: the figures an experiment folder holds, so
// that `llmsam merge` draws the same ones from the merged tables.
type figureFile struct {
	Formats []string      `json:"formats"`
	Figures []ParamFigure `json:"figures"`
}

// SaveParamFigures draws figures from the runs table of an experiment
// folder, writes each as dir/NAME.FORMAT and records them in
// dir/figures.json for DrawParamFigures. It returns the paths written.
func SaveParamFigures(dir string, formats []string, figs ...ParamFigure) ([]string, error) {
	b, err := json.MarshalIndent(figureFile{Formats: formats, Figures: figs}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "figures.json"), append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	return DrawParamFigures(dir)
}

// DrawParamFigures draws the figures listed in dir/figures.json from
// dir/runs.csv (what `llmsam merge` does after merging shards).
func DrawParamFigures(dir string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "figures.json"))
	if err != nil {
		return nil, err
	}
	var ff figureFile
	if err := json.Unmarshal(b, &ff); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "figures.json"), err)
	}
	runs, err := experiment.ReadCSV(filepath.Join(dir, "runs.csv"))
	if err != nil {
		return nil, err
	}
	var paths []string
	for k, f := range ff.Figures {
		if f.Name == "" || strings.ContainsAny(f.Name, `/\`) {
			return paths, fmt.Errorf("%s: figure %d: want a Name without slashes", filepath.Join(dir, "figures.json"), k)
		}
		fig, err := f.Draw(runs)
		if err != nil {
			return paths, err
		}
		ps, err := fig.SaveAs(filepath.Join(dir, f.Name), ff.Formats...)
		paths = append(paths, ps...)
		if err != nil {
			return paths, err
		}
	}
	return paths, nil
}
