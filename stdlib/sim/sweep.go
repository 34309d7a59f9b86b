package sim

import (
	"context"
	"fmt"

	"github.com/llmsam/llmsam/internal/session"
	"github.com/llmsam/llmsam/stdlib/history"
)

// Sweep runs a study over a grid of two parameters: for every (x, y) in
// Xs x Ys, Apply configures a copy of Base (typically by setting Agents to a
// model with those parameters), and the point's replicates run. All points and
// replicates share the workers.
type Sweep struct {
	Base         Study
	XName, YName string
	Xs, Ys       []float64
	Apply        func(s *Study, x, y float64)
}

// RunSweep runs the sweep. In the scripting host it stops when the running
// cell is interrupted (Ctrl-C).
func RunSweep(sw Sweep) (*history.Sweep, error) {
	return RunSweepContext(session.Context(), sw)
}

// RunSweepContext runs the sweep until done or ctx is cancelled.
func RunSweepContext(ctx context.Context, sw Sweep) (*history.Sweep, error) {
	if sw.Apply == nil || len(sw.Xs) == 0 || len(sw.Ys) == 0 {
		return nil, fmt.Errorf("sweep: want Apply and non-empty Xs and Ys")
	}
	nx, ny := len(sw.Xs), len(sw.Ys)
	studies := make([]Study, nx*ny)
	out := &history.Sweep{XName: sw.XName, YName: sw.YName, Xs: sw.Xs, Ys: sw.Ys, Runs: make([][]*history.Run, ny)}
	for iy, y := range sw.Ys {
		out.Runs[iy] = make([]*history.Run, nx)
		for ix, x := range sw.Xs {
			s := sw.Base
			s.Labels = map[string]string{sw.XName: fmt.Sprint(x), sw.YName: fmt.Sprint(y)}
			for k, v := range sw.Base.Labels {
				s.Labels[k] = v
			}
			sw.Apply(&s, x, y)
			if err := s.normalise(); err != nil {
				return nil, fmt.Errorf("sweep point %s=%g %s=%g: %w", sw.XName, x, sw.YName, y, err)
			}
			studies[iy*nx+ix] = s
			out.Runs[iy][ix] = s.record()
		}
	}
	reps := studies[0].Replicates
	total := 0
	for _, s := range studies {
		total += s.Replicates * (s.Steps - 1)
	}
	bar := newProgress(sw.Base.Quiet, total, "sweep")
	defer bar.finish()
	jobs := len(studies) * reps
	err := parallel(ctx, jobs, studies[0].Workers, func(ctx context.Context, j int) error {
		p, r := j/reps, j%reps
		s := &studies[p]
		if r >= s.Replicates {
			return nil
		}
		tr, err := s.replicate(ctx, r, 1, bar)
		out.Runs[p/nx][p%nx].Replicates[r] = tr
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, s := range studies {
		if s.Replicates != reps {
			return nil, fmt.Errorf("sweep: Apply changed Replicates (%d, want %d for every point)", s.Replicates, reps)
		}
	}
	return out, nil
}
