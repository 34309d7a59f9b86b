package papers

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/llmsam/llmsam/stdlib/sim"
)

// Chaos2020Row is one run of a Chaos 2020 sweep: the grid point, the run's
// index and seed, and the final adoption share and mean opinion (on [0,1]).
type Chaos2020Row struct {
	Lambda, Mu    float64
	Run           int
	Seed          uint64
	FinalAdoption float64
	FinalOpinion  float64
}

// Chaos2020Sweep runs base at every (lambda, mu) of the grid, runs times
// each, with run k using seed + k (fresh graphs and innovator per run, the
// same across grid points), on workers goroutines (all cores when <= 0).
// Only the initial and final states are recorded (base.Steps is set to 2),
// so memory stays small. Rows come in grid order: lambda outer, mu, run.
func Chaos2020Sweep(base Chaos2020, lambdas, mus []float64, runs int, seed uint64, workers int) ([]Chaos2020Row, error) {
	if runs < 1 || len(lambdas) == 0 || len(mus) == 0 {
		return nil, fmt.Errorf("Chaos2020Sweep: %d lambdas, %d mus, %d runs: want at least one of each", len(lambdas), len(mus), runs)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	base.Steps = 2
	rows := make([]Chaos2020Row, 0, len(lambdas)*len(mus)*runs)
	for _, l := range lambdas {
		for _, m := range mus {
			for k := range runs {
				rows = append(rows, Chaos2020Row{Lambda: l, Mu: m, Run: k, Seed: seed + uint64(k)})
			}
		}
	}
	jobs := make(chan int)
	errs := make([]error, len(rows))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r := &rows[j]
				c := base
				c.Lambda, c.Mu = r.Lambda, r.Mu
				s, err := c.Study(r.Seed)
				if err == nil {
					s.Workers = 1
					run, e := sim.Run(s)
					if err = e; err == nil {
						last := run.Final()
						r.FinalAdoption, r.FinalOpinion = last.Adoption(), last.MeanOpinion()
					}
				}
				errs[j] = err
			}
		}()
	}
	for j := range rows {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	for j, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("Chaos2020Sweep lambda %g mu %g run %d: %w", rows[j].Lambda, rows[j].Mu, rows[j].Run, err)
		}
	}
	return rows, nil
}

// Chaos2020Means returns the mean final adoption and opinion per grid point
// of rows from Chaos2020Sweep: means[iy][ix] at (lambdas[ix], mus[iy]).
func Chaos2020Means(rows []Chaos2020Row, lambdas, mus []float64) (adoption, opinion [][]float64) {
	adoption, opinion = make([][]float64, len(mus)), make([][]float64, len(mus))
	count := make([][]int, len(mus))
	for iy := range mus {
		adoption[iy], opinion[iy], count[iy] = make([]float64, len(lambdas)), make([]float64, len(lambdas)), make([]int, len(lambdas))
	}
	for _, r := range rows {
		for ix, l := range lambdas {
			for iy, m := range mus {
				if r.Lambda == l && r.Mu == m {
					adoption[iy][ix] += r.FinalAdoption
					opinion[iy][ix] += r.FinalOpinion
					count[iy][ix]++
				}
			}
		}
	}
	for iy := range mus {
		for ix := range lambdas {
			if c := float64(count[iy][ix]); c > 0 {
				adoption[iy][ix] /= c
				opinion[iy][ix] /= c
			}
		}
	}
	return adoption, opinion
}
