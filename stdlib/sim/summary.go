package sim

import (
	"fmt"
	"strings"
)

// String summarises a study (what the REPL and notebooks show): name,
// model, scenario, network, size, steps, replicates and seed; unset fields
// are shown as their defaults will be.
func (s Study) String() string {
	var b strings.Builder
	name := s.Name
	if name == "" {
		name = "run"
	}
	fmt.Fprintf(&b, "sim.Study %q: ", name)
	if s.Agents != nil {
		fmt.Fprintf(&b, "model %T", s.Agents)
	} else {
		b.WriteString("no model")
	}
	if s.Scenario != nil {
		fmt.Fprintf(&b, ", scenario %s", s.Scenario.Name)
	}
	if s.Network != nil {
		fmt.Fprintf(&b, ", network %v", s.Network)
	}
	steps, reps := s.Steps, s.Replicates
	if steps == 0 {
		steps = 3
	}
	if reps == 0 {
		reps = 1
	}
	fmt.Fprintf(&b, ", %d people, %d steps, %d replicates, seed %d", len(s.People), steps, reps, s.Seed)
	return b.String()
}
