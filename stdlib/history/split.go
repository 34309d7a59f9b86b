package history

import (
	"fmt"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
)

// Split undoes Pool: it returns one run per connected component of the
// run's static network (the pooled small groups), each with its people,
// network and states, named "<name>/part<k>", in the order of each
// component's first agent. A run on a connected or dynamic network is
// returned alone.
func (r *Run) Split() ([]*Run, error) {
	g, ok := r.Network.(*netw.Graph)
	if !ok {
		return []*Run{r}, nil
	}
	label, count := netw.Components(g)
	if count <= 1 {
		return []*Run{r}, nil
	}
	// Number the components by their first agent and map agents to local ids.
	order := make([]int, count)
	for i := range order {
		order[i] = -1
	}
	next := 0
	members := make([][]int, count)
	for i, c := range label {
		if order[c] < 0 {
			order[c] = next
			next++
		}
		members[order[c]] = append(members[order[c]], i)
	}
	local := make([]int, len(label))
	for _, ms := range members {
		for k, i := range ms {
			local[i] = k
		}
	}
	out := make([]*Run, count)
	for k, ms := range members {
		var pairs [][2]int
		for _, i := range ms {
			for _, j := range g.Neighbors(i) {
				if int(j) > i {
					pairs = append(pairs, [2]int{local[i], local[j]})
				}
			}
		}
		sub, err := netw.FromEdges(len(ms), false, pairs...)
		if err != nil {
			return nil, fmt.Errorf("split %s part %d: %w", r.Manifest.Name, k, err)
		}
		part := &Run{Manifest: r.Manifest, Network: sub}
		part.Manifest.Name = fmt.Sprintf("%s/part%d", r.Manifest.Name, k)
		part.Manifest.Agents = len(ms)
		for _, i := range ms {
			part.People = append(part.People, r.People[i])
		}
		for _, tr := range r.Replicates {
			ptr := &Trajectory{Replicate: tr.Replicate, Seed: tr.Seed}
			for _, st := range tr.States {
				s := agent.NewState(len(ms))
				if st.Thought != nil {
					s.Thought = make([]string, len(ms))
				}
				for a, i := range ms {
					s.Opinion[a], s.Action[a] = st.Opinion[i], st.Action[i]
					if st.Thought != nil {
						s.Thought[a] = st.Thought[i]
					}
				}
				ptr.States = append(ptr.States, s)
			}
			part.Replicates = append(part.Replicates, ptr)
		}
		out[k] = part
	}
	return out, nil
}
