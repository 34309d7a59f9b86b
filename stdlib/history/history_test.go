package history

import (
	"encoding/json"
	"errors"
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

// TestRunString: the summary shows the mean opinion on the answer scale
// 0-10, as the figures do, and says so.
func TestRunString(t *testing.T) {
	r := twoStepRun([][]float64{{0.5, 0.5}, {0.6, 0.8}, {0.5, 0.5}, {0.2, 0.4}}, [][]uint8{{0, 0}, {1, 1}, {0, 0}, {0, 1}})
	if s := r.String(); !strings.Contains(s, "final adoption 0.750, mean opinion 5.00 / 10 (mean over replicates)") {
		t.Errorf("Run.String() = %q, want the final mean opinion 5.00 / 10", s)
	}
}

// TestMarkFailed: a saved run marked failed afterwards is refused by Load
// and says why, as a run saved with its error is.
func TestMarkFailed(t *testing.T) {
	dir := t.TempDir()
	r := twoStepRun([][]float64{{0.5, 0.5}, {0.6, 0.8}}, [][]uint8{{0, 0}, {1, 1}})
	if err := r.Save(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err != nil {
		t.Fatal(err)
	}
	if err := MarkFailed(dir, errors.New("over the fallback budget")); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "over the fallback budget") {
		t.Errorf("Load of a run marked failed: %v", err)
	}
	if err := MarkFailed(t.TempDir(), errors.New("x")); err == nil {
		t.Error("MarkFailed of a folder without a manifest succeeded")
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
	var agents map[string]struct {
		Profile map[string]any
		Opinion []struct {
			Thought  string
			Opinion  int
			Decision string
		}
	}
	if err := json.Unmarshal(b, &agents); err != nil {
		t.Fatal(err)
	}
	if len(agents) != 2 || agents["James"].Opinion[1].Opinion != 6 || agents["James"].Opinion[1].Decision != "Yes" ||
		agents["Michael"].Opinion[1].Decision != "No" || agents["James"].Profile["O_inital_text"] != "cheap, \"good\"" ||
		agents["James"].Opinion[0].Thought != "cheap, \"good\"" || agents["James"].Opinion[1].Thought != "hm" {
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

func TestSaveLoadRoundTrip(t *testing.T) {
	r := twoStepRun([][]float64{{0.5, 0.5}, {0.6, 0.8}, {0.5, 0.5}, {0.2, 0.4}}, [][]uint8{{0, 0}, {1, 1}, {0, 0}, {0, 1}})
	r.Manifest.Name = "a,b"
	dir := t.TempDir()
	if err := r.Save(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Replicates) != 2 || got.Steps() != 2 || got.Network.At(0).Edges() != 1 || got.Manifest.Name != "a,b" {
		t.Fatalf("loaded %+v", got.Manifest)
	}
	for k, tr := range r.Replicates {
		for s, st := range tr.States {
			g := got.Replicates[k].States[s]
			for i := range st.Opinion {
				if g.Opinion[i] != st.Opinion[i] || g.Action[i] != st.Action[i] || g.Thought[i] != st.Thought[i] {
					t.Fatalf("replicate %d step %d agent %d differs", k, s, i)
				}
			}
		}
	}
	os.WriteFile(filepath.Join(dir, "trajectories.csv"), []byte("run,replicate,seed,step,agent,opinion,action\nx,0,0,0,0,2.5,1\n"), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("bad row: %v", err)
	}
}

func TestPool(t *testing.T) {
	a := twoStepRun([][]float64{{0.5, 0.5}, {0.6, 0.8}}, [][]uint8{{0, 0}, {1, 1}})
	b := twoStepRun([][]float64{{0.1, 0.2}, {0.3, 0.4}}, [][]uint8{{0, 1}, {0, 0}})
	p, err := Pool("both", a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.People) != 4 || p.Network.At(0).Edges() != 2 || p.Network.At(0).HasEdge(1, 2) {
		t.Fatalf("pooled %d people, network %v", len(p.People), p.Network.At(0))
	}
	if st := p.Replicates[0].States[1]; st.Opinion[3] != 0.4 || st.Action[1] != 1 || st.Thought[2] != "hm" {
		t.Fatalf("pooled state %+v", st)
	}
	c := twoStepRun([][]float64{{0.5, 0.5}, {0.6, 0.8}, {0.5, 0.5}, {0.6, 0.8}}, [][]uint8{{0, 0}, {1, 1}, {0, 0}, {1, 1}})
	if _, err := Pool("x", a, c); err == nil {
		t.Fatal("runs with different replicate counts pooled")
	}
}

// TestInputs: an input file is named by its path and the SHA-256 of its
// content, and survives Save and Load in the manifest.
func TestInputs(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "net.npy")
	os.WriteFile(path, []byte("abc"), 0o644)
	in, err := Inputs("network", path)
	if err != nil || len(in) != 1 || in[0].SHA256 != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" || in[0].Path != path || in[0].Role != "network" {
		t.Fatalf("Inputs = %+v, %v", in, err)
	}
	if _, err := Inputs("network", filepath.Join(dir, "missing.npy")); err == nil {
		t.Error("Inputs of a missing file succeeded")
	}
	r := twoStepRun([][]float64{{0.5, 0.5}, {0.6, 0.8}}, [][]uint8{{0, 0}, {1, 1}})
	r.Manifest.Inputs = in
	if err := r.Save(filepath.Join(dir, "run")); err != nil {
		t.Fatal(err)
	}
	back, err := Load(filepath.Join(dir, "run"))
	if err != nil || len(back.Manifest.Inputs) != 1 || back.Manifest.Inputs[0] != in[0] {
		t.Fatalf("loaded inputs %+v, %v", back.Manifest.Inputs, err)
	}
}
