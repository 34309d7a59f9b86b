package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"

	"github.com/llmsam/llmsam/internal/session"
	"github.com/llmsam/llmsam/internal/workpool"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/metrics"
	"github.com/llmsam/llmsam/stdlib/sim"
)

// Experiment is a study run over named parameters.
type Experiment struct {
	Name    string  // written in experiment.json; default "experiment"
	Params  []Param // the grid's parameters and sampled ranges, in column order
	Samples int     // points drawn for the Range parameters (crossed with the grid)
	Latin   bool    // draw the Range parameters by Latin hypercube, not independently
	// Replicates per point (default 1); replicate r uses seed Seed + r at
	// every point, or Seed + run with RunSeeds.
	Replicates int
	Seed       uint64
	RunSeeds   bool
	// Build returns the study of a point (its Replicates and Seed are the
	// experiment's). It runs once per point, when the point's first replicate
	// starts; a panic in it becomes an error naming the point.
	Build func(p Point) (sim.Study, error)
	// BuildRun, instead of Build, returns the study of one run, for designs
	// that draw a fresh network or population per run from its seed (its
	// Replicates and Seed are ignored). History then stays nil, since each
	// run has its own network, and a run keeps its states only while the
	// per-agent table needs them.
	BuildRun func(p Point, replicate int, seed uint64) (sim.Study, error)

	Out    string // folder for the tables (see the package documentation); "" keeps them in memory
	Agents Format // per-agent table in Out: CSV (default), Parquet or NoAgents
	// Stream writes per-agent states to Out as steps complete and keeps only
	// the metrics in memory; runs then go one at a time, each step on all
	// Workers.
	Stream  bool
	Shard   Shard // the share of the points this process runs; zero: all
	Workers int   // goroutines; 0 means all cores
	Quiet   bool  // no progress bar even on a terminal
}

// Tables are an experiment's results: runs (one row per run), metrics (per
// run and step) and agents (per run, step and agent).
type Tables struct {
	Runs, Metrics, Agents *Table
}

// Result is what Run returns: the tables, the design's points and, per
// point of the shard, its run record. Agents is nil here (the per-agent
// states are in History and the file); Load reads it back.
type Result struct {
	Tables
	Points []Point
	// History[c] is point c's record (nil outside the shard); with Stream
	// its replicates keep only their last state.
	History []*history.Run
	// Done counts the runs completed, Total the runs of the shard.
	Done, Total int
}

// Run runs the experiment. In the scripting host it stops when the running
// cell is interrupted (Ctrl-C); the runs completed are kept and, with Out,
// written.
func (e Experiment) Run() (*Result, error) { return e.RunContext(session.Context()) }

// job is one run: replicate r of point c.
type job struct {
	c, r int
	tr   *history.Trajectory
	mets []metrics.Snapshot
	done bool
}

