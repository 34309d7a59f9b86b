package llmagent_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/llmsam/llmsam/internal/openaitest"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/protocol"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

// faultMix is every fault the server can inject.
var faultMix = []openaitest.Rule{
	{Fault: openaitest.TooMany, Rate: 0.05}, {Fault: openaitest.ServerError, Rate: 0.05},
	{Fault: openaitest.Hang, Rate: 0.01}, {Fault: openaitest.Drop, Rate: 0.02},
	{Fault: openaitest.Prose, Rate: 0.1, Times: 1 << 30}, {Fault: openaitest.Truncated, Rate: 0.06, Times: 1 << 30},
	{Fault: openaitest.OutOfRange, Rate: 0.06, Times: 1 << 30}, {Fault: openaitest.WrongKeys, Rate: 0.06, Times: 1 << 30},
}

func client(t *testing.T, srv *openaitest.Server, cfg llm.Config) *llm.Client {
	t.Helper()
	cfg.Model, cfg.BaseURL, cfg.Quiet = "test-model", srv.BaseURL(), true
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second // Hang faults last until the client gives up
	}
	cfg.RetryBase = 5 * time.Millisecond
	c, err := llm.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// checkRuns verifies that every agent-step got an answer or a counted
// fallback, that a fallback kept the previous answer, that the report's
// counts and the error records match what the server injected, and that
// every answer is in range. Hangs end in the client's timeout, which a
// busy machine may also hit on an ordinary request: such an extra timeout
// replaces the fault or answer the server meant, so each kind is checked
// to within the extra timeouts (exactly, when there are none).
func checkRuns(t *testing.T, srv *openaitest.Server, runs []*history.Run) {
	t.Helper()
	var total history.Totals
	kinds := map[string]int{}
	for _, run := range runs {
		_, all := run.UsageTotals()
		total.Tries += all.Tries
		total.Invalid += all.Invalid
		total.Fallbacks += all.Fallbacks
		total.Retries += all.Retries
		total.Requests += all.Requests
		total.AgentSteps += all.AgentSteps
		for _, tr := range run.Replicates {
			n := len(tr.States[0].Opinion)
			if len(tr.Usage) != n*(len(tr.States)-1) {
				t.Fatalf("%s: %d usage rows for %d agents x %d steps: an answer was lost", run.Manifest.Name, len(tr.Usage), n, len(tr.States)-1)
			}
			for _, u := range tr.Usage {
				prev, cur := tr.States[u.Step-1], tr.States[u.Step]
				if u.Fallback != (u.Invalid == u.Tries) {
					t.Fatalf("usage %+v: fallback must mean every try was invalid", u)
				}
				if u.Fallback && (cur.Opinion[u.Agent] != prev.Opinion[u.Agent] || cur.Action[u.Agent] != prev.Action[u.Agent]) {
					t.Fatalf("agent %d step %d fell back but changed its answer", u.Agent, u.Step)
				}
				if o := cur.Opinion[u.Agent] * 10; o < 0 || o > 10 || o != float64(int(o+0.5)) {
					t.Fatalf("agent %d step %d: opinion %g is not an answer 0-10", u.Agent, u.Step, o)
				}
				for _, e := range u.Errors {
					kinds[e.Kind]++
					if e.Kind == "invalid" && e.Raw == "" {
						t.Fatalf("invalid answer without its text: %+v", e)
					}
				}
			}
		}
	}
	inj := srv.Injected()
	invalid := inj[openaitest.Truncated] + inj[openaitest.OutOfRange] + inj[openaitest.WrongKeys]
	retried := kinds[llm.KindRateLimited] + kinds[llm.KindServer] + kinds[llm.KindDropped] + kinds[llm.KindTimeout]
	extra := kinds[llm.KindTimeout] - inj[openaitest.Hang]
	within := func(got, want int) bool { return got <= want && got >= want-extra }
	if extra < 0 || !within(kinds[llm.KindRateLimited], inj[openaitest.TooMany]) || !within(kinds[llm.KindServer], inj[openaitest.ServerError]) ||
		!within(kinds[llm.KindDropped], inj[openaitest.Drop]) || !within(kinds["invalid"], invalid) {
		t.Fatalf("error records %v; server injected %v", kinds, inj)
	}
	if total.Invalid != kinds["invalid"] || total.Retries != retried || total.Requests != srv.Count() {
		t.Fatalf("report: %d invalid, %d retries, %d requests; records %v; server: %d requests", total.Invalid, total.Retries, total.Requests, kinds, srv.Count())
	}
	if invalid == 0 || retried == 0 || inj[openaitest.Prose] == 0 {
		t.Fatalf("the fault mix was not exercised: %v", inj)
	}
	t.Logf("%d agent-steps, %d requests, %d retries, %d invalid, %d fallbacks", total.AgentSteps, total.Requests, total.Retries, total.Invalid, total.Fallbacks)
}

