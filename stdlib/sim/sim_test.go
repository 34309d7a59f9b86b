package sim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func study(t testing.TB, n int) sim.Study {
	g, err := netw.BarabasiAlbert(n, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	return sim.Study{
		Name: "det", Scenario: scenario.Dishwasher(), Network: g,
		People: pop.MustSynthetic(scenario.Dishwasher(), n, 1), Agents: theory.SAM{Rule: theory.BetaRule, Beta: 8, Kappa: 0.3, Mu: 0.2},
		Steps: 4, Replicates: 5, Seed: 42, Quiet: true,
	}
}

// readDir returns every file of a run directory, by relative path.
func readDir(t *testing.T, dir string) map[string][]byte {
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, p)
			out[rel] = b
		}
		return nil
	})
	return out
}

// TestDeterministicRunDirectory runs the same study on 1 and 8 workers (and
// with intra-step parallelism on a large network) and compares the run
// directories byte for byte.
func TestDeterministicRunDirectory(t *testing.T) {
	for _, n := range []int{101, 20000} {
		var dirs []map[string][]byte
		for _, workers := range []int{1, 8, 3} {
			s := study(t, n)
			s.Workers = workers
			if n > 1000 {
				s.Replicates = 2
			}
			r, err := sim.Run(s)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := r.Save(dir); err != nil {
				t.Fatal(err)
			}
			dirs = append(dirs, readDir(t, dir))
		}
		for _, want := range []string{"manifest.json", "trajectories.csv", "history.jsonl", "metrics.csv", "people.csv", "network.edges", "release/seed_0.json"} {
			if _, ok := dirs[0][want]; !ok {
				t.Fatalf("n=%d: run directory lacks %s", n, want)
			}
		}
		for k := 1; k < len(dirs); k++ {
			if len(dirs[k]) != len(dirs[0]) {
				t.Fatalf("n=%d: %d files vs %d", n, len(dirs[k]), len(dirs[0]))
			}
			for name, b := range dirs[0] {
				if !bytes.Equal(b, dirs[k][name]) {
					t.Fatalf("n=%d: %s differs between worker counts", n, name)
				}
			}
		}
	}
	// Another seed gives another run.
	a, b := study(t, 101), study(t, 101)
	b.Seed = 43
	ra, _ := sim.Run(a)
	rb, _ := sim.Run(b)
	if bytes.Equal(actions(ra), actions(rb)) {
		t.Fatal("seeds 42 and 43 gave identical actions")
	}
}

func actions(r *history.Run) []byte {
	var b []byte
	for _, tr := range r.Replicates {
		for _, s := range tr.States {
			b = append(b, s.Action...)
		}
	}
	return b
}

func TestRunDirectoryContents(t *testing.T) {
	s := study(t, 30)
	s.Replicates = 2
	r, err := sim.Run(s)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r.Save(dir)
	files := readDir(t, dir)
	csv := strings.Split(strings.TrimSpace(string(files["trajectories.csv"])), "\n")
	if csv[0] != "run,replicate,seed,step,agent,opinion,action" || len(csv) != 1+2*4*30 {
		t.Fatalf("trajectories.csv: header %q, %d lines; want %d rows", csv[0], len(csv), 2*4*30)
	}
	if !strings.HasPrefix(csv[1], "det,0,42,0,0,") || !strings.Contains(string(files["trajectories.csv"]), "\ndet,1,43,3,29,") {
		t.Fatalf("rows do not carry run, replicate, seed, step, agent: %q", csv[1])
	}
	man := string(files["manifest.json"])
	if commit, _ := history.Source(); commit != "" && !strings.Contains(man, `"commit": "`+commit+`"`) {
		t.Errorf("manifest lacks the source commit %s:\n%s", commit, man)
	}
	for _, want := range []string{`"model": "theory.SAM"`, `"Kappa": 0.3`, `"seeds": [`, `"scenario": "dishwasher"`, `"edges": 125`} {
		if !strings.Contains(man, want) {
			t.Errorf("manifest lacks %s:\n%s", want, man)
		}
	}
	if !strings.Contains(string(files["release/seed_1.json"]), `"Decision": "`) {
		t.Error("release layout lacks decisions")
	}
}

