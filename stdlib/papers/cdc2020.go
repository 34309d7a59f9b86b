package papers

import (
	"fmt"
	"math/rand/v2"

	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// CDC2020Example is the example of Zino, Ye and Cao, "A Coevolutionary
// Model for Actions and Opinions in Social Networks" (IEEE CDC 2020; the
// authors' script.m): 16 agents on a random 4-regular graph (W its
// row-normalised adjacency), the first 6 at x = -1 and the other 10 at a
// random action, opinions and prejudices uniform on [-1,1], alpha 0.1,
// lambda 0.2, mu 0.2, gamma 0.6, 500 ticks of one random agent each. The
// graph, initial state and prejudices are drawn from seed; the revisions
// from the study's seed (the same).
func CDC2020Example(seed uint64) (sim.Study, error) {
	n, tf := 16, 500
	r := rand.New(rand.NewPCG(seed, 0x434443)) // "CDC"
	g, err := netw.RandomRegular(n, 4, r.Uint64())
	if err != nil {
		return sim.Study{}, fmt.Errorf("CDC2020 example: %w", err)
	}
	x, y, u := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		x[i] = -1
		if i >= 6 && r.IntN(2) == 1 {
			x[i] = 1
		}
	}
	for i := range n {
		y[i] = 2*r.Float64() - 1
	}
	for i := range n {
		u[i] = 2*r.Float64() - 1
	}
	return sim.Study{
		Name: "CDC2020 example", Network: g, People: signedPeople(y, x), Steps: tf + 1, Seed: seed, Quiet: true,
		Agents: theory.CDC2020{Alpha: 0.1, Lambda: 0.2, Mu: 0.2, Gamma: 0.6, Us: u, TicksPerStep: 1},
		Labels: map[string]string{"setup": "CDC2020 example"},
	}, nil
}
