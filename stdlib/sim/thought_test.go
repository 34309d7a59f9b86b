package sim

import (
	"testing"

	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// TestTheoryAgentsHaveNoLaterThoughts checks that a theory run keeps the
// people's reasons at step 0 only: a theory agent has no thought at later
// steps, least of all its round-1 reason after its decision flipped.
func TestTheoryAgentsHaveNoLaterThoughts(t *testing.T) {
	sc := scenario.Dishwasher()
	people := pop.MustSynthetic(sc, 20, 1)
	for i := range people {
		people[i].Reason = "round-1 reason"
	}
	run, err := Run(Study{Scenario: sc, Network: netw.Complete(20), People: people, Agents: theory.SAM{}, Steps: 3, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	states := run.Replicates[0].States
	if states[0].Thought == nil || states[0].Thought[3] != "round-1 reason" {
		t.Fatal("step 0 lost the people's reasons")
	}
	for step, s := range states[1:] {
		if s.Thought != nil {
			t.Fatalf("step %d carries thoughts %q the theory agents never had", step+1, s.Thought[:3])
		}
	}
}
