package experiment

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Shard is the share of an experiment one process runs: shard Index of
// Count (1-based) runs the points c with c mod Count = Index - 1. The zero
// value runs everything.
type Shard struct{ Index, Count int }

// String returns "i/n".
func (s Shard) String() string {
	if s.all() {
		return "1/1"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// all reports whether the shard is the whole experiment.
func (s Shard) all() bool { return s.Count <= 1 }

// has reports whether point c belongs to the shard.
func (s Shard) has(c int) bool { return s.all() || c%s.Count == s.Index-1 }

// ParseShard reads "i/n" with 1 <= i <= n.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, e1 := strconv.Atoi(a)
	n, e2 := strconv.Atoi(b)
	if !ok || e1 != nil || e2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 1 <= i <= n, e.g. 2/3", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// ShardFromEnv returns the shard given by a cluster's scheduler, if any:
// a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT and
// SLURM_ARRAY_TASK_MIN, so that --array=0-9 and --array=1-10 both work) or
// a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, 0-based, with the
// completions count in JOB_COMPLETIONS, which the Job's manifest sets).
// ok is false when none is set.
func ShardFromEnv(getenv func(string) string) (s Shard, ok bool, err error) {
	num := func(name string) (int, error) {
		v, err := strconv.Atoi(strings.TrimSpace(getenv(name)))
		if err != nil {
			return 0, fmt.Errorf("%s=%q: want an integer", name, getenv(name))
		}
		return v, nil
	}
	switch {
	case getenv("SLURM_ARRAY_TASK_ID") != "":
		id, err := num("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return s, true, err
		}
		count, err := num("SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return s, true, err
		}
		lo := 0
		if getenv("SLURM_ARRAY_TASK_MIN") != "" {
			if lo, err = num("SLURM_ARRAY_TASK_MIN"); err != nil {
				return s, true, err
			}
		}
		s, err = ParseShard(fmt.Sprintf("%d/%d", id-lo+1, count))
		if err != nil {
			return s, true, fmt.Errorf("Slurm array task %d (min %d) of %d: %w", id, lo, count, err)
		}
		return s, true, nil
	case getenv("JOB_COMPLETION_INDEX") != "":
		idx, err := num("JOB_COMPLETION_INDEX")
		if err != nil {
			return s, true, err
		}
		if getenv("JOB_COMPLETIONS") == "" {
			return s, true, fmt.Errorf("JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS is not: set it to the Job's completions in the manifest")
		}
		count, err := num("JOB_COMPLETIONS")
		if err != nil {
			return s, true, err
		}
		s, err = ParseShard(fmt.Sprintf("%d/%d", idx+1, count))
		if err != nil {
			return s, true, fmt.Errorf("Kubernetes completion index %d of %d: %w", idx, count, err)
		}
		return s, true, nil
	}
	return s, false, nil
}

// Flags are the command-line options every experiment script takes.
type Flags struct {
	Shard  string // -shard i/n
	Stream bool   // -stream
	Agents string // -agents csv|parquet|none
}

// AddFlags registers -shard, -stream and -agents on fs; agents is the
// per-agent table's default format (NoAgents for experiments whose per-agent
// table would be large and rarely read).
func AddFlags(fs *flag.FlagSet, agents Format) *Flags {
	f := &Flags{}
	fs.StringVar(&f.Shard, "shard", "", "run shard i/n of the experiment's points (default: all, or the Slurm array task / Kubernetes completion index)")
	fs.BoolVar(&f.Stream, "stream", false, "write per-agent states as steps complete and keep only metrics in memory")
	fs.StringVar(&f.Agents, "agents", agents.String(), "per-agent table: csv, parquet or none")
	return f
}

// Check validates -shard, -agents and the scheduler's environment, so that
// a script can refuse them with the other flags (exit status 2, a usage
// error) before doing any work; errors name the flag or variable and what
// was expected, as stdlib/flagcheck's do.
func (f *Flags) Check() error {
	var errs []error
	if f.Shard != "" {
		if _, err := ParseShard(f.Shard); err != nil {
			errs = append(errs, fmt.Errorf("flag -shard: %q, want i/n with 1 <= i <= n, e.g. 2/3", f.Shard))
		}
	} else if _, _, err := ShardFromEnv(os.Getenv); err != nil {
		errs = append(errs, err)
	}
	if _, err := ParseFormat(f.Agents); err != nil {
		errs = append(errs, fmt.Errorf("flag -agents: %q, want csv, parquet or none", f.Agents))
	}
	return errors.Join(errs...)
}

// Apply sets the experiment's shard (from -shard, else from the scheduler's
// environment), streaming and per-agent format; it fails as Check does.
func (f *Flags) Apply(e *Experiment) error {
	if err := f.Check(); err != nil {
		return err
	}
	if f.Shard != "" {
		e.Shard, _ = ParseShard(f.Shard)
	} else if s, ok, _ := ShardFromEnv(os.Getenv); ok {
		e.Shard = s
	}
	e.Agents, _ = ParseFormat(f.Agents)
	e.Stream = f.Stream
	return nil
}