type panicky struct{}

func (panicky) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	if env.Step == 2 {
		agent.ParallelFor(100000, 4, func(lo, hi int) {
			if lo > 0 {
				panic("boom in a goroutine")
			}
		})
	}
	return nil
}

// TestModelPanicBecomesError checks that a panic inside a model, even in a
// goroutine it started, ends the run with an error naming the step.
func TestModelPanicBecomesError(t *testing.T) {
	s := study(t, 101)
	s.Agents = panicky{}
	_, err := sim.Run(s)
	if err == nil || !strings.Contains(err.Error(), "step 2") || !strings.Contains(err.Error(), "boom in a goroutine") {
		t.Fatalf("error %v, want a panic report naming step 2", err)
	}
}

// TestFailedRunIsMarked checks that a run that stopped on an error keeps
// what finished, says why in its manifest, and is refused by history.Load,
// so that a partial run is never read back as a result.
func TestFailedRunIsMarked(t *testing.T) {
	s := study(t, 101)
	s.Agents = panicky{}
	run, err := sim.Run(s)
	if err == nil || run == nil {
		t.Fatalf("run %v, error %v: want the partial run and an error", run, err)
	}
	if run.Manifest.Error != err.Error() {
		t.Fatalf("manifest error %q, want %q", run.Manifest.Error, err)
	}
	dir := t.TempDir()
	if err := run.Save(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := history.Load(dir); err == nil || !strings.Contains(err.Error(), "boom in a goroutine") {
		t.Fatalf("Load of a failed run: %v, want a refusal naming the failure", err)
	}
}

type slow struct{ started chan struct{} }

func (m slow) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	select {
	case m.started <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return ctx.Err()
}

func TestCancellation(t *testing.T) {
	s := study(t, 101)
	m := slow{started: make(chan struct{}, 1)}
	s.Agents = m
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-m.started; cancel() }()
	_, err := sim.RunContext(ctx, s)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestStudyValidation(t *testing.T) {
	s := study(t, 101)
	s.People = s.People[:50]
	if _, err := sim.Run(s); err == nil || !strings.Contains(err.Error(), "101 nodes but there are 50 people") {
		t.Fatalf("error %v", err)
	}
	s = study(t, 101)
	s.Agents = theory.SAM{Mu: 3}
	if _, err := sim.Run(s); err == nil || !strings.Contains(err.Error(), "Mu = 3") {
		t.Fatalf("error %v", err)
	}
	s = study(t, 101)
	s.Committed = []history.Commit{{Agent: 500}}
	if _, err := sim.Run(s); err == nil {
		t.Fatal("committed agent out of range accepted")
	}
}

// TestReplicateForget checks that a replicate run with Forget shows
// Observe the same states as a full run records, and keeps one.
func TestReplicateForget(t *testing.T) {
	s := study(t, 200)
	full, err := sim.Run(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	var seen []*agent.State
	tr, err := s.Replicate(context.Background(), 1, sim.ReplicateOptions{Seed: s.Seed + 1, Workers: 2, Forget: true,
		Observe: func(step int, st *agent.State) error {
			if step != len(seen) {
				t.Fatalf("observed step %d after %d states", step, len(seen))
			}
			seen = append(seen, st.Clone())
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.States) != 1 || len(seen) != s.Steps {
		t.Fatalf("kept %d states, observed %d; want 1 and %d", len(tr.States), len(seen), s.Steps)
	}
	for step, st := range full.Replicates[1].States {
		if !bytes.Equal(st.Action, seen[step].Action) || fmt.Sprint(st.Opinion) != fmt.Sprint(seen[step].Opinion) {
			t.Fatalf("step %d differs from the full run", step)
		}
	}
	if fmt.Sprint(tr.States[0].Opinion) != fmt.Sprint(seen[len(seen)-1].Opinion) {
		t.Fatal("the state kept is not the last")
	}
}
