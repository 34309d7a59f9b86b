package netw

import "fmt"

// Network is what the engine asks for at each step: the graph in force at that
// step. A *Graph is a static Network; Snapshots is a dynamic one.
type Network interface {
	// At returns the graph used to compute step t (t >= 0).
	At(t int) *Graph
	// N returns the number of nodes, the same at every step.
	N() int
}

// Snapshots is a dynamic network given as one graph per step, as the
// release's 3-D .npy files are read: slice t is used at step t, and steps past
// the last slice keep the last one.
type Snapshots []*Graph

// At returns the snapshot of step t, or the last one when t is past the end.
func (s Snapshots) At(t int) *Graph {
	if t >= len(s) {
		t = len(s) - 1
	}
	if t < 0 {
		t = 0
	}
	return s[t]
}

// N returns the node count of the snapshots.
func (s Snapshots) N() int {
	if len(s) == 0 {
		return 0
	}
	return s[0].N()
}

// Validate checks that there is at least one snapshot and that all share the
// node count and directedness.
func (s Snapshots) Validate() error {
	if len(s) == 0 {
		return fmt.Errorf("dynamic network has no snapshots")
	}
	for t, g := range s {
		if g.N() != s[0].N() || g.Directed() != s[0].Directed() {
			return fmt.Errorf("snapshot %d is a %v, but snapshot 0 is a %v", t, g, s[0])
		}
	}
	return nil
}

// Rewire returns a dynamic network of steps snapshots: snapshot 0 is base, and
// each later snapshot moves swaps randomly chosen edges of the previous one to
// new places, keeping the edge count, as the release's BA_dynamic.npy does
// (about 10 of 225 edges per step). A moved edge (u, v) keeps one endpoint u
// and is reattached to a uniformly chosen w that is neither u nor already
// linked to u. Only undirected, unweighted graphs are rewired.
func Rewire(base *Graph, swaps, steps int, seed uint64) (Snapshots, error) {
	switch {
	case base.Directed() || base.Weighted():
		return nil, fmt.Errorf("Rewire: want an undirected unweighted graph, got a %v", base)
	case swaps < 0 || swaps > base.Edges():
		return nil, fmt.Errorf("Rewire: swaps = %d, want 0 <= swaps <= %d edges", swaps, base.Edges())
	case steps < 1:
		return nil, fmt.Errorf("Rewire: steps = %d, want at least 1", steps)
	}
	r := newRand(seed)
	n := base.N()
	edges := make([][2]int32, 0, base.Edges())
	present := make(map[uint64]struct{}, base.Edges())
	key := func(u, v int32) uint64 {
		if u > v {
			u, v = v, u
		}
		return uint64(u)<<32 | uint64(v)
	}
	for _, e := range base.EdgeList() {
		edges = append(edges, [2]int32{int32(e.U), int32(e.V)})
		present[key(int32(e.U), int32(e.V))] = struct{}{}
	}
	deg := make([]int, n)
	for i := range n {
		deg[i] = base.Degree(i)
	}
	out := Snapshots{base}
	for t := 1; t < steps; t++ {
		for range swaps {
			k := r.IntN(len(edges))
			u, v := edges[k][0], edges[k][1]
			if r.IntN(2) == 1 {
				u, v = v, u
			}
			if deg[u] >= n-1 {
				continue // u already links to everyone
			}
			w := int32(r.IntN(n))
			for _, dup := present[key(u, w)]; w == u || dup; _, dup = present[key(u, w)] {
				w = int32(r.IntN(n))
			}
			delete(present, key(u, v))
			present[key(u, w)] = struct{}{}
			deg[v]--
			deg[w]++
			edges[k] = [2]int32{u, w}
		}
		b := NewBuilder(n, false, false)
		for _, e := range edges {
			b.us = append(b.us, e[0])
			b.vs = append(b.vs, e[1])
		}
		out = append(out, b.Build())
	}
	return out, nil
}
