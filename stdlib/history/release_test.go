package history

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/pop"
)

// releaseRun is a group of n with two seeds and three steps; agent i's
// opinion at step t is (i + t) / 10.
func releaseRun(n int, window string) *Run {
	people := make(pop.Population, n)
	for i := range people {
		people[i] = pop.Person{A: 0.1, Tau: 0.7, F: 0.2, Lambda: 0.6, Opinion0: float64(i) / 10, Action0: uint8(i % 2), Reason: "理由 " + pop.ReleaseName(n, i)}
	}
	r := &Run{Manifest: Manifest{Name: "g", Labels: map[string]string{}}, People: people}
	if window != "" {
		r.Manifest.Labels["window"] = window
	}
	for k := range 2 {
		tr := &Trajectory{Replicate: k}
		for t := range 3 {
			s := agent.NewState(n)
			for i := range n {
				s.Opinion[i] = float64(i+t) / 10
				s.Action[i] = uint8((i + t) % 2)
			}
			if t == 0 {
				s.Thought = people.Reasons()
			}
			tr.States = append(tr.States, s)
		}
		r.Replicates = append(r.Replicates, tr)
	}
	return r
}

// TestReleaseLayoutReadByPython writes two groups of 3 and one window of 5
// in the release's layout and reads them with Python the way code written
// for the release does (data.items(), agent['profile']['a'],
// agent['opinion'][t]['Opinion']).
func TestReleaseLayoutReadByPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed (apt-get install python3): the release's layout is read by Python code")
	}
	dir := t.TempDir()
	rr, err := ReleaseRuns(2, []*Run{releaseRun(3, ""), releaseRun(3, ""), releaseRun(5, "10")})
	if err != nil {
		t.Fatal(err)
	}
	if rr[1].Start != 3 || rr[2].Start != 10 {
		t.Fatalf("starts %d, %d: want 3 (second group of 3) and 10 (window label)", rr[1].Start, rr[2].Start)
	}
	if err := SaveRelease(dir, rr); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][]string{{"3", "3"}, {"5", "10"}} {
		out, err := exec.Command(py, filepath.Join("testdata", "read_release.py"), dir, "2", c[0], c[1], "2").CombinedOutput()
		if err != nil {
			t.Fatalf("python3 could not read the files: %v\n%s", err, out)
		}
		t.Logf("%s", out)
		if c[0] == "3" && !strings.Contains(string(out), "agents James,Michael,David; steps 3; adopters per step [1, 2, 1]") {
			t.Fatalf("unexpected reading:\n%s", out)
		}
		if c[0] == "5" && !strings.Contains(string(out), "agents User0,User1,User2,User3,User4") {
			t.Fatalf("unexpected reading:\n%s", out)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "exp2", "simulations_n3", "seed", "result_seed1_person3-6.json"))
	if !strings.Contains(string(b), "    \"James\": {\n        \"profile\": {\n            \"a\": 0.1,") || !strings.Contains(string(b), `"A_inital": 0.0`) ||
		!strings.Contains(string(b), "理由 James") {
		t.Fatalf("not the release's formatting:\n%s", b)
	}
}
