package papers

import (
	"fmt"
	"slices"

	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// graph reads file as an n x n weighted matrix with its self-loops; the
// models normalise rows, as the paper's scripts do.
func (f tacFiles) graph(file string, n int, directed bool) (*netw.Graph, error) {
	m, err := f.matrix(file, n, n)
	if err != nil {
		return nil, err
	}
	d := make([]float64, 0, n*n)
	for _, r := range m {
		d = append(d, r...)
	}
	g, err := netw.FromDenseSelfLoops(n, d, directed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.path(file), err)
	}
	return g, nil
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
//
// dir is a copy of the authors' repository (github.com/lzino90/coevolutionary)
// or of its COEVOLUTIONARY folder, with the .mat files' variables as CSV
// files (sWA.A.csv, sWA.W.csv, plig.xWsep1.csv, plig.xMsep1.csv,
// plig.yWsep1.csv, plig.yMsep1.csv, i.i.csv; see ErrNoData); llmsam does not
// ship the paper's data.
func TAC2023PluralisticIgnorance(dir string) (sim.Study, error) {
	const n, half, tf = 50, 25, 350
	f := tacFiles{dir}
	fail := func(err error) (sim.Study, error) {
		return sim.Study{}, fmt.Errorf("TAC2023 pluralistic ignorance: %w", err)
	}
	w, err := f.graph("sWA.W.csv", n, false)
	if err != nil {
		return fail(err)
	}
	a, err := f.graph("sWA.A.csv", n, false)
	if err != nil {
		return fail(err)
	}
	survey := map[string][]float64{}
	for _, v := range []string{"yWsep1", "yMsep1", "xWsep1", "xMsep1"} {
		file := "plig." + v + ".csv"
		x, err := f.vector(file, half, false)
		if err != nil {
			return fail(err)
		}
		if slices.Min(x) == slices.Max(x) {
			return fail(fmt.Errorf("%s: all %d values equal %g; the example rescales them onto [-1,1]", f.path(file), half, x[0]))
		}
		survey[v] = rescale(x, -1, 1)
	}
	ticks, err := f.ticks("i.i.csv", tf, n)
	if err != nil {
		return fail(err)
	}
	yW, yM := survey["yWsep1"], survey["yMsep1"]
	yM[11], yM[12], yM[22] = 0.323, 0.456, 0.123
	yW[3] = 0.159
	y := append(yW, yM...)
	xs := append(survey["xWsep1"], survey["xMsep1"]...)
	for k, v := range xs {
		if v == 0 {
			return fail(fmt.Errorf("survey action %d is neutral", k+1))
		}
	}
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
			Us: slices.Clone(y), Influence: a, TicksPerStep: 1, Replay: &theory.Replay{Agents: ticks}},
		Labels: map[string]string{"setup": "TAC2023 pluralistic ignorance", "groups": "agents 0-24 women, 25-49 men"},
	}, nil
}

// polarizationStart returns the initial state of the TAC 2023 polarization
// example on two communities of 10 (agents 0-9 and 10-19): each community
// with one dissenting action (agent 5 of each, counting from 1) and moderate
// opinions (0.05 k for k = 2..10 and -0.1 for the first agent of the first
// community; -0.04 k for k = 12..20 and 0.1 for the first of the second).
func polarizationStart() pop.Population {
	y, x := make([]float64, 20), make([]float64, 20)
	for k := range 10 {
		y[k], x[k] = 0.05*float64(k+1), 1
		y[10+k], x[10+k] = -0.04*float64(k+11), -1
	}
	y[0], y[10] = -0.1, 0.1
	x[4], x[14] = -1, 1
	return signedPeople(y, x)
}

// polarizationModel is the example's model: lambda 0.6, beta 0.5, gamma 0,
// alpha 0, one revision per step.
func polarizationModel(replay *theory.Replay) theory.TAC2023 {
	return theory.TAC2023{Lambda: 0.6, Beta: 0.5, Us: make([]float64, 20), TicksPerStep: 1, Replay: replay}
}

// TAC2023Polarization is the polarization example of the same paper (Fig.
// 3; the authors' Fig_3.m): 20 agents in two communities of 10 on the
// paper's directed, row-stochastic network with self-loops (A = W), lambda
// 0.6, beta 0.5, gamma 0, alpha 0. Each community starts with one dissenting
// action (agent 5 of each, counting from 1) and moderate opinions (0.05 k
// for k = 2..10 and -0.1 for the first agent of the first community; -0.04 k
// for k = 12..20 and 0.1 for the first of the second): not unanimous. 150
// ticks replaying the paper's tick sequence.
//
// dir is as for TAC2023PluralisticIgnorance; the files read are Wpol2.W.csv
// and i_exam.i.csv. Without them, TAC2023PolarizationGenerated runs the
// same model on a generated network.
func TAC2023Polarization(dir string) (sim.Study, error) {
	const n, tf = 20, 150
	f := tacFiles{dir}
	w, err := f.graph("Wpol2.W.csv", n, true)
	if err != nil {
		return sim.Study{}, fmt.Errorf("TAC2023 polarization: %w", err)
	}
	ticks, err := f.ticks("i_exam.i.csv", tf, n)
	if err != nil {
		return sim.Study{}, fmt.Errorf("TAC2023 polarization: %w", err)
	}
	return sim.Study{
		Name: "TAC2023 polarization", Network: w, People: polarizationStart(), Steps: tf + 1, Quiet: true,
		Agents: polarizationModel(&theory.Replay{Agents: ticks}),
		Labels: map[string]string{"setup": "TAC2023 polarization", "groups": "agents 0-9 and 10-19"},
	}, nil
}

// TAC2023PolarizationGenerated runs the polarization example's model,
// parameters and initial state (as TAC2023Polarization) on a network that is
// not the paper's: two communities of 10 drawn by netw.StochasticBlock
// (undirected, edge probability 0.7 within a community and 0.02 between
// them, about two cross edges in all), and 150 ticks whose revising agents
// are drawn from seed. It is for when the paper's data are absent; its
// outcome says what the model does on two dense communities, not what the
// paper's figure shows.
func TAC2023PolarizationGenerated(seed uint64) (sim.Study, error) {
	g, err := netw.StochasticBlock([]int{10, 10}, [][]float64{{0.7, 0.02}, {0.02, 0.7}}, seed)
	if err != nil {
		return sim.Study{}, fmt.Errorf("TAC2023 polarization on a generated network: %w", err)
	}
	return sim.Study{
		Name: "TAC2023 polarization model, generated network", Network: g, People: polarizationStart(), Steps: 151, Quiet: true,
		Agents: polarizationModel(nil), Seed: seed,
		Labels: map[string]string{"setup": "TAC2023 polarization model on two generated communities (not the paper's network)",
			"groups": "agents 0-9 and 10-19"},
	}, nil
}
