package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
)

// Network draws a graph with a force-directed layout: each node coloured by
// its opinion in st (blue 0 to red 1), drawn as a filled disc when the agent
// adopts and a ring when it does not, sized by degree; with a colour bar for
// opinions on the answer scale 0-10. Graphs above MaxLayoutNodes nodes give an error.
func Network(title string, g *netw.Graph, st *agent.State) (*Figure, error) {
	if st != nil && st.N() != g.N() {
		return nil, fmt.Errorf("network figure: %d agents for %d nodes", st.N(), g.N())
	}
	pos, err := Layout(g, 300, 1)
	if err != nil {
		return nil, err
	}
	cm := moreland.SmoothBlueRed()
	cm.SetMin(0)
	cm.SetMax(1)
	p := newPlot(title, "", "")
	p.HideAxes()
	p.Add(&edges{g: g, pos: pos})
	dmax := 1
	for i := range g.N() {
		dmax = max(dmax, g.Degree(i))
	}
	var yes, no plotter.XYs
	var yesIdx, noIdx []int
	for i := range pos {
		pt := plotter.XY{X: pos[i][0], Y: pos[i][1]}
		if st != nil && st.Action[i] == 1 {
			yes, yesIdx = append(yes, pt), append(yesIdx, i)
		} else {
			no, noIdx = append(no, pt), append(noIdx, i)
		}
	}
	style := func(idx []int, shape draw.GlyphDrawer) func(int) draw.GlyphStyle {
		return func(k int) draw.GlyphStyle {
			i := idx[k]
			var c color.Color = color.Gray{Y: 120}
			if st != nil {
				if cc, err := cm.At(st.Opinion[i]); err == nil {
					c = cc
				}
			}
			rad := vg.Points(2.2 + 5*math.Sqrt(float64(g.Degree(i))/float64(dmax)))
			return draw.GlyphStyle{Color: c, Radius: rad, Shape: shape}
		}
	}
	for _, set := range []struct {
		pts   plotter.XYs
		idx   []int
		shape draw.GlyphDrawer
		label string
	}{{no, noIdx, thickRing{}, "does not adopt"}, {yes, yesIdx, outlinedDisc{}, "adopts"}} {
		if len(set.pts) == 0 {
			continue
		}
		s, _ := plotter.NewScatter(set.pts)
		s.GlyphStyleFunc = style(set.idx, set.shape)
		p.Add(s)
		if st != nil {
			leg, _ := plotter.NewScatter(plotter.XYs{{}})
			leg.GlyphStyle = draw.GlyphStyle{Color: color.Gray{Y: 90}, Radius: vg.Points(4), Shape: set.shape}
			p.Legend.Add(set.label, leg)
		}
	}
	if st != nil {
		p.Legend.Add("size: degree")
	}
	p.Legend.Top = true
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.05, 1.05, -0.05, 1.12
	// The colour bar is on the survey's answer scale, as every figure shows
	// opinions; the same colours as the nodes' 0-1 opinions.
	scale := moreland.SmoothBlueRed()
	scale.SetMin(0)
	scale.SetMax(10)
	bar := newPlot("", "", "opinion (answer 0-10)")
	bar.Add(&plotter.ColorBar{ColorMap: scale, Vertical: true})
	bar.HideX()
	return &Figure{Panels: [][]*plot.Plot{{p, bar}}, Width: 6.2 * vg.Inch, Height: 5.4 * vg.Inch,
		colWidths: []float64{0.88, 0.12}}, nil
}

// edges draws every edge as a thin grey segment.
type edges struct {
	g   *netw.Graph
	pos [][2]float64
}

// Plot implements plot.Plotter.
func (e *edges) Plot(c draw.Canvas, plt *plot.Plot) {
	tx, ty := plt.Transforms(&c)
	sty := draw.LineStyle{Color: color.NRGBA{R: 120, G: 120, B: 120, A: 70}, Width: vg.Points(0.4)}
	for _, ed := range e.g.EdgeList() {
		a, b := e.pos[ed.U], e.pos[ed.V]
		c.StrokeLine2(sty, tx(a[0]), ty(a[1]), tx(b[0]), ty(b[1]))
	}
}

// DataRange implements plot.DataRanger.
func (e *edges) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 1, 0, 1 }

// outlinedDisc is a filled disc with a dark outline: an adopter.
type outlinedDisc struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (outlinedDisc) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	draw.CircleGlyph{}.DrawGlyph(c, sty, pt)
	c.SetLineStyle(draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)})
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.Stroke(p)
}

// thickRing is a ring in the opinion colour: a non-adopter.
type thickRing struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (thickRing) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.8)})
	r := sty.Radius - vg.Points(0.9)
	var p vg.Path
	p.Move(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Arc(pt, r, 0, 2*math.Pi)
	p.Close()
	c.Stroke(p)
}

// DegreeChange draws each agent's opinion change between the first and last
// state against its degree.
func DegreeChange(title string, g *netw.Graph, first, last *agent.State) *Figure {
	p := newPlot(title, "degree", "opinion change, last - first (0-1 scale)")
	var pts plotter.XYs
	for i := range g.N() {
		pts = append(pts, plotter.XY{X: float64(g.Degree(i)), Y: last.Opinion[i] - first.Opinion[i]})
	}
	s, _ := plotter.NewScatter(pts)
	s.Color, s.Shape, s.Radius = withAlpha(lineColors[0], 150), draw.CircleGlyph{}, vg.Points(2)
	p.Add(s)
	zero, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: float64(maxDegree(g)) + 1, Y: 0}})
	zero.Color, zero.Dashes = color.Gray{Y: 100}, []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(zero)
	return NewFigure(4.6*vg.Inch, 3.4*vg.Inch, []*plot.Plot{p})
}

func maxDegree(g *netw.Graph) int {
	d := 0
	for i := range g.N() {
		d = max(d, g.Degree(i))
	}
	return d
}
