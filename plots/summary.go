package plots

import (
	"fmt"
	"math"
	"strings"
)

// String summarises a figure (what the REPL and notebooks show before it is
// saved): title, panel grid, size and the panels' titles.
func (f *Figure) String() string {
	if f == nil {
		return "plots.Figure(nil)"
	}
	cols := 0
	var titles []string
	for _, row := range f.Panels {
		cols = max(cols, len(row))
		for _, p := range row {
			if p != nil && p.Title.Text != "" {
				titles = append(titles, p.Title.Text)
			}
		}
	}
	// The size in points, to a tenth (302.4, not 302.40000000000003).
	tenth := func(v float64) float64 { return math.Round(v*10) / 10 }
	s := fmt.Sprintf("plots.Figure %q: %d x %d panels, %v x %v", f.Title, len(f.Panels), cols, tenth(float64(f.Width)), tenth(float64(f.Height)))
	if len(titles) > 0 {
		s += " (" + strings.Join(titles, "; ") + ")"
	}
	return s + "; save it with .Save(\"name.png\")"
}
