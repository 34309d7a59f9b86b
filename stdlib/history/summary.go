package history

import (
	"fmt"
	"strings"
)

// String summarises a run in a few lines (what the REPL and notebooks show
// for a run): name, model, scenario, network, size, and final adoption and
// mean opinion (mean over replicates), the opinion on the answer scale 0-10
// as figures show it (the data holds opinion/10).
func (r *Run) String() string {
	if r == nil {
		return "history.Run(nil)"
	}
	m := r.Manifest
	var b strings.Builder
	fmt.Fprintf(&b, "history.Run %q: model %s", m.Name, m.Model)
	if m.Scenario != "" {
		fmt.Fprintf(&b, ", scenario %s", m.Scenario)
	}
	fmt.Fprintf(&b, "\n  %d agents, %d steps, %d replicates (seed %d)", len(r.People), r.Steps(), len(r.Replicates), m.Seed)
	if d := m.Network.Description; d != "" {
		if !strings.Contains(d, "nodes") {
			d += fmt.Sprintf(" (%d nodes, %d edges)", m.Network.Nodes, m.Network.Edges)
		}
		fmt.Fprintf(&b, "\n  network: %s", d)
	}
	if r.Steps() > 0 && len(r.Replicates) > 0 {
		adoption, _ := r.Band(Adoption)
		opinion, _ := r.Band(MeanOpinion)
		fmt.Fprintf(&b, "\n  final adoption %.3f, mean opinion %.2f / 10 (mean over replicates)",
			adoption[len(adoption)-1], 10*opinion[len(opinion)-1])
	}
	return b.String()
}
