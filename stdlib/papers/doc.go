// Package papers holds the set-ups of the theory papers whose models
// package theory implements, as named presets: each is a function from its
// parameters (and, for random set-ups, a run seed) to a sim.Study that runs
// the paper's experiment, so that scripts, tests and figures carrying a
// paper's name use that paper's set-up.
//
//   - Chaos2020: the lambda x mu phase diagram of Zino, Ye and Cao, Chaos 30,
//     083107 (2020), Fig. 7: two independent random regular layers (8-regular
//     influence, row-normalised 4-regular communication) drawn anew for every
//     run, everyone at the status quo (o = 0, x = 0) but one stubborn
//     innovator on a random node, alpha 0.5, beta 20, n 200, T = 4 n^2 ticks.
//   - TAC2023PluralisticIgnorance and TAC2023Polarization: the examples of
//     Aghbolagh, Ye, Zino, Cao and Chen, IEEE TAC 68(12), 2023 (Figs. 4 and
//     3), from the paper's matrices (with their self-loops), survey data,
//     initial conditions and tick sequences, read from a copy of the
//     authors' repository (github.com/lzino90/coevolutionary) whose
//     directory the caller gives (see ErrNoData); llmsam does not ship them.
//     TAC2023PolarizationGenerated runs the polarization model on two
//     generated communities when the paper's data are absent.
//   - CDC2020Example: the example of Zino, Ye and Cao, IEEE CDC 2020
//     (script.m): 16 agents on a random 4-regular graph, 500 ticks.
//
// The trajectories of these set-ups are checked tick for tick against the
// authors' MATLAB code run under GNU Octave (golden files in testdata,
// regenerated with `make golden`); the TAC 2023 cases are checked when the
// paper's data are present.
package papers
