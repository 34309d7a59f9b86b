// Package history records what a run produced: for every replicate, the
// state (opinion, action, thought) of every agent at every step, with the
// manifest that says how it was obtained (every parameter, seed and version).
// It computes per-step metrics over replicates (mean and standard deviation
// bands), compares two runs, and writes a run directory: manifest.json, a
// tidy CSV and JSONL (one row per replicate, step and agent), metrics.csv,
// the population, the network, and the LLM-SAM release's per-seed JSON
// layout for side-by-side comparison. The same run always writes the same
// bytes.
package history
