package jupyter

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	_ "image/png" // DecodeConfig of saved PNGs
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/llmsam/llmsam/plots"
)

// sendFigures sends the figures the cell saved, one display per figure:
// the files of one figure in several formats (x.png, x.svg, x.pdf) make one
// bundle with the formats a notebook shows.
func (e *Executor) sendFigures(paths []string) {
	var order []string
	groups := map[string][]string{}
	for _, p := range paths {
		base := strings.TrimSuffix(p, filepath.Ext(p))
		if _, ok := groups[base]; !ok {
			order = append(order, base)
		}
		groups[base] = append(groups[base], p)
	}
	for _, base := range order {
		e.send(savedFigure(groups[base]))
	}
}

// savedFigure is the display of one figure saved as files: its PNG and SVG
// (JPEG when that is all there is) and, as text, where it was saved.
func savedFigure(paths []string) Output {
	data, meta := Bundle{}, Bundle{}
	var shown []string
	for _, p := range paths {
		mime := map[string]string{".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}[strings.ToLower(filepath.Ext(p))]
		if mime == "" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		shown = append(shown, p)
		if mime == "image/svg+xml" {
			data[mime] = string(b)
			continue
		}
		data[mime] = base64.StdEncoding.EncodeToString(b)
		if mime == "image/png" {
			// Saved PNGs are 200 dpi: shown at half their pixel width they
			// have the size of the figure on paper at a screen's 100 dpi.
			if cfg, _, err := image.DecodeConfig(bytes.NewReader(b)); err == nil {
				meta[mime] = Bundle{"width": cfg.Width / 2, "height": cfg.Height / 2}
			}
		}
	}
	text := "figure: " + strings.Join(paths, ", ")
	if len(shown) == 0 {
		text += " (no format a notebook shows: save a .png or .svg to see it here)"
	}
	data["text/plain"] = text
	return Output{Type: DisplayType, Data: data, Metadata: meta}
}

// asFigure reports whether a cell's value is a figure.
func asFigure(v reflect.Value) (*plots.Figure, bool) {
	if !v.IsValid() || !v.CanInterface() {
		return nil, false
	}
	f, ok := v.Interface().(*plots.Figure)
	return f, ok && f != nil
}

// renderFigure draws a figure a cell returned as PNG (and SVG when the
// executor was asked for it).
func (e *Executor) renderFigure(f *plots.Figure) (Bundle, Bundle, error) {
	png := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(int(e.opt.DPI)))}
	f.Draw(draw.New(png))
	var b bytes.Buffer
	if _, err := png.WriteTo(&b); err != nil {
		return nil, nil, fmt.Errorf("drawing the figure as PNG: %w", err)
	}
	data := Bundle{
		"image/png":  base64.StdEncoding.EncodeToString(b.Bytes()),
		"text/plain": fmt.Sprintf("figure %.1f x %.1f in", f.Width/vg.Inch, f.Height/vg.Inch),
	}
	if e.opt.SVG {
		svg := vgsvg.New(f.Width, f.Height)
		f.Draw(draw.New(svg))
		var s bytes.Buffer
		if _, err := svg.WriteTo(&s); err != nil {
			return nil, nil, fmt.Errorf("drawing the figure as SVG: %w", err)
		}
		data["image/svg+xml"] = s.String()
	}
	return data, Bundle{}, nil
}
