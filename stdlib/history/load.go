package history

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
)

// Load reads a run directory written by Save: the manifest, the
// population, the network (static or one snapshot per step) and every
// replicate's states from trajectories.csv, with thoughts from
// history.jsonl when present. Errors name the file and line.
func Load(dir string) (*Run, error) {
	r := &Run{}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &r.Manifest); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	if r.Manifest.Error != "" {
		return nil, fmt.Errorf("%s: the run stopped before it finished (%s); its files keep what finished, but it is not a result", dir, r.Manifest.Error)
	}
	if r.People, err = pop.LoadCSV(filepath.Join(dir, "people.csv")); err != nil {
		return nil, err
	}
	n := len(r.People)
	if err := r.loadFacts(filepath.Join(dir, "facts.csv")); err != nil {
		return nil, err
	}
	if g, err := netw.LoadEdgeList(filepath.Join(dir, "network.edges"), n); err == nil {
		r.Network = g
	} else if !os.IsNotExist(err) {
		return nil, err
	} else {
		var snaps netw.Snapshots
		for t := 0; ; t++ {
			g, err := netw.LoadEdgeList(filepath.Join(dir, "network", fmt.Sprintf("step_%d.edges", t)), n)
			if os.IsNotExist(err) {
				break
			}
			if err != nil {
				return nil, err
			}
			snaps = append(snaps, g)
		}
		if len(snaps) > 0 {
			r.Network = snaps
		}
	}
	if err := r.loadStates(filepath.Join(dir, "trajectories.csv"), n); err != nil {
		return nil, err
	}
	r.loadThoughts(filepath.Join(dir, "history.jsonl"))
	return r, nil
}

// loadFacts reads facts.csv (agent,fact) when it exists.
func (r *Run) loadFacts(path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for k, row := range rows[min(1, len(rows)):] {
		i, err := strconv.Atoi(row[0])
		if err != nil || i < 0 || i >= len(r.People) || len(row) != 2 {
			return fmt.Errorf("%s line %d: want agent,fact with agent in [0,%d)", path, k+2, len(r.People))
		}
		r.People[i].Fact = row[1]
	}
	return nil
}

// loadStates reads the tidy CSV into replicates.
func (r *Run) loadStates(path string, n int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	byRep := map[int]*Trajectory{}
	var order []int
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			if !strings.HasSuffix(sc.Text(), "replicate,seed,step,agent,opinion,action") {
				return fmt.Errorf("%s line 1: header %q, want run,replicate,seed,step,agent,opinion,action", path, sc.Text())
			}
			continue
		}
		f := strings.Split(sc.Text(), ",")
		if len(f) < 7 {
			return fmt.Errorf("%s line %d: %d fields, want 7", path, line, len(f))
		}
		f = f[len(f)-6:] // the run name may hold quoted commas
		rep, e1 := strconv.Atoi(f[0])
		seed, e2 := strconv.ParseUint(f[1], 10, 64)
		step, e3 := strconv.Atoi(f[2])
		ag, e4 := strconv.Atoi(f[3])
		op, e5 := strconv.ParseFloat(f[4], 64)
		act, e6 := strconv.Atoi(f[5])
		for _, e := range []error{e1, e2, e3, e4, e5, e6} {
			if e != nil {
				return fmt.Errorf("%s line %d: %v", path, line, e)
			}
		}
		if ag < 0 || ag >= n || step < 0 || (act != 0 && act != 1) || op < 0 || op > 1 {
			return fmt.Errorf("%s line %d: agent %d step %d opinion %g action %d out of range for %d people", path, line, ag, step, op, act, n)
		}
		tr, ok := byRep[rep]
		if !ok {
			tr = &Trajectory{Replicate: rep, Seed: seed}
			byRep[rep] = tr
			order = append(order, rep)
		}
		for len(tr.States) <= step {
			tr.States = append(tr.States, agent.NewState(n))
		}
		tr.States[step].Opinion[ag] = op
		tr.States[step].Action[ag] = uint8(act)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, rep := range order {
		r.Replicates = append(r.Replicates, byRep[rep])
	}
	if len(r.Replicates) == 0 {
		return fmt.Errorf("%s: no rows", path)
	}
	return nil
}

// loadThoughts fills thoughts from history.jsonl, when it has any.
func (r *Run) loadThoughts(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	byRep := map[int]*Trajectory{}
	for _, tr := range r.Replicates {
		byRep[tr.Replicate] = tr
	}
	dec := json.NewDecoder(bufio.NewReader(f))
	for {
		var row jsonRow
		if dec.Decode(&row) != nil {
			return
		}
		tr := byRep[row.Replicate]
		if row.Thought == "" || tr == nil || row.Step >= len(tr.States) {
			continue
		}
		st := tr.States[row.Step]
		if st.Thought == nil {
			st.Thought = make([]string, st.N())
		}
		st.Thought[row.Agent] = row.Thought
	}
}

// MarkFailed records in the manifest of the run directory dir that the run
// failed (Manifest.Error = why), as Save records a run that stopped early:
// for a run saved before a later check failed (a script's final fallback
// budget), so that Load refuses it and it no longer looks like a result.
func MarkFailed(dir string, why error) error {
	path := filepath.Join(dir, "manifest.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	r := &Run{}
	if err := json.Unmarshal(b, &r.Manifest); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r.Manifest.Error = why.Error()
	return WriteFileAtomic(path, r.writeManifest)
}
