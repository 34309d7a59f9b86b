package history

import (
	"fmt"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
)

// Pool joins runs of different agents that share their steps and
// replicates (the study's small groups) into one run of all their agents:
// people and states are concatenated, static networks become one graph
// with each run's network as a separate component, and usage records are
// renumbered. Metrics, comparisons and calibration then treat the groups
// as one population.
func Pool(name string, runs ...*Run) (*Run, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("pool: no runs")
	}
	reps, steps := len(runs[0].Replicates), runs[0].Steps()
	out := &Run{Manifest: runs[0].Manifest}
	out.Manifest.Name = name
	out.Manifest.Labels = map[string]string{"pooled_runs": fmt.Sprint(len(runs))}
	out.Manifest.Committed = nil
	var graphs []*netw.Graph // every run's static network, or fewer when one is dynamic or missing
	for k, r := range runs {
		if len(r.Replicates) != reps || r.Steps() != steps {
			return nil, fmt.Errorf("pool: run %d (%s) has %d replicates of %d steps, run 0 has %d of %d", k, r.Manifest.Name, len(r.Replicates), r.Steps(), reps, steps)
		}
		if g, ok := r.Network.(*netw.Graph); ok {
			graphs = append(graphs, g)
		}
	}
	out.Replicates = make([]*Trajectory, reps)
	offset := 0
	for _, r := range runs {
		for i := range reps {
			src := r.Replicates[i]
			if out.Replicates[i] == nil {
				out.Replicates[i] = &Trajectory{Replicate: src.Replicate, Seed: src.Seed, States: make([]*agent.State, steps)}
				for t := range steps {
					out.Replicates[i].States[t] = &agent.State{}
				}
			}
			dst := out.Replicates[i]
			for t, st := range src.States {
				d := dst.States[t]
				if st.Thought != nil && d.Thought == nil {
					d.Thought = make([]string, len(d.Opinion))
				}
				d.Opinion = append(d.Opinion, st.Opinion...)
				d.Action = append(d.Action, st.Action...)
				if d.Thought != nil {
					if st.Thought != nil {
						d.Thought = append(d.Thought, st.Thought...)
					} else {
						d.Thought = append(d.Thought, make([]string, len(st.Opinion))...)
					}
				}
			}
			for _, u := range src.Usage {
				u.Agent += offset
				dst.Usage = append(dst.Usage, u)
			}
		}
		out.People = append(out.People, r.People...)
		for _, c := range r.Manifest.Committed {
			c.Agent += offset
			out.Manifest.Committed = append(out.Manifest.Committed, c)
		}
		offset += len(r.People)
	}
	out.Manifest.Agents = offset
	if len(graphs) == len(runs) {
		g, err := netw.DisjointUnion(graphs...)
		if err != nil {
			return nil, err
		}
		out.Network = g
		out.Manifest.Network = NetworkInfo{Description: g.String() + " (disjoint union of the pooled runs' networks)", Nodes: g.N(), Edges: g.Edges()}
	}
	return out, nil
}
