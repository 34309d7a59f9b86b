package history

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
)

func twoStepRun(opinions [][]float64, actions [][]uint8) *Run {
	people := pop.Population{{A: 0.2, Tau: 0.5, F: 0.3, Lambda: 0.5, Opinion0: 0.5, Reason: "cheap, \"good\""}, {A: 0.2, Tau: 0.5, F: 0.3, Lambda: 0.5}}
	r := &Run{Manifest: Manifest{Name: "t"}, People: people, Network: netw.Complete(2)}
	for k := range len(opinions) / 2 {
		tr := &Trajectory{Replicate: k, Seed: uint64(k)}
		for t := range 2 {
			s := &agent.State{Opinion: opinions[2*k+t], Action: actions[2*k+t], Thought: []string{"hm", "yes"}}
			tr.States = append(tr.States, s)
		}
		r.Replicates = append(r.Replicates, tr)
	}
	return r
}

func TestBandAndCompare(t *testing.T) {
	a := twoStepRun([][]float64{{0.5, 0.5}, {0.6, 0.8}, {0.5, 0.5}, {0.2, 0.4}}, [][]uint8{{0, 0}, {1, 1}, {0, 0}, {0, 1}})
	mean, sd := a.Band(Adoption)
	if mean[0] != 0 || mean[1] != 0.75 || math.Abs(sd[1]-0.25) > 1e-12 {
		t.Fatalf("adoption band %v +/- %v, want [0 0.75] +/- [0 0.25]", mean, sd)
	}
	d, err := Compare(a, a)
	if err != nil || d[1].OpinionMAE != 0 || d[1].ActionAgreement != 1 {
		t.Fatalf("a run against itself: %+v %v", d, err)
	}
}

func TestSaveReleaseLayout(t *testing.T) {
	r := twoStepRun([][]float64{{0.5, 0.5}, {0.6, 0.8}}, [][]uint8{{0, 0}, {1, 0}})
	dir := t.TempDir()
	if err := r.Save(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "release", "seed_0.json"))
	if err != nil {
		t.Fatal(err)
	}
	var agents []struct {
		ID      int
		Profile map[string]any
		Answers []struct {
			Step     int
			Thought  string
			Opinion  int
			Decision string
		}
	}
	if err := json.Unmarshal(b, &agents); err != nil {
		t.Fatal(err)
	}
	if len(agents) != 2 || agents[0].Answers[1].Opinion != 6 || agents[0].Answers[1].Decision != "Yes" ||
		agents[1].Answers[1].Decision != "No" || agents[0].Profile["O_inital_text"] != "cheap, \"good\"" || agents[0].Answers[0].Thought != "hm" {
		t.Fatalf("release layout: %s", b)
	}
	jl, _ := os.ReadFile(filepath.Join(dir, "history.jsonl"))
	if lines := strings.Count(string(jl), "\n"); lines != 4 || !strings.Contains(string(jl), `"thought":"yes"`) {
		t.Fatalf("history.jsonl: %d lines\n%s", lines, jl)
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(entries) != 0 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}
