package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/llmsam/llmsam/stdlib/history"
)

// HeatMap draws a value per point of a sweep (for instance
// history.FinalMean(history.Adoption)) as a heat map with a colour bar and,
// on grids of at most 12 x 12, the value printed in each cell. The colour
// scale spans [lo, hi]; pass lo = hi to fit the data.
func HeatMap(sw *history.Sweep, value func(*history.Run) float64, title string, lo, hi float64) *Figure {
	return HeatMapGrid(sw.Grid(value), sw.Xs, sw.Ys, sw.XName, sw.YName, title, lo, hi)
}

// HeatMapGrid draws z[iy][ix] over the axes xs and ys. The title may have
// several lines (say what a cell is: set-up, number of runs); the colour
// bar is labelled with its first line.
func HeatMapGrid(z [][]float64, xs, ys []float64, xname, yname, title string, lo, hi float64) *Figure {
	g := grid{z: z, nx: len(xs), ny: len(ys)}
	if lo == hi {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, row := range z {
			for _, v := range row {
				if !math.IsNaN(v) {
					lo, hi = min(lo, v), max(hi, v)
				}
			}
		}
		if lo == hi {
			hi = lo + 1
		}
	}
	cm := viridis()
	cm.SetMin(lo)
	cm.SetMax(hi)
	pal := cm.Palette(255)
	h := plotter.NewHeatMap(g, pal)
	h.Min, h.Max = lo, hi
	h.NaN = plotter.DefaultLineStyle.Color
	p := newPlot(title, xname, yname)
	p.Add(h)
	if len(xs) <= 12 && len(ys) <= 12 {
		var pts []plotter.XY
		var labels []string
		for iy, row := range z {
			for ix, v := range row {
				pts = append(pts, plotter.XY{X: float64(ix), Y: float64(iy)})
				labels = append(labels, fmt.Sprintf("%.2f", v))
			}
		}
		if l, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels}); err == nil {
			for i := range l.TextStyle {
				l.TextStyle[i].Font.Size = vg.Points(7)
				l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = -0.5, -0.5
				l.TextStyle[i].Color = labelColor(cm, z[i/len(xs)][i%len(xs)])
			}
			p.Add(l)
		}
	}
	p.NominalX(tickLabels(xs)...)
	p.NominalY(tickLabels(ys)...)
	bar := newPlot("", "", "")
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	bar.HideX()
	bar.Y.Padding = 0
	bar.Y.Label.Text, _, _ = strings.Cut(title, "\n")
	return &Figure{Panels: [][]*plot.Plot{{p, bar}}, Width: 6 * vg.Inch, Height: 4.2 * vg.Inch,
		colWidths: []float64{0.86, 0.14}}
}

// viridis returns a perceptually uniform sequential map from dark purple to
// yellow (the control points of matplotlib's viridis), whose ends both stand
// out from a white page.
func viridis() palette.ColorMap {
	cm, err := moreland.NewLuminance([]color.Color{
		color.NRGBA{0x44, 0x01, 0x54, 0xff}, color.NRGBA{0x3b, 0x52, 0x8b, 0xff}, color.NRGBA{0x21, 0x91, 0x8c, 0xff},
		color.NRGBA{0x5e, 0xc9, 0x62, 0xff}, color.NRGBA{0xfd, 0xe7, 0x25, 0xff},
	})
	if err != nil {
		panic(err) // the control points are fixed and valid
	}
	return cm
}

// labelColor picks black or white text for readability on a cell.
func labelColor(cm palette.ColorMap, v float64) colorT {
	c, err := cm.At(v)
	if err != nil {
		return black
	}
	r, g, b, _ := c.RGBA()
	if 0.299*float64(r)+0.587*float64(g)+0.114*float64(b) > 0.5*65535 {
		return black
	}
	return white
}

// grid adapts a matrix to plotter.GridXYZ with unit cells at integer
// positions, so uneven parameter values still get equal cells; the axes are
// labelled with the values.
type grid struct {
	z      [][]float64
	nx, ny int
}

func (g grid) Dims() (c, r int)   { return g.nx, g.ny }
func (g grid) Z(c, r int) float64 { return g.z[r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

// tickLabels formats parameter values compactly, thinning them to at most
// 12 labels.
func tickLabels(vs []float64) []string {
	every := (len(vs) + 11) / 12
	out := make([]string, len(vs))
	for i, v := range vs {
		if i%every == 0 {
			out[i] = strconv.FormatFloat(v, 'g', 4, 64)
		}
	}
	return out
}
