package history

import (
	"fmt"
	"strings"
)

// String summarises a run in a few lines (what the REPL and notebooks show
// for a run): name, model, scenario, network, size, and final adoption and
// mean opinion (mean over replicates).
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
		fmt.Fprintf(&b, "\n  final adoption %.3f, mean opinion %.3f (mean over replicates)",
			FinalMean(Adoption)(r), FinalMean(MeanOpinion)(r))
	}
	return b.String()
}

// String summarises a sweep: its axes and grid size.
func (s *Sweep) String() string {
	if s == nil {
		return "history.Sweep(nil)"
	}
	return fmt.Sprintf("history.Sweep: %s x %s, %d x %d runs (%s %s, %s %s)", s.XName, s.YName,
		len(s.Xs), len(s.Ys), s.XName, span(s.Xs), s.YName, span(s.Ys))
}

func span(xs []float64) string {
	if len(xs) == 0 {
		return "none"
	}
	return fmt.Sprintf("%g..%g", xs[0], xs[len(xs)-1])
}
