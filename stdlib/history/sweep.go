package history

import "github.com/llmsam/llmsam/stdlib/metrics"

// Sweep is the record of a two-parameter sweep: Runs[iy][ix] is the run at
// (Xs[ix], Ys[iy]).
type Sweep struct {
	XName, YName string
	Xs, Ys       []float64
	Runs         [][]*Run
}

// Grid returns one value per grid point, Grid(f)[iy][ix] = f(Runs[iy][ix]).
func (s *Sweep) Grid(f func(*Run) float64) [][]float64 {
	out := make([][]float64, len(s.Ys))
	for iy, row := range s.Runs {
		out[iy] = make([]float64, len(row))
		for ix, r := range row {
			out[iy][ix] = f(r)
		}
	}
	return out
}

// FinalMean returns, for a run, the mean over replicates of a metric at the
// last step; use it with Grid, e.g. sweep.Grid(history.FinalMean(history.Adoption)).
func FinalMean(f func(metrics.Snapshot) float64) func(*Run) float64 {
	return func(r *Run) float64 {
		mean, _ := r.Band(f)
		return mean[len(mean)-1]
	}
}
