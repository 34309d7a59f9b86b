// Package experiment runs a study over named parameters and writes the
// results as tidy tables with the parameters in every row.
//
// An Experiment crosses its parameters' values (grids, explicit lists,
// names such as topologies) with points sampled from ranges (independent
// uniform draws or a Latin hypercube, seeded from the experiment's seed),
// builds one sim.Study per point, and runs every point Replicates times:
// replicate r of every point uses seed Seed + r by default, so points
// differ by their parameters rather than by chance (RunSeeds gives every
// run its own seed). Runs are numbered point * Replicates + replicate.
//
// With Out set, the experiment writes there:
//
//	experiment.json   the design: parameters, replicates, seed, what was written
//	runs.csv          one row per run: run, point, every parameter, replicate, seed, steps, final metrics
//	metrics.csv       one row per run and step: the same keys, the step, every metric
//	agents.csv        one row per run, step and agent: the same keys, opinion, action
//	agents.parquet    the same table as Parquet (Agents: Parquet), for large experiments
//	status.json       only when the run stopped early: the error and the runs completed
//
// pandas, polars, R and DuckDB read these files directly; Load returns the
// same tables in Go. With Stream, per-agent states go to the file as each
// step completes and only the metrics stay in memory, so the memory of a
// run does not grow with its steps.
//
// A Shard runs every n-th point, so that n processes (a Slurm job array, a
// Kubernetes Indexed Job) share an experiment without a scheduler of their
// own; Merge combines their folders into the files one unsharded run
// writes, byte for byte.
package experiment