// RunContext runs the experiment until done or ctx is cancelled. On an
// error the result holds every run completed and every step recorded, and
// with Out they are written, with status.json saying what stopped them.
func (e Experiment) RunContext(ctx context.Context) (*Result, error) {
	if e.Name == "" {
		e.Name = "experiment"
	}
	if e.Replicates == 0 {
		e.Replicates = 1
	}
	switch {
	case e.Replicates < 0:
		return nil, fmt.Errorf("experiment %q: Replicates = %d, want at least 1", e.Name, e.Replicates)
	case (e.Build == nil) == (e.BuildRun == nil):
		return nil, fmt.Errorf("experiment %q: set Build (a function returning each point's study) or BuildRun (each run's), not both", e.Name)
	case e.Stream && e.Out == "":
		return nil, fmt.Errorf("experiment %q: Stream needs Out, the folder the states go to", e.Name)
	case e.Shard.Count > 1 && (e.Shard.Index < 1 || e.Shard.Index > e.Shard.Count):
		return nil, fmt.Errorf("experiment %q: shard %s: want 1 <= i <= n", e.Name, e.Shard)
	}
	pts, err := e.points()
	if err != nil {
		return nil, err
	}
	res := &Result{Points: pts, History: make([]*history.Run, len(pts))}
	var jobs []*job
	for c := range pts {
		if e.Shard.has(c) {
			for r := range e.Replicates {
				jobs = append(jobs, &job{c: c, r: r})
			}
		}
	}
	res.Total = len(jobs)
	b := &builder{e: &e, pts: pts, res: res, once: make([]sync.Once, len(pts)), errs: make([]error, len(pts)),
		studies: make([]*sim.Study, len(pts))}
	workers := e.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if len(jobs) > 0 && e.Build != nil {
		// The first point is built now, so that a mistake in Build shows
		// before anything runs, and LLM agents get a goroutine per run.
		if err := b.build(jobs[0].c); err != nil {
			return nil, err
		}
		if m, ok := b.studies[jobs[0].c].Agents.(agent.IOBound); ok && m.IOBound() && !e.Stream {
			workers = max(workers, len(jobs))
		}
	}
	var sink agentSink
	if e.Out != "" {
		if err := e.prepareOut(len(pts)); err != nil {
			return nil, err
		}
		if e.Stream {
			if sink, err = openAgents(e.Out, e.Agents, e.Params); err != nil {
				return nil, err
			}
		}
	}
	bar := workpool.NewProgress(e.Quiet, len(jobs), e.Name)
	runJob := func(ctx context.Context, j *job, inner int, stream agentSink) error {
		k := key{run: j.c*e.Replicates + j.r, replicate: j.r, seed: e.seed(j.c, j.r), point: pts[j.c]}
		var s *sim.Study
		if e.BuildRun != nil {
			var err error
			if s, err = b.buildRun(j.c, j.r, k.seed); err != nil {
				return err
			}
		} else {
			if err := b.build(j.c); err != nil {
				return err
			}
			s = b.studies[j.c]
		}
		forget := e.Stream || (e.BuildRun != nil && e.Agents == NoAgents)
		tr, err := s.Replicate(ctx, j.r, sim.ReplicateOptions{Seed: k.seed, Workers: inner, Forget: forget,
			Observe: func(t int, st *agent.State) error {
				j.mets = append(j.mets, metrics.Of(st, s.Network.At(t)))
				if stream != nil {
					return stream.step(k, t, st)
				}
				return nil
			}})
		j.tr = tr
		if err == nil && stream != nil {
			err = stream.endRun()
		}
		j.done = err == nil
		bar.Add(1)
		return err
	}
	if e.Stream {
		for _, j := range jobs {
			if err = ctx.Err(); err != nil {
				break
			}
			if err = runJob(ctx, j, workers, sink); err != nil {
				break
			}
		}
	} else {
		inner := max(1, workers/max(1, len(jobs)))
		err = workpool.Run(ctx, len(jobs), workers, func(ctx context.Context, i int) error {
			return runJob(ctx, jobs[i], inner, nil)
		})
	}
	bar.Finish()
	if err == nil {
		for _, e := range b.errs {
			if e != nil {
				err = e
				break
			}
		}
	}
	res.collect(&e, jobs)
	if e.Out != "" {
		if werr := e.write(res, jobs, sink, err); werr != nil {
			return res, errors.Join(err, werr)
		}
	}
	return res, err
}

// builder builds each point's study once; the jobs of a point read
// studies[c] and res.History[c] after build(c) returns.
type builder struct {
	e       *Experiment
	pts     []Point
	res     *Result
	once    []sync.Once
	errs    []error
	studies []*sim.Study
}

func (b *builder) build(c int) error {
	b.once[c].Do(func() {
		b.errs[c] = b.buildPoint(c)
	})
	return b.errs[c]
}

func (b *builder) buildPoint(c int) (err error) {
	pt := b.pts[c]
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("experiment %q point %d (%s): Build panicked: %v", b.e.Name, c, pt.Label(), r)
		}
	}()
	s, err := b.e.Build(pt)
	if err != nil {
		return fmt.Errorf("experiment %q point %d (%s): %w", b.e.Name, c, pt.Label(), err)
	}
	label(&s, pt)
	s.Replicates, s.Seed = b.e.Replicates, b.e.Seed
	if err := s.Prepare(); err != nil {
		return fmt.Errorf("experiment %q point %d (%s): %w", b.e.Name, c, pt.Label(), err)
	}
	rec := s.Record()
	for r := range rec.Manifest.Seeds {
		rec.Manifest.Seeds[r] = b.e.seed(c, r)
	}
	b.studies[c], b.res.History[c] = &s, rec
	return nil
}

