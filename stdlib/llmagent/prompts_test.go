package llmagent_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/internal/openaitest"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
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
// steps-step run of a group of three on a complete graph (step 0: the
// round-1 question the people answered themselves).
func render(t *testing.T, set string, sc *scenario.Scenario, step, steps int) string {
	t.Helper()
	tpl, err := llmagent.TemplatesByName(set)
	if err != nil {
		t.Fatal(err)
	}
	people, states := goldenGroup(sc)
	a := &llmagent.Agents{Templates: tpl}
	sys, user, err := a.PromptAt(sc, netw.Complete(3), people, states, steps, step, 0, 1)
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
			for step := 0; step <= 2; step++ {
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

// TestReleaseQuirks checks the release set's reproduced quirks: the agent
// among its friends on a complete graph, N friends = group size, names,
// the round-2 block kept at round 3, and free-chat steps that repeat the
// round-2 prompt on a dynamic network.
func TestReleaseQuirks(t *testing.T) {
	sc := scenario.Dishwasher()
	r3 := render(t, "release", sc, 2, 3)
	for _, want := range []string{"you talk with 3 friends", "Your name is James.", "James's answer is {\"Thought\": \"The price cut helps.\"",
		"# Round 2 question", "# Round 3 question", "Michael's answer is {\"Thought\": \"Saves a lot of time.\", \"Opinion\": 8, \"Decision\": \"Yes\"}"} {
		if !strings.Contains(r3, want) {
			t.Errorf("release round-3 prompt lacks %q", want)
		}
	}
	if strings.Contains(r3, "Free chat") || strings.Contains(r3, "you answered") {
		t.Error("the release set shows the agent's later answers")
	}
	// A 6-agent dynamic network of 10 steps: free chat repeats step 1's prompt.
	people := pop.MustSynthetic(sc, 6, 1)
	base, _ := netw.BarabasiAlbert(6, 2, 1)
	snaps, err := netw.Rewire(base, 1, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	states := []*agent.State{{Opinion: people.Opinions(), Action: people.Actions()}}
	for s := 1; s < 10; s++ {
		next := states[s-1].Clone()
		next.Opinion[0] = float64(s) / 10
		states = append(states, next)
	}
	a := &llmagent.Agents{Templates: llmagent.ReleaseTemplates()}
	sys1, step1, err := a.PromptAt(sc, snaps, people, states, 10, 1, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, step5, _ := a.PromptAt(sc, snaps, people, states, 10, 5, 2, 1)
	_, step9, _ := a.PromptAt(sc, snaps, people, states, 10, 9, 2, 1)
	if step1 != step5 {
		t.Errorf("release free chat does not repeat the round-2 prompt:\n%s\n---\n%s", step1, step5)
	}
	if !strings.HasPrefix(step9, step1) || !strings.Contains(step9, "# Round 3 question") || !strings.Contains(sys1, "you talk with 6 friends") {
		t.Errorf("release final step is not the round-2 prompt plus the round-3 question:\n%s", step9)
	}
	if strings.Contains(step1, "User2's answer") {
		t.Error("the agent is among its friends on a network that is not complete")
	}
	// The default set: free chat gives the round-3 news and asks to agree or persuade.
	d := &llmagent.Agents{}
	_, chat, _ := d.PromptAt(sc, snaps, people, states, 10, 5, 2, 1)
	_, final, _ := d.PromptAt(sc, snaps, people, states, 10, 9, 2, 1)
	if !strings.Contains(chat, "# Free chat 4") || !strings.Contains(chat, sc.Rounds[2].Info) || !strings.Contains(chat, "try to persuade the others") ||
		!strings.Contains(chat, "Free chat 3: you answered") || strings.Contains(chat, "final opinion") {
		t.Errorf("default free-chat prompt:\n%s", chat)
	}
	if !strings.Contains(final, "# Round 3") || !strings.Contains(final, "made up your mind on your final opinion") {
		t.Errorf("default final prompt:\n%s", final)
	}
}

// TestReleaseFacts checks that the release's rule gives a fact to five
// agents of each 101-agent window, and to every member of a small group.
func TestReleaseFacts(t *testing.T) {
	sc := scenario.WasteSorting()
	pool := pop.MustSynthetic(sc, 165, 1)
	big := llmagent.ReleaseFacts(pool, sc, 101)
	for _, w := range []int{0, 10, 60} {
		win, _ := big.Window(w, 101)
		n := 0
		for _, p := range win {
			if p.Fact != "" {
				n++
			}
		}
		if n != 5 {
			t.Errorf("window %d: %d agents with a fact, want 5", w, n)
		}
	}
	small := llmagent.ReleaseFacts(pool[:12], sc, 4)
	for i, p := range small {
		if p.Fact != sc.Facts[i%4] {
			t.Errorf("group member %d: fact %q, want fact %d", i, p.Fact, i%4+1)
		}
	}
}

// TestNoAgentSeesItselfAsExample gives an agent the coefficients and
// round-1 answer of the dishwasher's first worked example: the default set
// leaves that example out of its prompt, the release set does not.
func TestNoAgentSeesItselfAsExample(t *testing.T) {
	sc := scenario.Dishwasher()
	people, states := goldenGroup(sc)
	e := sc.Examples[0]
	people[1] = pop.Person{A: e.Coef.A, Tau: e.Coef.Tau, F: e.Coef.F, Lambda: e.Coef.Lambda, Opinion0: 0.6, Action0: 1}
	for _, set := range []string{"default", "release"} {
		tpl, _ := llmagent.TemplatesByName(set)
		a := &llmagent.Agents{Templates: tpl}
		sys1, _, _ := a.PromptAt(sc, netw.Complete(3), people, states, 3, 1, 1, 1)
		sys0, _, _ := a.PromptAt(sc, netw.Complete(3), people, states, 3, 1, 0, 1)
		n1, n0 := strings.Count(sys1, "0.1 "), strings.Count(sys0, "0.1 ")
		shown := strings.Count(sys1, "## Participant") + strings.Count(sys1, "### Example")
		if set == "default" && (shown != 2 || strings.Count(sys0, "## Participant") != 3) {
			t.Errorf("default set: the example's own person sees %d examples (want 2), another agent %d (want 3)", shown, strings.Count(sys0, "## Participant"))
		}
		if set == "release" && (shown != 3 || sys0 != sys1) {
			t.Errorf("release set: %d examples shown to the example's person, want all 3 as the release did (%d %d)", shown, n1, n0)
		}
	}
}

// TestReleaseSetOverHTTP runs a group of three with the release set in raw
// completion mode against the test server: every prompt ends in "Answer:",
// as the release's did, and lists the friends by name.
func TestReleaseSetOverHTTP(t *testing.T) {
	srv := openaitest.New(openaitest.Options{})
	defer srv.Close()
	agents := llmagent.New(client(t, srv, llm.Config{Mode: llm.Completion, Stop: []string{"# R"}}))
	if err := llmagent.UsePrompts(agents, "release"); err != nil {
		t.Fatal(err)
	}
	if err := llmagent.UsePrompts(agents, "novel"); err == nil {
		t.Fatal("unknown prompt set accepted")
	}
	sc := scenario.FiveG()
	people, _ := goldenGroup(sc)
	if _, err := sim.Run(sim.Study{Scenario: sc, Network: netw.Complete(3), People: people, Agents: agents, Steps: 3, Quiet: true}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 6 {
		t.Fatalf("%d requests, want 3 agents x 2 steps", len(reqs))
	}
	for _, r := range reqs {
		var b struct{ Prompt string }
		json.Unmarshal(r.Body, &b)
		if !strings.HasSuffix(b.Prompt, "\nAnswer:") || !strings.Contains(b.Prompt, "David's answer is {\"Thought\": \"Not worth it for us.\"") {
			t.Fatalf("not a release prompt:\n%s", b.Prompt)
		}
	}
}

// TestReleaseSchemaKeys checks that in chat mode the release set's
// structured output asks for the keys its prompt asks for (Thought,
// Opinion, Decision), and the default set for its own.
func TestReleaseSchemaKeys(t *testing.T) {
	for _, set := range []struct{ name, want string }{{"release", `"required":["Thought","Opinion","Decision"]`}, {"default", `"required":["thought","opinion","decision"]`}} {
		srv := openaitest.New(openaitest.Options{})
		agents := llmagent.New(client(t, srv, llm.Config{}))
		if set.name == "release" {
			if err := llmagent.UsePrompts(agents, "release"); err != nil {
				t.Fatal(err)
			}
		}
		sc := scenario.FiveG()
		people, _ := goldenGroup(sc)
		if _, err := sim.Run(sim.Study{Scenario: sc, Network: netw.Complete(3), People: people, Agents: agents, Steps: 2, Quiet: true}); err != nil {
			t.Fatalf("%s set: %v", set.name, err)
		}
		for _, r := range srv.Requests() {
			if !strings.Contains(string(r.Body), set.want) {
				t.Fatalf("%s set: request without %s:\n%s", set.name, set.want, r.Body)
			}
		}
		srv.Close()
	}
}

// TestReleaseSeeds checks that the release set sends every agent of a
// replicate the same seed, replicate + 1000 x try, as the release did,
// and that the default set gives each agent its own.
func TestReleaseSeeds(t *testing.T) {
	for _, set := range []string{"release", "default"} {
		srv := openaitest.New(openaitest.Options{})
		agents := llmagent.New(client(t, srv, llm.Config{}))
		if err := llmagent.UsePrompts(agents, set); err != nil {
			t.Fatal(err)
		}
		sc := scenario.Dishwasher()
		people, _ := goldenGroup(sc)
		if _, err := sim.Run(sim.Study{Scenario: sc, Network: netw.Complete(3), People: people, Agents: agents, Steps: 2, Replicates: 2, Quiet: true}); err != nil {
			t.Fatal(err)
		}
		seeds := map[int64]int{}
		for _, r := range srv.Requests() {
			var b struct{ Seed int64 }
			json.Unmarshal(r.Body, &b)
			seeds[b.Seed]++
		}
		srv.Close()
		if set == "release" && (len(seeds) != 2 || seeds[0] != 3 || seeds[1] != 3) {
			t.Errorf("release seeds %v, want 0 and 1, three agents each", seeds)
		}
		if set == "default" && len(seeds) != 6 {
			t.Errorf("default seeds %v, want 6 different", seeds)
		}
	}
}
