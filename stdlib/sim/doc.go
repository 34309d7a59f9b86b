// Package sim is the simulation engine: it runs a Study (scenario, network,
// population, agents, steps, replicates, seed) with synchronous steps, gives
// every agent its own seeded random stream, records the full history, runs
// replicates in parallel on all cores with a progress bar on stderr, and
// returns a history.Run that saves as a run directory. Experiments over
// parameters (grids, designs, shards, tables) are package experiment's.
//
// Results depend only on the study and its seed, never on the number of
// cores: replicate r uses seed Seed + r, and inside a step each agent draws
// from a stream keyed by (seed, step, agent).
package sim