// label names a point's study and adds the point's parameters to its
// labels (the study's own labels keep theirs for other keys); the
// experiment's bar replaces the study's.
func label(s *sim.Study, pt Point) {
	if s.Name == "" {
		s.Name = pt.Label()
	}
	labels := pt.Labels()
	for k, v := range s.Labels {
		if _, ok := labels[k]; !ok {
			labels[k] = v
		}
	}
	s.Labels, s.Quiet = labels, true
}

// buildRun builds and prepares the study of one run (BuildRun).
func (b *builder) buildRun(c, r int, seed uint64) (*sim.Study, error) {
	pt := b.pts[c]
	s, err := b.e.BuildRun(pt, r, seed)
	if err != nil {
		return nil, fmt.Errorf("experiment %q point %d (%s) replicate %d: %w", b.e.Name, c, pt.Label(), r, err)
	}
	label(&s, pt)
	s.Replicates, s.Seed = 1, seed
	if err := s.Prepare(); err != nil {
		return nil, fmt.Errorf("experiment %q point %d (%s) replicate %d: %w", b.e.Name, c, pt.Label(), r, err)
	}
	return &s, nil
}

// collect fills the result's history and tables from the jobs, in run
// order, keeping every run that recorded a step.
func (res *Result) collect(e *Experiment, jobs []*job) {
	res.Runs = &Table{Columns: append(keyColumns(e.Params), append([]string{"steps"}, finalColumns()...)...)}
	res.Metrics = &Table{Columns: append(keyColumns(e.Params), append([]string{"step"}, metricColumns()...)...)}
	for _, j := range jobs {
		if j.done {
			res.Done++
		}
		if len(j.mets) == 0 {
			continue
		}
		if rec := res.History[j.c]; rec != nil {
			rec.Replicates[j.r] = j.tr
		}
		k := key{run: j.c*e.Replicates + j.r, replicate: j.r, seed: e.seed(j.c, j.r), point: res.Points[j.c]}
		cells := k.cells()
		last := j.mets[len(j.mets)-1]
		row := append(append([]string(nil), cells...), strconv.Itoa(len(j.mets)))
		row = append(row, finalCells(last)...)
		res.Runs.Rows = append(res.Runs.Rows, row)
		for t, m := range j.mets {
			row := append(append([]string(nil), cells...), strconv.Itoa(t))
			res.Metrics.Rows = append(res.Metrics.Rows, append(row, metricCells(m)...))
		}
	}
	for _, rec := range res.History {
		if rec == nil {
			continue
		}
		kept := rec.Replicates[:0]
		for _, tr := range rec.Replicates {
			if tr != nil {
				kept = append(kept, tr)
			}
		}
		rec.Replicates = kept
	}
}

// metricColumns are metrics.csv's metric columns.
func metricColumns() []string {
	cols := []string{"adoption", "mean_opinion", "var_opinion", "support", "gap", "gap_high", "gap_low",
		"unpopular_norm", "extremes", "bimodality", "assortativity"}
	for k := range 11 {
		cols = append(cols, "hist_"+strconv.Itoa(k))
	}
	return cols
}

func metricCells(m metrics.Snapshot) []string {
	out := make([]string, 0, 22)
	for _, v := range []float64{m.Adoption, m.MeanOpinion, m.VarOpinion, m.Support, m.Gap, m.GapHigh, m.GapLow,
		m.UnpopularNorm, m.Extremes, m.Bimodality, m.Assortativity} {
		out = append(out, ftoa(v))
	}
	for _, h := range m.Hist {
		out = append(out, ftoa(h))
	}
	return out
}

// finalColumns are runs.csv's metrics at the last recorded step.
func finalColumns() []string {
	return []string{"final_adoption", "final_opinion", "final_var_opinion", "final_support", "final_gap",
		"final_unpopular_norm", "final_extremes", "final_bimodality", "final_assortativity"}
}

func finalCells(m metrics.Snapshot) []string {
	out := make([]string, 0, 9)
	for _, v := range []float64{m.Adoption, m.MeanOpinion, m.VarOpinion, m.Support, m.Gap,
		m.UnpopularNorm, m.Extremes, m.Bimodality, m.Assortativity} {
		out = append(out, ftoa(v))
	}
	return out
}

