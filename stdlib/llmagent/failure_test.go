package llmagent_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

func smallStudy(agents *llmagent.Agents, n, steps, reps int) sim.Study {
	g, _ := netw.BarabasiAlbert(n, 3, 1)
	return sim.Study{Name: "s", Scenario: scenario.FiveG(), Network: g, People: pop.MustSynthetic(scenario.FiveG(), n, 1),
		Agents: agents, Steps: steps, Replicates: reps, Seed: 3, Quiet: true}
}

// TestWrongKeyStopsTheRun: a 401 stops the run with the endpoint, the
// status and the server's message, and no agent falls back.
func TestWrongKeyStopsTheRun(t *testing.T) {
	srv := openaitest.New(openaitest.Options{APIKey: "sk-right"})
	defer srv.Close()
	agents := llmagent.New(client(t, srv, llm.Config{APIKey: "sk-wrong"}))
	run, err := sim.Run(smallStudy(agents, 20, 3, 2))
	if err == nil || !strings.Contains(err.Error(), srv.URL+"/v1/models") || !strings.Contains(err.Error(), "401") ||
		!strings.Contains(err.Error(), "Incorrect API key provided") {
		t.Fatalf("error %v, want the endpoint, 401 and the server's message", err)
	}
	if c := agents.Counts(); c.Fallbacks != 0 || c.Invalid != 0 {
		t.Fatalf("counts %+v: a request without an answer must not count as invalid or fall back", c)
	}
	dir := t.TempDir()
	if err := run.Save(dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "errors.jsonl"))
	if !strings.Contains(string(b), `"status":401`) || strings.Contains(string(b), "sk-wrong") || strings.Count(string(b), "\n") > 2 {
		t.Fatalf("errors.jsonl:\n%s", b)
	}
}

// TestFallbackBudget answers garbage: a run of more than 100 agent-steps
// stops during the run; a shorter one finishes, and Check and Finish
// refuse it; a negative budget lets it through.
func TestFallbackBudget(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Rules: []openaitest.Rule{{Fault: openaitest.Garbage, Rate: 1, Times: 1 << 30}}})
	defer srv.Close()
	long := llmagent.New(client(t, srv, llm.Config{}))
	_, err := sim.Run(smallStudy(long, 60, 4, 1))
	if !errors.Is(err, llmagent.ErrFallbackBudget) || !strings.Contains(err.Error(), "I am not sure what to answer") {
		t.Fatalf("error %v, want the fallback budget with raw answers", err)
	}
	if c := long.Counts(); c.AgentSteps != 120 || c.Fallbacks != 120 || c.Invalid != 360 {
		t.Fatalf("stopped after %+v, want the check once 100 agent-steps were answered (after step 2)", c)
	}

	short := llmagent.New(client(t, srv, llm.Config{}))
	if _, err := sim.Run(smallStudy(short, 20, 3, 1)); err != nil {
		t.Fatalf("a run of 40 agent-steps stopped during the run: %v", err)
	}
	summary, err := llmagent.Finish(short)
	if !errors.Is(err, llmagent.ErrFallbackBudget) || !errors.Is(llmagent.Check(short), llmagent.ErrFallbackBudget) {
		t.Fatalf("Finish and Check must refuse the run: %v", err)
	}
	for _, want := range []string{"120 invalid", "40 fallbacks of 40 agent-steps", "120 requests"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}

	free := llmagent.New(client(t, srv, llm.Config{FallbackBudget: -1}))
	if _, err := sim.Run(smallStudy(free, 60, 3, 1)); err != nil || llmagent.Check(free) != nil {
		t.Fatalf("no budget: %v", err)
	}
}

