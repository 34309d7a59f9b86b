package experiment

import (
	"fmt"
	"math"

	"github.com/llmsam/llmsam/stdlib/agent"
)

// points returns every point of the design: the grid of the listed
// parameters (the first parameter varying slowest) crossed with Samples
// draws of the sampled ones (varying fastest).
func (e *Experiment) points() ([]Point, error) {
	seen := map[string]bool{}
	var grid, sampled []int
	for k, p := range e.Params {
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("experiment %q: %w", e.Name, err)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("experiment %q: parameter %q appears twice", e.Name, p.Name)
		}
		seen[p.Name] = true
		if p.Sampled {
			sampled = append(sampled, k)
		} else {
			grid = append(grid, k)
		}
	}
	switch {
	case len(sampled) > 0 && e.Samples < 1:
		return nil, fmt.Errorf("experiment %q: sampled parameters need Samples >= 1", e.Name)
	case len(sampled) == 0 && e.Samples > 0:
		return nil, fmt.Errorf("experiment %q: Samples = %d but no parameter is a Range", e.Name, e.Samples)
	}
	draws := e.draws(sampled)
	names := make([]string, len(e.Params))
	for k, p := range e.Params {
		names[k] = p.Name
	}
	total := max(len(draws), 1)
	for _, k := range grid {
		total *= max(len(e.Params[k].Values), len(e.Params[k].Levels))
	}
	if total > 10_000_000 {
		return nil, fmt.Errorf("experiment %q: %d points; split the design", e.Name, total)
	}
	out := make([]Point, total)
	for c := range out {
		pt := Point{Index: c, Names: names, Nums: make([]float64, len(names)), Levels: make([]string, len(names))}
		rest := c
		if len(draws) > 0 {
			d := draws[rest%len(draws)]
			rest /= len(draws)
			for j, k := range sampled {
				pt.Nums[k] = d[j]
			}
		}
		for g := len(grid) - 1; g >= 0; g-- {
			p := e.Params[grid[g]]
			n := max(len(p.Values), len(p.Levels))
			i := rest % n
			rest /= n
			if p.Levels != nil {
				pt.Levels[grid[g]], pt.Nums[grid[g]] = p.Levels[i], math.NaN()
			} else {
				pt.Nums[grid[g]] = p.Values[i]
			}
		}
		out[c] = pt
	}
	return out, nil
}

// draws returns Samples values of the sampled parameters, drawn from a
// stream of the experiment's seed: independent uniforms, or with Latin one
// value in each of Samples equal strata per parameter, strata shuffled
// independently per parameter.
func (e *Experiment) draws(sampled []int) [][]float64 {
	if len(sampled) == 0 {
		return nil
	}
	n := e.Samples
	rng := agent.NewStream(e.Seed, -1, 0x5a3b1e) // a stream no run uses
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, len(sampled))
	}
	for j, k := range sampled {
		p := e.Params[k]
		perm := make([]int, n)
		for i := range perm {
			perm[i] = i
		}
		if e.Latin {
			for i := n - 1; i > 0; i-- {
				r := rng.IntN(i + 1)
				perm[i], perm[r] = perm[r], perm[i]
			}
		}
		for i := range n {
			u := rng.Float64()
			if e.Latin {
				u = (float64(perm[i]) + u) / float64(n)
			}
			out[i][j] = p.Lo + (p.Hi-p.Lo)*u
		}
	}
	return out
}

// seed returns the seed of replicate r at point c.
func (e *Experiment) seed(c, r int) uint64 {
	if e.RunSeeds {
		return e.Seed + uint64(c*e.Replicates+r)
	}
	return e.Seed + uint64(r)
}
