package plots

import (
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// pngCanvas returns a PNG canvas at 200 dpi, sharp enough for slides and
// papers.
func pngCanvas(w, h vg.Length) (vg.CanvasWriterTo, error) {
	return vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(200))}, nil
}