func TestSmallGroupsProtocol(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Rules: faultMix})
	defer srv.Close()
	agents := llmagent.New(client(t, srv, llm.Config{}))
	runs, err := protocol.SmallGroups{Scenario: scenario.WasteSorting(), Agents: agents, Replicates: 2, Seed: 1, Quiet: true}.Run()
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 40 {
		t.Fatalf("%d groups, want 40", len(runs))
	}
	checkRuns(t, srv, runs)
}

func TestLargeNetworkProtocol(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Rules: faultMix, Capacity: 64})
	defer srv.Close()
	agents := llmagent.New(client(t, srv, llm.Config{Mode: llm.Completion, Stop: []string{"\n#"}}))
	res, err := protocol.Large{Agents: agents, Windows: []int{30}, Topologies: protocol.StudyTopologies()[:1], Replicates: 3, Seed: 2, Quiet: true}.Run()
	if err != nil {
		t.Fatal(err)
	}
	checkRuns(t, srv, res.Runs["BA"])
	// The hub's prompt lists every one of its friends: the agent's degree,
	// not the group size.
	hub := res.Graphs["BA"].Degree(0)
	found := false
	for _, r := range srv.Requests() {
		if strings.Contains(string(r.Body), "Your "+itoa(hub)+" friends' latest answers") {
			found = true
			break
		}
	}
	if !found {
		t.Fatalf("no prompt lists the hub's %d friends", hub)
	}
}

func TestDynamicProtocolFreeChat(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Rules: faultMix})
	defer srv.Close()
	agents := llmagent.New(client(t, srv, llm.Config{}))
	runs, err := protocol.Dynamic{Agents: agents, Windows: []int{0}, Replicates: 2, Seed: 3, Quiet: true}.Run()
	if err != nil {
		t.Fatal(err)
	}
	checkRuns(t, srv, runs)
	if runs[0].Steps() != 10 || runs[0].Manifest.Network.Snapshots != 10 {
		t.Fatalf("%d steps, %d snapshots", runs[0].Steps(), runs[0].Manifest.Network.Snapshots)
	}
	var freeChat, round3, memory int
	for _, r := range srv.Requests() {
		b := string(r.Body)
		if strings.Contains(b, "# Free chat") && strings.Contains(b, "try to persuade the others") && strings.Contains(b, scenario.Dishwasher().Rounds[2].Info) {
			freeChat++
		}
		if strings.Contains(b, "# Round 3\\n") && strings.Contains(b, scenario.Dishwasher().Rounds[2].Info) && strings.Contains(b, "made up your mind") {
			round3++
		}
		if strings.Contains(b, "Free chat 7: you answered") {
			memory++
		}
	}
	if freeChat == 0 || round3 == 0 || memory == 0 {
		t.Fatalf("free-chat prompts %d, final-round prompts %d, prompts with 9 rounds of memory %d", freeChat, round3, memory)
	}
}

// TestRerunAndReplayAreIdentical runs a study with a cache, reruns it (no
// request may reach the server) and replays it with the server stopped; all
// three run directories must be byte-identical except report.json and
// errors.jsonl, which describe the session (retries happen only when a
// server is asked),
// describes the session.
func TestRerunAndReplayAreIdentical(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache.db")
	srv := openaitest.New(openaitest.Options{Rules: faultMix, APIKey: "sk-test-key-42"})
	g, _ := netw.BarabasiAlbert(30, 3, 1)
	people := pop.MustSynthetic(scenario.FiveG(), 30, 1)
	study := func(c *llm.Client) sim.Study {
		return sim.Study{Name: "llm", Scenario: scenario.FiveG(), Network: g, People: people,
			Agents: llmagent.New(c), Steps: 3, Replicates: 3, Seed: 9, Quiet: true}
	}
	save := func(name string, cfg llm.Config) map[string][]byte {
		c := client(t, srv, cfg)
		run, err := sim.Run(study(c))
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		out := filepath.Join(dir, name)
		if err := run.Save(out); err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if !d.IsDir() {
				b, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(out, p)
				files[rel] = b
			}
			return nil
		})
		return files
	}
	first := save("first", llm.Config{CachePath: cache, APIKey: "sk-test-key-42"})
	sent := srv.Count()
	rerun := save("rerun", llm.Config{CachePath: cache, APIKey: "sk-test-key-42"})
	if srv.Count() != sent {
		t.Fatalf("the rerun sent %d requests", srv.Count()-sent)
	}
	srv.Close()
	replay := save("replay", llm.Config{CachePath: cache, Replay: true})
	for _, other := range []map[string][]byte{rerun, replay} {
		for name, b := range first {
			if name != "report.json" && name != "errors.jsonl" && !bytes.Equal(b, other[name]) {
				t.Fatalf("%s differs between the first run and a rerun from the cache", name)
			}
		}
	}
	var report struct{ Total history.Totals }
	json.Unmarshal(replay["report.json"], &report)
	if report.Total.Requests != 0 || report.Total.Cached == 0 {
		t.Fatalf("replay report %+v: want every answer from the cache", report.Total)
	}
	// The key is nowhere on disk.
	for _, files := range []map[string][]byte{first, rerun, replay} {
		for name, b := range files {
			if bytes.Contains(b, []byte("sk-test-key-42")) {
				t.Fatalf("%s contains the API key", name)
			}
		}
	}
	raw, _ := os.ReadFile(cache)
	if bytes.Contains(raw, []byte("sk-test-key-42")) || bytes.Contains(raw, []byte("Authorization")) {
		t.Fatal("the cache contains the API key or an Authorization header")
	}
}

