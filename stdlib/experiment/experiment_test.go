package experiment_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/experiment"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// threeParams is the experiment the issue asks for: topology x message
// strength x rationality, SAM agents on 40 people.
func threeParams(out string) experiment.Experiment {
	const n = 40
	people := pop.MustSynthetic(scenario.Dishwasher(), n, 1)
	return experiment.Experiment{
		Name: "three",
		Params: []experiment.Param{
			experiment.Levels("topology", "BA", "WS", "ER"),
			experiment.Values("s", 0.2, 0.8),
			experiment.Values("beta", 2, 20),
		},
		Replicates: 2, Seed: 7, Out: out, Quiet: true,
		Build: func(p experiment.Point) (sim.Study, error) {
			var g *netw.Graph
			var err error
			switch p.String("topology") {
			case "BA":
				g, err = netw.BarabasiAlbert(n, 4, 1)
			case "WS":
				g, err = netw.WattsStrogatz(n, 6, 0.3, 1)
			default:
				g, err = netw.ErdosRenyi(n, 0.2, 1)
			}
			sc := *scenario.Dishwasher()
			sc.Rounds = []scenario.Round{{Name: "initial"}, {Name: "m", Strength: p.Float("s")}, {Name: "m", Strength: p.Float("s")}}
			return sim.Study{Scenario: &sc, Network: g, People: people, Agents: theory.SAM{Rule: theory.BetaRule, Beta: p.Float("beta")}, Steps: 4}, err
		},
	}
}

func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sameFiles(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	var names []string
	for k := range a {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(a) != len(b) {
		t.Fatalf("%s: %d files vs %d", what, len(a), len(b))
	}
	for _, k := range names {
		if !bytes.Equal(a[k], b[k]) {
			t.Fatalf("%s: %s differs", what, k)
		}
	}
}

func TestRunsTable(t *testing.T) {
	dir := t.TempDir()
	res, err := threeParams(dir).Run()
	if err != nil {
		t.Fatal(err)
	}
	if res.Done != 24 || res.Total != 24 || len(res.Runs.Rows) != 24 {
		t.Fatalf("done %d of %d, %d rows; want 24", res.Done, res.Total, len(res.Runs.Rows))
	}
	head := strings.Join(res.Runs.Columns, ",")
	if !strings.HasPrefix(head, "run,point,topology,s,beta,replicate,seed,steps,final_adoption,final_opinion,") {
		t.Fatalf("runs.csv header %s", head)
	}
	got, _ := res.Runs.Where("run", "13") // point 6 = ER? no: BA has points 0-3, WS 4-7: run 13 is point 6, replicate 1
	if len(got.Rows) != 1 || strings.Join(got.Rows[0][:8], ",") != "13,6,WS,0.8,2,1,8,4" {
		t.Fatalf("run 13: %v", got.Rows)
	}
	if len(res.Metrics.Rows) != 24*4 {
		t.Fatalf("%d metrics rows, want %d", len(res.Metrics.Rows), 24*4)
	}
	// Stronger messages raise the final mean opinion, whatever the topology.
	for _, top := range []string{"BA", "WS", "ER"} {
		rows, _ := res.Runs.Where("topology", top)
		lo, hi := 0.0, 0.0
		ss, _ := rows.Strings("s")
		op, _ := rows.Floats("final_opinion")
		for i := range ss {
			if ss[i] == "0.2" {
				lo += op[i]
			} else {
				hi += op[i]
			}
		}
		if !(hi > lo) {
			t.Errorf("%s: final opinion with s = 0.8 (%g) not above s = 0.2 (%g)", top, hi/8, lo/8)
		}
	}
	tables, err := experiment.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tables.Runs, res.Runs) || !reflect.DeepEqual(tables.Metrics, res.Metrics) {
		t.Fatal("Load gives other tables than Run returned")
	}
	if len(tables.Agents.Rows) != 24*4*40 || strings.Join(tables.Agents.Columns, ",") != "run,point,topology,s,beta,replicate,seed,step,agent,opinion,action" {
		t.Fatalf("agents table: %v, %d rows", tables.Agents.Columns, len(tables.Agents.Rows))
	}
	// The history of a point matches its rows.
	if h := res.History[6]; h == nil || h.Manifest.Labels["topology"] != "WS" || len(h.Replicates) != 2 || h.Manifest.Seeds[1] != 8 {
		t.Fatalf("history of point 6: %+v", h.Manifest)
	}
}