// TestRepeatedServerErrorIsInvalid answers every request 500 twice: each
// try ends as an invalid answer after two requests, and the next try uses a
// new seed.
func TestRepeatedServerErrorIsInvalid(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Rules: []openaitest.Rule{{Fault: openaitest.ServerError, Rate: 1, Times: 2}}})
	defer srv.Close()
	agents := llmagent.New(client(t, srv, llm.Config{FallbackBudget: -1}))
	run, err := sim.Run(smallStudy(agents, 5, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range run.Replicates[0].Usage {
		if u.Tries != 3 || u.Invalid != 3 || !u.Fallback || u.Retries != 3 || len(u.Errors) != 6 {
			t.Fatalf("usage %+v", u)
		}
		for _, e := range u.Errors {
			if e.Kind != "invalid: server-error" && e.Kind != llm.KindServer || e.Status != 500 || e.Message != "the model crashed" {
				t.Fatalf("record %+v", e)
			}
		}
	}
	seeds := map[int64]int{}
	for _, r := range srv.Requests() {
		var b struct{ Seed int64 }
		json.Unmarshal(r.Body, &b)
		seeds[b.Seed]++
	}
	if srv.Count() != 5*3*2 || len(seeds) != 5*3 {
		t.Fatalf("%d requests with %d seeds, want 30 requests, each seed twice", srv.Count(), len(seeds))
	}
}

// TestSeedsDoNotRepeat runs the small-groups protocol (40 groups sharing a
// seed): every prompt gets its own seed, and -llm-seed shifts them all.
func TestSeedsDoNotRepeat(t *testing.T) {
	seedsOf := func(shift int64) (map[int64]bool, int) {
		srv := openaitest.New(openaitest.Options{})
		defer srv.Close()
		agents := llmagent.New(client(t, srv, llm.Config{Seed: shift}))
		runs, err := protocol.SmallGroups{Scenario: scenario.WasteSorting(), Agents: agents, Replicates: 2, Seed: 1, Quiet: true}.Run()
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			ModelParams struct {
				RequestSeeds string `json:"request_seeds"`
				LLM          struct{ Seed int64 }
			} `json:"model_params"`
		}
		b, _ := json.Marshal(runs[0].Manifest)
		json.Unmarshal(b, &m)
		if !strings.Contains(m.ModelParams.RequestSeeds, "labels") || m.ModelParams.LLM.Seed != shift {
			t.Fatalf("the manifest does not say how seeds were made: %s", b)
		}
		seeds := map[int64]bool{}
		for _, r := range srv.Requests() {
			var b struct{ Seed int64 }
			json.Unmarshal(r.Body, &b)
			seeds[b.Seed] = true
		}
		return seeds, srv.Count()
	}
	plain, n := seedsOf(0)
	if len(plain) != n {
		t.Fatalf("%d requests used %d seeds", n, len(plain))
	}
	shifted, _ := seedsOf(7)
	for s := range shifted {
		if plain[s] {
			t.Fatalf("-llm-seed 7 kept seed %d", s)
		}
	}
}

// TestErrorsFileAccountsForFaults saves a run made against the fault mix:
// errors.jsonl has one line per record, and the records match the totals.
func TestErrorsFileAccountsForFaults(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Rules: []openaitest.Rule{
		{Fault: openaitest.TooMany, Rate: 0.05}, {Fault: openaitest.ServerError, Rate: 0.05},
		{Fault: openaitest.Drop, Rate: 0.02}, {Fault: openaitest.Garbage, Rate: 0.05, Times: 1 << 30},
	}})
	defer srv.Close()
	agents := llmagent.New(client(t, srv, llm.Config{}))
	run, err := sim.Run(smallStudy(agents, 40, 3, 3))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := run.Save(dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "errors.jsonl"))
	kinds := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var e struct{ Kind string }
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		kinds[e.Kind]++
	}
	inj := srv.Injected()
	_, tot := run.UsageTotals()
	if kinds[llm.KindRateLimited] != inj[openaitest.TooMany] || kinds[llm.KindServer] != inj[openaitest.ServerError] ||
		kinds[llm.KindDropped] != inj[openaitest.Drop] || kinds["invalid"] != inj[openaitest.Garbage] ||
		tot.Invalid != kinds["invalid"] || tot.Retries != inj[openaitest.TooMany]+inj[openaitest.ServerError]+inj[openaitest.Drop] {
		t.Fatalf("errors.jsonl %v, totals %+v, injected %v", kinds, tot, inj)
	}
	var _ = history.Totals{}
}