// TestBudgetStopsCleanly spends a small token budget: the run stops with
// ErrBudget and keeps the steps it finished.
func TestBudgetStopsCleanly(t *testing.T) {
	srv := openaitest.New(openaitest.Options{})
	defer srv.Close()
	g, _ := netw.BarabasiAlbert(30, 3, 1)
	run, err := sim.Run(sim.Study{Scenario: scenario.FiveG(), Network: g, People: pop.MustSynthetic(scenario.FiveG(), 30, 1),
		Agents: llmagent.New(client(t, srv, llm.Config{BudgetTokens: 30 * 2500, Concurrency: 4})), Steps: 4, Quiet: true})
	if err == nil || !strings.Contains(err.Error(), "budget") {
		t.Fatalf("error %v, want the budget", err)
	}
	if run == nil || len(run.Replicates) != 1 || len(run.Replicates[0].States) < 2 {
		t.Fatal("the steps finished before the budget ran out were lost")
	}
	if err := run.Save(t.TempDir()); err != nil {
		t.Fatal(err)
	}
}

// TestPromptsArePrefixStable checks that every agent's prompt of a step
// starts with the same shared text and then differs, that memory and
// private facts are in the agent's part, and that the examples drawn from
// the study's people never show an agent its own answer as another's.
func TestPromptsArePrefixStable(t *testing.T) {
	srv := openaitest.New(openaitest.Options{})
	defer srv.Close()
	agents := llmagent.New(client(t, srv, llm.Config{Mode: llm.Completion}))
	agents.Examples = 2
	people := pop.MustSynthetic(scenario.Dishwasher(), 4, 1)
	for i := range people {
		people[i].Reason = "reason of person " + itoa(i)
	}
	if _, err := sim.Run(sim.Study{Scenario: scenario.Dishwasher(), Network: netw.Complete(4), People: people, Agents: agents, Steps: 3, Quiet: true}); err != nil {
		t.Fatal(err)
	}
	var prompts []string
	for _, r := range srv.Requests() {
		var b struct{ Prompt string }
		json.Unmarshal(r.Body, &b)
		prompts = append(prompts, b.Prompt)
	}
	common := prompts[0][:strings.Index(prompts[0], "# Real participants")]
	for _, p := range prompts {
		if !strings.HasPrefix(p, common) {
			t.Fatal("prompts do not share their first part")
		}
		shared, rest, _ := strings.Cut(p, "# Who you are")
		if !strings.Contains(rest, "Something you know:") || !strings.Contains(rest, "# Round 1") {
			t.Fatalf("agent part lacks its fact or its round-1 answer:\n%s", rest)
		}
		if strings.Count(shared, "reason of person") != 2 {
			t.Fatalf("shared part lacks the 2 drawn examples:\n%s", shared)
		}
		_, own, _ := strings.Cut(rest, "Before any news you answered:\n{\"thought\": ")
		own, _, _ = strings.Cut(own, ",")
		if own == "" || strings.Contains(shared, "("+own+")") {
			t.Fatalf("an agent sees its own answer %s as another person's example", own)
		}
		if strings.Contains(rest, "# Round 3") && !strings.Contains(rest, "Round 2: you answered") {
			t.Fatalf("round-3 prompt lacks the agent's round-2 answer:\n%s", rest)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestCustomTemplates replaces the round template from a script's point of
// view: the prompts sent carry the replacement.
func TestCustomTemplates(t *testing.T) {
	srv := openaitest.New(openaitest.Options{})
	defer srv.Close()
	agents := llmagent.New(client(t, srv, llm.Config{}))
	agents.Templates = llmagent.DefaultTemplates()
	agents.Templates.Round = template.Must(template.New("r").Parse("ROUND-MARKER {{.Step}} with {{.Degree}} friends. {{.Scenario.Ask}}"))
	if _, err := sim.Run(sim.Study{Scenario: scenario.Dishwasher(), Network: netw.Complete(3), People: pop.MustSynthetic(scenario.Dishwasher(), 3, 1),
		Agents: agents, Steps: 2, Quiet: true}); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if !strings.Contains(string(r.Body), "ROUND-MARKER 1 with 2 friends. Will you buy this dishwasher?") {
			t.Fatalf("the custom template was not used:\n%s", r.Body)
		}
	}
	bad := llmagent.New(agents.Client)
	bad.Templates = &llmagent.Templates{}
	if err := bad.Validate(3); err == nil {
		t.Fatal("empty templates accepted")
	}
}