// design is experiment.json: everything that fixes the runs and the files,
// and nothing about the process (shard, streaming), so that every shard
// writes the same one.
type design struct {
	Name       string      `json:"name"`
	Tool       string      `json:"tool"`
	Version    string      `json:"version"`
	Params     []paramJSON `json:"params"`
	Samples    int         `json:"samples,omitempty"`
	Latin      bool        `json:"latin,omitempty"`
	Replicates int         `json:"replicates"`
	Seed       uint64      `json:"seed"`
	RunSeeds   bool        `json:"run_seeds,omitempty"`
	Points     int         `json:"points"`
	Runs       int         `json:"runs"`
	Agents     string      `json:"agents"`
}

type paramJSON struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values,omitempty"`
	Levels []string  `json:"levels,omitempty"`
	Range  []float64 `json:"range,omitempty"`
}

// shardInfo is shard.json, written only by a shard: which shard, for Merge.
type shardInfo struct {
	Shard string `json:"shard"`
	Index int    `json:"index"`
	Count int    `json:"count"`
}

// status is status.json, written only when a run stopped early.
type status struct {
	Error string `json:"error"`
	Done  int    `json:"runs_done"`
	Total int    `json:"runs_total"`
}

func (e *Experiment) design(points int) design {
	d := design{Name: e.Name, Tool: "llmsam", Version: history.Version(), Samples: e.Samples, Latin: e.Latin,
		Replicates: e.Replicates, Seed: e.Seed, RunSeeds: e.RunSeeds, Points: points,
		Runs: points * e.Replicates, Agents: e.Agents.String()}
	for _, p := range e.Params {
		pj := paramJSON{Name: p.Name, Values: p.Values, Levels: p.Levels}
		if p.Sampled {
			pj.Range = []float64{p.Lo, p.Hi}
		}
		d.Params = append(d.Params, pj)
	}
	return d
}

// prepareOut creates Out, writes experiment.json (and shard.json for a
// shard) and removes the files of an earlier run there that this one
// would not overwrite.
func (e *Experiment) prepareOut(points int) error {
	if err := os.MkdirAll(e.Out, 0o755); err != nil {
		return err
	}
	for _, name := range []string{"status.json", "shard.json", "agents.csv", "agents.parquet"} {
		if err := os.Remove(filepath.Join(e.Out, name)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	if err := writeJSON(filepath.Join(e.Out, "experiment.json"), e.design(points)); err != nil {
		return err
	}
	if !e.Shard.all() {
		return writeJSON(filepath.Join(e.Out, "shard.json"), shardInfo{Shard: e.Shard.String(), Index: e.Shard.Index, Count: e.Shard.Count})
	}
	return nil
}

func writeJSON(path string, v any) error {
	return history.WriteFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// write writes the tables to Out, the per-agent table from the records
// unless it was streamed, and status.json when runErr is set.
func (e *Experiment) write(res *Result, jobs []*job, sink agentSink, runErr error) error {
	for name, t := range map[string]*Table{"runs.csv": res.Runs, "metrics.csv": res.Metrics} {
		if err := history.WriteFileAtomic(filepath.Join(e.Out, name), t.WriteCSV); err != nil {
			if sink != nil {
				sink.abort()
			}
			return err
		}
	}
	if sink == nil {
		var err error
		if sink, err = openAgents(e.Out, e.Agents, e.Params); err != nil {
			return err
		}
		if sink != nil {
			for _, j := range jobs {
				if j.tr == nil || len(j.mets) == 0 {
					continue
				}
				k := key{run: j.c*e.Replicates + j.r, replicate: j.r, seed: e.seed(j.c, j.r), point: res.Points[j.c]}
				for t, st := range j.tr.States {
					if err == nil {
						err = sink.step(k, t, st)
					}
				}
				if err == nil {
					err = sink.endRun()
				}
			}
			if err != nil {
				sink.abort()
				return err
			}
		}
	}
	if sink != nil {
		if err := sink.close(); err != nil {
			return err
		}
	}
	if runErr != nil {
		return writeJSON(filepath.Join(e.Out, "status.json"), status{Error: runErr.Error(), Done: res.Done, Total: res.Total})
	}
	return nil
}
