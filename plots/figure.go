package plots

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/llmsam/llmsam/internal/session"
)

// Figure is a grid of panels (rows of plots) drawn on one page.
type Figure struct {
	Panels        [][]*plot.Plot
	Width, Height vg.Length
	Title         string // drawn above the panels, wrapped to the figure's width
	// colWidths, when set for a one-row figure, gives each panel's share of
	// the width (a heat map and its colour bar).
	colWidths []float64
}

// NewFigure returns a figure of the given panel rows and size.
func NewFigure(w, h vg.Length, rows ...[]*plot.Plot) *Figure {
	return &Figure{Panels: rows, Width: w, Height: h}
}

// Save writes the figure to path in the format given by its extension: .png
// (at 200 dpi), .svg, .pdf, .eps, .jpg or .tif. Missing folders are created.
func (f *Figure) Save(path string) error {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if ext == "" {
		return fmt.Errorf("save figure %s: no file extension (want .png, .svg or .pdf)", path)
	}
	var c vg.CanvasWriterTo
	var err error
	if ext == "png" {
		c, err = pngCanvas(f.Width, f.Height)
	} else {
		c, err = draw.NewFormattedCanvas(f.Width, f.Height, ext)
	}
	if err != nil {
		return fmt.Errorf("save figure %s: %w", path, err)
	}
	f.Draw(draw.New(c))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(out); err != nil {
		out.Close()
		return fmt.Errorf("save figure %s: %w", path, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	session.FigureSaved(path)
	return nil
}

// Draw draws the figure on a canvas.
func (f *Figure) Draw(dc draw.Canvas) {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	top := vg.Length(0) // the title's height
	if f.Title != "" {
		sty := textStyle(11)
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		lines := wrapTitle(sty, f.Title, dc.Size().X-vg.Points(16))
		dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y - vg.Points(4)}, strings.Join(lines, "\n"))
		top = vg.Points(22 + 13*float64(len(lines)-1))
	}
	if len(f.colWidths) > 0 && len(f.Panels) == 1 {
		left := vg.Length(0)
		for j, p := range f.Panels[0] {
			w := dc.Size().X * vg.Length(f.colWidths[j])
			right := dc.Size().X - left - w
			p.Draw(draw.Crop(dc, left+vg.Points(4), -right-vg.Points(4), vg.Points(4), -top-vg.Points(4)))
			left += w
		}
		return
	}
	rows := len(f.Panels)
	cols := 0
	for _, r := range f.Panels {
		cols = max(cols, len(r))
	}
	if rows == 0 || cols == 0 {
		return
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(14), PadY: vg.Points(10),
		PadTop: top + vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	full := make([][]*plot.Plot, rows)
	for i, r := range f.Panels {
		full[i] = make([]*plot.Plot, cols)
		copy(full[i], r)
	}
	canvases := plot.Align(full, tiles, dc)
	for i := range full {
		for j, p := range full[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
}

// wrapTitle breaks title into lines no wider than width, at its own line
// breaks and between words, so that no part of a long title is cut off.
func wrapTitle(sty draw.TextStyle, title string, width vg.Length) []string {
	var lines []string
	for _, para := range strings.Split(title, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && sty.Width(line+" "+w) > width {
				lines = append(lines, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		lines = append(lines, line)
	}
	return lines
}

// newPlot returns a panel with the project's style: readable fonts at paper
// size and light grid lines.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font.Size = vg.Points(10)
		ax.Tick.Label.Font.Size = vg.Points(9)
	}
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}

func textStyle(size float64) draw.TextStyle {
	return draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(size)), Handler: plot.DefaultTextHandler}
}

// palette of line colours, colour-blind safe (Okabe and Ito 2008).
var lineColors = []color.RGBA{
	{0, 114, 178, 255}, {213, 94, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
	{230, 159, 0, 255}, {86, 180, 233, 255}, {0, 0, 0, 255}, {240, 228, 66, 255},
}

type colorT = color.Color

var (
	black colorT = color.Black
	white colorT = color.White
)

func lineColor(i int) color.RGBA { return lineColors[i%len(lineColors)] }

func withAlpha(c color.RGBA, a uint8) color.NRGBA { return color.NRGBA{R: c.R, G: c.G, B: c.B, A: a} }

// SaveAs writes the figure as base.EXT for every format (e.g. "png",
// "pdf") and returns the paths written.
func (f *Figure) SaveAs(base string, formats ...string) ([]string, error) {
	var paths []string
	for _, ext := range formats {
		p := base + "." + strings.TrimPrefix(strings.TrimSpace(ext), ".")
		if err := f.Save(p); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
