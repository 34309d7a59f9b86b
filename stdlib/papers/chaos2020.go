package papers

import (
	"fmt"
	"math/rand/v2"

	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// Chaos2020 are the parameters of the phase diagram of Zino, Ye and Cao,
// Chaos 30, 083107 (2020), Fig. 7 (the authors' Fig7.m). The zero value of
// a field is not a default: start from Chaos2020Defaults.
type Chaos2020 struct {
	N                   int     // agents (200)
	InfluenceDegree     int     // degree of the random regular influence layer A (8)
	CommunicationDegree int     // degree of the random regular communication layer W (4)
	Alpha               float64 // advantage of the new action (0.5)
	Beta                float64 // rationality (20)
	Lambda              float64 // weight of one's own opinion in the action payoff
	Mu                  float64 // weight of observed actions in the opinion update
	Weighting           theory.Weighting
	Ticks               int // total revisions (4 N^2)
	Steps               int // recorded steps including step 0; Ticks must be a multiple of Steps-1
}

// Chaos2020Defaults returns the paper's set-up at the given lambda and mu:
// n 200, 8- and 4-regular layers, alpha 0.5, beta 20, the paper's payoff
// weighting, T = 4 n^2 = 160000 ticks recorded every n ticks (801 steps).
func Chaos2020Defaults(lambda, mu float64) Chaos2020 {
	n := 200
	return Chaos2020{N: n, InfluenceDegree: 8, CommunicationDegree: 4, Alpha: 0.5, Beta: 20,
		Lambda: lambda, Mu: mu, Ticks: 4 * n * n, Steps: 4*n + 1}
}

// WithN returns c on n agents with the paper's horizon T = 4 n^2 ticks,
// recorded every n ticks.
func (c Chaos2020) WithN(n int) Chaos2020 {
	c.N, c.Ticks, c.Steps = n, 4*n*n, 4*n+1
	return c
}

// String describes the set-up for figure titles, e.g. "n 200, T 4n^2,
// A 8-regular, W 4-regular (fresh per run), one innovator, paper weighting".
func (c Chaos2020) String() string {
	t := fmt.Sprintf("T %d", c.Ticks)
	if c.Ticks == 4*c.N*c.N {
		t = "T 4n^2"
	}
	return fmt.Sprintf("n %d, %s, A %d-regular, W %d-regular (fresh per run), one random innovator, alpha %g, beta %g, %s weighting",
		c.N, t, c.InfluenceDegree, c.CommunicationDegree, c.Alpha, c.Beta, c.Weighting)
}

// Study returns the run with the given seed: fresh layers A and W and a
// fresh innovator position drawn from the seed, which also drives the
// revisions. Runs of a sweep use seeds base + run, so that run k of every
// grid point shares its graphs (common random numbers).
func (c Chaos2020) Study(seed uint64) (sim.Study, error) {
	switch {
	case c.N < 2:
		return sim.Study{}, fmt.Errorf("Chaos2020: N = %d, want at least 2", c.N)
	case c.Steps < 2 || c.Ticks < 1 || c.Ticks%(c.Steps-1) != 0:
		return sim.Study{}, fmt.Errorf("Chaos2020: %d ticks over %d steps: want Ticks a positive multiple of Steps-1", c.Ticks, c.Steps)
	}
	r := rand.New(rand.NewPCG(seed, 0x4368616f73)) // "Chaos"
	a, err := netw.RandomRegular(c.N, c.InfluenceDegree, r.Uint64())
	if err != nil {
		return sim.Study{}, fmt.Errorf("Chaos2020 influence layer: %w", err)
	}
	w, err := netw.RandomRegular(c.N, c.CommunicationDegree, r.Uint64())
	if err != nil {
		return sim.Study{}, fmt.Errorf("Chaos2020 communication layer: %w", err)
	}
	innovator := r.IntN(c.N)
	people := make(pop.Population, c.N)
	for i := range people {
		// Only o and x matter to the model; the SAM coefficients are neutral.
		people[i] = pop.Person{A: 1.0 / 3, Tau: 1.0 / 3, F: 1.0 / 3, Lambda: 0.5}
	}
	return sim.Study{
		Name:    fmt.Sprintf("Chaos2020 lambda %g mu %g", c.Lambda, c.Mu),
		Network: w, People: people, Steps: c.Steps, Seed: seed, Quiet: true,
		Agents: theory.ZYC2020{Alpha: c.Alpha, Beta: c.Beta, Lambda: c.Lambda, Mu: c.Mu, Weighting: c.Weighting,
			Influence: a, TicksPerStep: c.Ticks / (c.Steps - 1)},
		Committed: []history.Commit{{Agent: innovator, Opinion: 1, Action: 1}},
		Labels: map[string]string{"lambda": fmt.Sprint(c.Lambda), "mu": fmt.Sprint(c.Mu),
			"innovator": fmt.Sprint(innovator), "setup": "Chaos2020"},
	}, nil
}
