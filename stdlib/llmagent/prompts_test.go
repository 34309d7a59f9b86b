package llmagent_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden prompt files under testdata")

// goldenGroup is a fixed group of three with real-looking answers: the
// states of steps 0..2 that the prompts of steps 1..2 read.
func goldenGroup(sc *scenario.Scenario) (pop.Population, []*agent.State) {
	people := pop.Population{
		{A: 0.2, Tau: 0.5, F: 0.3, Lambda: 0.7, Opinion0: 0.6, Action0: 1, Reason: "Handy, but the price is high."},
		{A: 0.1, Tau: 0.6, F: 0.3, Lambda: 0.4, Opinion0: 0.8, Action0: 1, Reason: "Saves a lot of time."},
		{A: 0.3, Tau: 0.4, F: 0.3, Lambda: 0.9, Opinion0: 0.3, Action0: 0, Reason: "Not worth it for us."},
	}
	for k := range people {
		people[k].Fact = sc.Fact(k)
	}
	s0 := &agent.State{Opinion: []float64{0.6, 0.8, 0.3}, Action: []uint8{1, 1, 0}, Thought: people.Reasons()}
	s1 := &agent.State{Opinion: []float64{0.7, 0.8, 0.4}, Action: []uint8{1, 1, 0}, Thought: []string{"The price cut helps.", "Still a good buy.", "Cheaper, still not for us."}}
	s2 := &agent.State{Opinion: []float64{0.7, 0.9, 0.5}, Action: []uint8{1, 1, 1}, Thought: []string{"Settled.", "Yes.", "My friends convinced me."}}
	return people, []*agent.State{s0, s1, s2}
}

// render returns agent 0's prompt (system, then user) at step t of a
// steps-step run of a group of three on a complete graph.
func render(t *testing.T, set string, sc *scenario.Scenario, step, steps int) string {
	t.Helper()
	tpl, err := llmagent.TemplatesByName(set)
	if err != nil {
		t.Fatal(err)
	}
	people, states := goldenGroup(sc)
	g := netw.Complete(3)
	env := &agent.Env{Step: step, Steps: steps, Graph: g, Network: g, People: people, Scenario: sc,
		Round: sc.Schedule(steps)[step], Initial: states[0], Past: states[:step]}
	a := &llmagent.Agents{Templates: tpl}
	sys, user, err := a.Prompt(env, states[step-1], 0)
	if err != nil {
		t.Fatal(err)
	}
	return "=== system\n" + sys + "\n=== user\n" + user + "\n"
}

// TestGoldenPrompts renders agent 0's prompt for every scenario, round and
// prompt set, and compares it with testdata/prompts (go test -update
// rewrites them).
func TestGoldenPrompts(t *testing.T) {
	for _, set := range []string{"default", "release"} {
		for _, sc := range scenario.Builtin() {
			for step := 1; step <= 2; step++ {
				got := render(t, set, sc, step, 3)
				name := filepath.Join("testdata", "prompts", set+"_"+sc.Name+"_round"+itoa(step+1)+".txt")
				if *update {
					os.MkdirAll(filepath.Dir(name), 0o755)
					if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(name)
				if err != nil {
					t.Fatalf("%v (run go test -update to write the golden files)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs from the rendered prompt:\n%s", name, got)
				}
			}
		}
	}
}
