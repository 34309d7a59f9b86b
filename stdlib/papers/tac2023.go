package papers

import (
	"fmt"
	"slices"

	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// entry is one non-zero entry of a matrix.
type entry struct {
	i, j int
	w    float64
}

// sparseMatrix is an n x n matrix given by its non-zero entries.
type sparseMatrix struct {
	n       int
	entries []entry
}

// dense returns the matrix row-major.
func (m sparseMatrix) dense() []float64 {
	d := make([]float64, m.n*m.n)
	for _, e := range m.entries {
		d[e.i*m.n+e.j] = e.w
	}
	return d
}

// graph returns the matrix as a weighted graph with its self-loops; the
// models normalise rows, as the paper's scripts do.
func (m sparseMatrix) graph(directed bool) (*netw.Graph, error) {
	return netw.FromDenseSelfLoops(m.n, m.dense(), directed)
}

// rescale maps v linearly onto [lo, hi] as MATLAB's rescale does.
func rescale(v []float64, lo, hi float64) []float64 {
	mn, mx := slices.Min(v), slices.Max(v)
	out := make([]float64, len(v))
	for k, x := range v {
		out[k] = lo + (x-mn)/(mx-mn)*(hi-lo)
	}
	return out
}

// zeroBased turns the scripts' 1-based tick sequence into agent indices.
func zeroBased(ticks []int, count int) []int {
	out := make([]int, count)
	for k := range out {
		out[k] = ticks[k] - 1
	}
	return out
}

// signedPeople returns people with opinions y on [-1,1] and actions x in
// {-1,+1}, on the states' [0,1] and {0,1} scales.
func signedPeople(y, x []float64) pop.Population {
	people := make(pop.Population, len(y))
	for i := range people {
		people[i] = pop.Person{A: 1.0 / 3, Tau: 1.0 / 3, F: 1.0 / 3, Lambda: 0.5, Opinion0: (y[i] + 1) / 2}
		if x[i] > 0 {
			people[i].Action0 = 1
		}
	}
	return people
}

// TAC2023PluralisticIgnorance is the pluralistic-ignorance example of
// Aghbolagh, Ye, Zino, Cao and Chen (IEEE TAC 2023, Fig. 4; the authors'
// Fig_4.m): 50 agents, the first 25 (women in the survey) with gamma 0.7 and
// lambda 0.2, the others (men) with gamma 0.2 and lambda 0.7, beta 0.4,
// alpha 0; the paper's weighted layers W and A (symmetric, with self-loops,
// row-normalised by the model); opinions from the survey rescaled to [-1,1]
// (with the script's four corrections), actions the signs of the rescaled
// survey actions, prejudices equal to the initial opinions; 350 ticks
// replaying the paper's tick sequence. Step t is the state after t ticks.
func TAC2023PluralisticIgnorance() (sim.Study, error) {
	w, err := sWAW.graph(false)
	if err != nil {
		return sim.Study{}, fmt.Errorf("TAC2023 pluralistic ignorance, W: %w", err)
	}
	a, err := sWAA.graph(false)
	if err != nil {
		return sim.Study{}, fmt.Errorf("TAC2023 pluralistic ignorance, A: %w", err)
	}
	yW, yM := rescale(pligYW, -1, 1), rescale(pligYM, -1, 1)
	yM[11], yM[12], yM[22] = 0.323, 0.456, 0.123
	yW[3] = 0.159
	y := append(yW, yM...)
	xs := append(rescale(pligXW, -1, 1), rescale(pligXM, -1, 1)...)
	for k, v := range xs {
		if v == 0 {
			return sim.Study{}, fmt.Errorf("TAC2023 pluralistic ignorance: survey action %d is neutral", k+1)
		}
	}
	n, half, tf := 50, 25, 350
	lam, gam, beta := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		lam[i], gam[i], beta[i] = 0.2, 0.7, 0.4
		if i >= half {
			lam[i], gam[i] = 0.7, 0.2
		}
	}
	return sim.Study{
		Name: "TAC2023 pluralistic ignorance", Network: w, People: signedPeople(y, xs), Steps: tf + 1, Quiet: true,
		Agents: theory.TAC2023{Lambda: 0.2, Lambdas: lam, Beta: 0.4, Betas: beta, Gamma: 0.7, Gammas: gam,
			Us: slices.Clone(y), Influence: a, TicksPerStep: 1, Replay: &theory.Replay{Agents: zeroBased(ticksPI, tf)}},
		Labels: map[string]string{"setup": "TAC2023 pluralistic ignorance", "groups": "agents 0-24 women, 25-49 men"},
	}, nil
}

// TAC2023Polarization is the polarization example of the same paper (Fig.
// 3; the authors' Fig_3.m): 20 agents in two communities of 10 on the
// paper's directed, row-stochastic network with self-loops (A = W), lambda
// 0.6, beta 0.5, gamma 0, alpha 0. Each community starts with one dissenting
// action (agent 5 of each, counting from 1) and moderate opinions (0.05 k
// for k = 2..10 and -0.1 for the first agent of the first community; -0.04 k
// for k = 12..20 and 0.1 for the first of the second): not unanimous. 150
// ticks replaying the paper's tick sequence.
func TAC2023Polarization() (sim.Study, error) {
	w, err := wpol2.graph(true)
	if err != nil {
		return sim.Study{}, fmt.Errorf("TAC2023 polarization: %w", err)
	}
	n, tf := 20, 150
	y, x := make([]float64, n), make([]float64, n)
	for k := range 10 {
		y[k], x[k] = 0.05*float64(k+1), 1
		y[10+k], x[10+k] = -0.04*float64(k+11), -1
	}
	y[0], y[10] = -0.1, 0.1
	x[4], x[14] = -1, 1
	return sim.Study{
		Name: "TAC2023 polarization", Network: w, People: signedPeople(y, x), Steps: tf + 1, Quiet: true,
		Agents: theory.TAC2023{Lambda: 0.6, Beta: 0.5, Us: make([]float64, n), TicksPerStep: 1,
			Replay: &theory.Replay{Agents: zeroBased(ticksPolar, tf)}},
		Labels: map[string]string{"setup": "TAC2023 polarization", "groups": "agents 0-9 and 10-19"},
	}, nil
}