// TestShardsMergeByteForByte runs the experiment whole and as three shards
// (CSV and Parquet per-agent tables, streamed or not) and merges them.
func TestShardsMergeByteForByte(t *testing.T) {
	for _, format := range []experiment.Format{experiment.CSV, experiment.Parquet} {
		whole := t.TempDir()
		e := threeParams(whole)
		e.Agents = format
		if _, err := e.Run(); err != nil {
			t.Fatal(err)
		}
		var shards []string
		for i := 1; i <= 3; i++ {
			s := threeParams(filepath.Join(t.TempDir(), fmt.Sprint(i)))
			s.Agents, s.Shard, s.Stream = format, experiment.Shard{Index: i, Count: 3}, i == 2
			res, err := s.Run()
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != 8 {
				t.Fatalf("shard %d ran %d runs, want 8", i, res.Total)
			}
			shards = append(shards, s.Out)
		}
		merged := t.TempDir()
		if err := experiment.Merge(merged, shards[2], shards[0], shards[1]); err != nil {
			t.Fatal(err)
		}
		sameFiles(t, "merged vs whole ("+format.String()+")", files(t, whole), files(t, merged))
		if err := experiment.Merge(t.TempDir(), shards[0], shards[1]); err == nil || !strings.Contains(err.Error(), "shard 3/3 is missing") {
			t.Fatalf("merging two of three shards: %v", err)
		}
		if err := experiment.Merge(shards[0], shards...); err == nil || !strings.Contains(err.Error(), "is one of the shard folders") {
			t.Fatalf("merging into a shard's folder: %v", err)
		}
		if _, err := os.Stat(filepath.Join(shards[0], "runs.csv")); err != nil {
			t.Fatalf("merging into a shard's folder touched it: %v", err)
		}
		streamed := t.TempDir()
		e.Out, e.Stream = streamed, true
		if _, err := e.Run(); err != nil {
			t.Fatal(err)
		}
		sameFiles(t, "streamed vs in memory ("+format.String()+")", files(t, whole), files(t, streamed))
	}
	csvDir, pqDir := t.TempDir(), t.TempDir()
	for dir, f := range map[string]experiment.Format{csvDir: experiment.CSV, pqDir: experiment.Parquet} {
		e := threeParams(dir)
		e.Agents = f
		if _, err := e.Run(); err != nil {
			t.Fatal(err)
		}
	}
	a, err := experiment.Load(csvDir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := experiment.Load(pqDir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Agents, b.Agents) {
		t.Fatal("agents.parquet and agents.csv load as different tables")
	}
}

func TestDesigns(t *testing.T) {
	var seen []experiment.Point
	e := experiment.Experiment{
		Params:  []experiment.Param{experiment.Levels("k", "a", "b"), experiment.Range("x", 0, 1), experiment.Range("y", 10, 20)},
		Samples: 5, Latin: true, Seed: 3, Quiet: true,
		Build: func(p experiment.Point) (sim.Study, error) {
			return sim.Study{Network: netw.Complete(3), People: pop.MustSynthetic(scenario.Dishwasher(), 3, 1), Agents: theory.SAM{}}, nil
		},
	}
	res, err := e.Run()
	if err != nil {
		t.Fatal(err)
	}
	seen = res.Points
	if len(seen) != 10 {
		t.Fatalf("%d points, want 2 levels x 5 samples", len(seen))
	}
	// Latin hypercube: each of the 5 strata of x and of y holds one sample.
	for _, name := range []string{"x", "y"} {
		strata := map[int]bool{}
		for _, p := range seen[:5] {
			v := p.Float(name)
			if name == "y" {
				v = (v - 10) / 10
			}
			strata[int(v*5)] = true
		}
		if len(strata) != 5 {
			t.Errorf("%s: samples fall in %d strata of 5", name, len(strata))
		}
	}
	if seen[0].String("k") != "a" || seen[5].String("k") != "b" || seen[0].Float("x") != seen[5].Float("x") {
		t.Errorf("samples not crossed with the grid: %s / %s", seen[0].Label(), seen[5].Label())
	}
	for _, bad := range []experiment.Experiment{
		{Params: []experiment.Param{experiment.Values("run", 1)}},
		{Params: []experiment.Param{experiment.Values("x")}},
		{Params: []experiment.Param{experiment.Range("x", 1, 0)}, Samples: 2},
		{Params: []experiment.Param{experiment.Range("x", 0, 1)}},
		{Params: []experiment.Param{experiment.Values("x", 1), experiment.Values("x", 2)}},
		{Params: []experiment.Param{experiment.Levels("k", "a", "")}},
		{Params: []experiment.Param{experiment.Values("x y", 1)}},
	} {
		bad.Build = e.Build
		if _, err := bad.Run(); err == nil {
			t.Errorf("accepted %+v", bad.Params)
		}
	}
	// A Build that panics or asks for an unknown parameter gives an error.
	e.Build = func(p experiment.Point) (sim.Study, error) { p.Float("z"); return sim.Study{}, nil }
	if _, err := e.Run(); err == nil || !strings.Contains(err.Error(), `no parameter "z"`) {
		t.Fatalf("error %v", err)
	}
}

func TestShardFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		env  func(string) string
		want string
		err  bool
	}{
		{env("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "0"), "1/4", false},
		{env("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "1"), "4/4", false},
		{env("JOB_COMPLETION_INDEX", "2", "JOB_COMPLETIONS", "3"), "3/3", false},
		{env("JOB_COMPLETION_INDEX", "2"), "", true},
		{env("SLURM_ARRAY_TASK_ID", "x", "SLURM_ARRAY_TASK_COUNT", "4"), "", true},
	} {
		s, ok, err := experiment.ShardFromEnv(c.env)
		if !ok || (err != nil) != c.err || (!c.err && s.String() != c.want) {
			t.Errorf("got %v %v %v, want %s (error %v)", s, ok, err, c.want, c.err)
		}
	}
	if _, ok, _ := experiment.ShardFromEnv(env()); ok {
		t.Error("no scheduler variables gave a shard")
	}
	if _, err := experiment.ParseShard("4/3"); err == nil {
		t.Error("4/3 accepted")
	}
}

// stopAt cancels the experiment when a run reaches a step.
type stopAt struct {
	theory.SAM
	cancel context.CancelFunc
}

func (m stopAt) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	if env.Step == 2 && env.Seed == 8 {
		m.cancel()
		return ctx.Err()
	}
	return m.SAM.Step(ctx, env, cur, next)
}

// TestPartialResults cancels an experiment in its second replicate and
// checks that the runs completed are written, with status.json, and that
// Merge refuses the folder.
func TestPartialResults(t *testing.T) {
	for _, stream := range []bool{false, true} {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		e := threeParams(dir)
		e.Stream, e.Workers = stream, 1
		build := e.Build
		e.Build = func(p experiment.Point) (sim.Study, error) {
			s, err := build(p)
			s.Agents = stopAt{SAM: s.Agents.(theory.SAM), cancel: cancel}
			return s, err
		}
		res, err := e.RunContext(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		if res.Done != 1 || res.Runs.Rows[0][0] != "0" {
			t.Fatalf("stream %v: %d runs done, rows %v", stream, res.Done, res.Runs.Rows)
		}
		tables, err := experiment.Load(dir)
		if err != nil || len(tables.Runs.Rows) != len(res.Runs.Rows) || len(tables.Agents.Rows) == 0 {
			t.Fatalf("stream %v: partial tables not written: %v", stream, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "status.json")); err != nil {
			t.Fatal("no status.json after an interrupted run")
		}
		os.WriteFile(filepath.Join(dir, "shard.json"), []byte(`{"shard":"1/1","index":1,"count":1}`), 0o644)
		if err := experiment.Merge(t.TempDir(), dir); err == nil || !strings.Contains(err.Error(), "stopped early") {
			t.Fatalf("merge of a stopped shard: %v", err)
		}
	}
}

// TestPandasReadsTables reads the tables back with Python's pandas (Debian:
// python3-pandas), and the Parquet file with pyarrow when it is installed.
func TestPandasReadsTables(t *testing.T) {
	// Debian's python3 (where python3-pandas installs), or the one on PATH.
	python := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import pandas").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		t.Skip("no python3 with pandas (apt-get install python3-pandas)")
	}
	dir := t.TempDir()
	e := threeParams(dir)
	if _, err := e.Run(); err != nil {
		t.Fatal(err)
	}
	script := `
import sys, pandas as pd
d = sys.argv[1]
runs = pd.read_csv(d + "/runs.csv")
metrics = pd.read_csv(d + "/metrics.csv")
agents = pd.read_csv(d + "/agents.csv")
assert len(runs) == 24 and list(runs.columns[:8]) == ["run","point","topology","s","beta","replicate","seed","steps"], runs.columns
assert len(metrics) == 96 and len(agents) == 24*4*40
m = runs.groupby(["topology", "s"])["final_opinion"].mean()
assert (m.xs(0.8, level="s") > m.xs(0.2, level="s")).all(), m
last = metrics[metrics.step == 3].set_index("run")["mean_opinion"]
assert ((last - runs.set_index("run")["final_opinion"]).abs() < 1e-12).all()
mean = agents[agents.step == 3].groupby("run")["opinion"].mean()
assert ((mean - runs.set_index("run")["final_opinion"]).abs() < 1e-9).all()
print("pandas ok", len(runs), len(metrics), len(agents))
`
	out, err := exec.Command(python, "-c", script, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("pandas: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	if exec.Command(python, "-c", "import pyarrow").Run() != nil {
		t.Log("pyarrow not installed (Debian 12 has no python3-pyarrow): agents.parquet checked in Go only")
		return
	}
	e.Agents = experiment.Parquet
	if _, err := e.Run(); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(python, "-c", `import sys, pandas as pd
a = pd.read_parquet(sys.argv[1] + "/agents.parquet")
assert len(a) == 24*4*40 and list(a.columns[:3]) == ["run","point","topology"], a.columns
print("pyarrow ok")`, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("pyarrow: %v\n%s", err, out)
	}
}

// TestBuildRun draws a fresh network per run from the run's seed; runs
// of the same replicate share it across points (common random numbers).
func TestBuildRun(t *testing.T) {
	people := pop.MustSynthetic(scenario.Dishwasher(), 30, 1)
	var graphs []string
	e := experiment.Experiment{
		Params:     []experiment.Param{experiment.Values("beta", 2, 20)},
		Replicates: 3, Seed: 5, Agents: experiment.NoAgents, Out: t.TempDir(), Quiet: true, Workers: 1,
		BuildRun: func(p experiment.Point, r int, seed uint64) (sim.Study, error) {
			g, err := netw.ErdosRenyi(30, 0.2, seed)
			graphs = append(graphs, fmt.Sprint(p.Float("beta"), r, seed, g.Edges()))
			return sim.Study{Network: g, People: people, Agents: theory.SAM{Rule: theory.BetaRule, Beta: p.Float("beta")}, Replicates: 9}, err
		},
	}
	res, err := e.Run()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Runs.Rows) != 6 || res.History[0] != nil || len(graphs) != 6 {
		t.Fatalf("%d rows, history %v, %d studies built", len(res.Runs.Rows), res.History[0], len(graphs))
	}
	seeds, _ := res.Runs.Strings("seed")
	if strings.Join(seeds, " ") != "5 6 7 5 6 7" {
		t.Fatalf("seeds %v", seeds)
	}
	e.Build = func(experiment.Point) (sim.Study, error) { return sim.Study{}, nil }
	if _, err := e.Run(); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Fatalf("Build and BuildRun both set: %v", err)
	}
}

// TestFlagsCheck: a bad -shard or -agents is refused with the flag's name
// and what was expected, before any work (scripts exit 2 on it).
func TestFlagsCheck(t *testing.T) {
	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	t.Setenv("JOB_COMPLETION_INDEX", "")
	for _, tc := range []struct {
		f    experiment.Flags
		want string // "" for no error
	}{
		{experiment.Flags{Shard: "2/3", Agents: "parquet"}, ""},
		{experiment.Flags{Agents: "none"}, ""},
		{experiment.Flags{Shard: "0/3", Agents: "csv"}, `flag -shard: "0/3", want i/n with 1 <= i <= n`},
		{experiment.Flags{Shard: "x", Agents: "csv"}, `flag -shard: "x"`},
		{experiment.Flags{Agents: "xlsx"}, `flag -agents: "xlsx", want csv, parquet or none`},
	} {
		err := tc.f.Check()
		var e experiment.Experiment
		applyErr := tc.f.Apply(&e)
		switch {
		case tc.want == "" && (err != nil || applyErr != nil):
			t.Errorf("%+v: unexpected error %v / %v", tc.f, err, applyErr)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || applyErr == nil || applyErr.Error() != err.Error()):
			t.Errorf("%+v: Check %v, Apply %v; want %q from both", tc.f, err, applyErr, tc.want)
		}
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "three")
	if err := (&experiment.Flags{Agents: "csv"}).Check(); err == nil || !strings.Contains(err.Error(), "SLURM_ARRAY_TASK_ID") {
		t.Errorf("a bad Slurm task id: %v", err)
	}
}
