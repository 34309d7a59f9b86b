package llmagent_test

import (
	"testing"

	"github.com/llmsam/llmsam/internal/openaitest"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

func TestSmoke(t *testing.T) {
	srv := openaitest.New(openaitest.Options{})
	defer srv.Close()
	c, err := llm.New(llm.Config{Model: "test-model", BaseURL: srv.BaseURL(), Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	people := pop.Synthetic(scenario.Dishwasher, 5, 1)
	run, err := sim.Run(sim.Study{Scenario: scenario.Dishwasher, Network: netw.Complete(5), People: people,
		Agents: llmagent.New(c), Steps: 3, Replicates: 2, Seed: 1, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(run.Final().Opinion, run.Final().Thought)
	reqs := srv.Requests()
	t.Logf("%d requests\n%s", len(reqs), reqs[len(reqs)-1].Body)
}
