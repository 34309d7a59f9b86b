package netw

import (
	"fmt"
	"slices"
	"sort"
)

// Graph is a static network stored as compressed sparse rows: the neighbours
// of node i are Targets[Offsets[i]:Offsets[i+1]], sorted ascending, without
// duplicates, and without self-loops unless built by a Builder with
// AllowSelfLoops or by FromDenseSelfLoops (some models' matrices count an
// agent's own state among its neighbours'). An undirected graph stores each
// edge in both rows (a self-loop once).
// Weights, when non-nil, runs parallel to Targets.
//
// A Graph is immutable once built and safe for concurrent reads.
type Graph struct {
	offsets  []int64
	targets  []int32
	weights  []float64
	directed bool
}

// Edge is one edge of a graph, from U to V with weight W (1 when unweighted).
type Edge struct {
	U, V int
	W    float64
}

// N returns the number of nodes.
func (g *Graph) N() int { return len(g.offsets) - 1 }

// Directed reports whether edges have a direction.
func (g *Graph) Directed() bool { return g.directed }

// Weighted reports whether the graph carries edge weights.
func (g *Graph) Weighted() bool { return g.weights != nil }

// Edges returns the number of edges; an undirected edge counts once.
func (g *Graph) Edges() int {
	if g.directed {
		return len(g.targets)
	}
	loops := 0
	for i := range g.N() {
		if g.HasEdge(i, i) {
			loops++
		}
	}
	return (len(g.targets) + loops) / 2
}

// Degree returns the out-degree of node i (the degree when undirected).
func (g *Graph) Degree(i int) int { return int(g.offsets[i+1] - g.offsets[i]) }

// Neighbors returns the out-neighbours of node i in ascending order. The
// returned slice aliases the graph's storage and must not be modified.
func (g *Graph) Neighbors(i int) []int32 { return g.targets[g.offsets[i]:g.offsets[i+1]] }

// Weights returns the weights of node i's out-edges, parallel to Neighbors(i),
// or nil when the graph is unweighted.
func (g *Graph) Weights(i int) []float64 {
	if g.weights == nil {
		return nil
	}
	return g.weights[g.offsets[i]:g.offsets[i+1]]
}

// CSR exposes the raw arrays for compiled hot loops: offsets (length N+1),
// targets and weights (nil when unweighted). They must not be modified.
func (g *Graph) CSR() (offsets []int64, targets []int32, weights []float64) {
	return g.offsets, g.targets, g.weights
}

// HasEdge reports whether the edge i->j exists, in O(log degree).
func (g *Graph) HasEdge(i, j int) bool {
	_, ok := slices.BinarySearch(g.Neighbors(i), int32(j))
	return ok
}

// Weight returns the weight of edge i->j, 0 when absent and 1 when the graph
// is unweighted.
func (g *Graph) Weight(i, j int) float64 {
	k, ok := slices.BinarySearch(g.Neighbors(i), int32(j))
	if !ok {
		return 0
	}
	if g.weights == nil {
		return 1
	}
	return g.weights[g.offsets[i]+int64(k)]
}

// EdgeList returns every edge once (u < v for undirected graphs), in row order.
func (g *Graph) EdgeList() []Edge {
	var out []Edge
	for u := 0; u < g.N(); u++ {
		ws := g.Weights(u)
		for k, v := range g.Neighbors(u) {
			if !g.directed && int(v) < u {
				continue
			}
			w := 1.0
			if ws != nil {
				w = ws[k]
			}
			out = append(out, Edge{U: u, V: int(v), W: w})
		}
	}
	return out
}

// Dense returns the adjacency matrix as row-major n*n values (weights, or 1
// for present edges). Meant for small graphs: it allocates n^2 floats.
func (g *Graph) Dense() []float64 {
	n := g.N()
	m := make([]float64, n*n)
	for u := range n {
		ws := g.Weights(u)
		for k, v := range g.Neighbors(u) {
			w := 1.0
			if ws != nil {
				w = ws[k]
			}
			m[u*n+int(v)] = w
		}
	}
	return m
}

// String summarises the graph, e.g. "undirected graph: 101 nodes, 910 edges".
func (g *Graph) String() string {
	kind := "undirected"
	if g.directed {
		kind = "directed"
	}
	if g.weights != nil {
		kind += " weighted"
	}
	return fmt.Sprintf("%s graph: %d nodes, %d edges", kind, g.N(), g.Edges())
}

// At returns g itself: a static graph is the same at every step, so *Graph
// satisfies Network.
func (g *Graph) At(step int) *Graph { return g }

// Builder accumulates edges and builds a Graph. Duplicate edges are merged
// (their weights summed when weighted, otherwise kept once) and self-loops
// are rejected unless AllowSelfLoops was called.
type Builder struct {
	n        int
	directed bool
	weighted bool
	loops    bool
	us, vs   []int32
	ws       []float64
}

// NewBuilder returns a builder for a graph on n nodes.
func NewBuilder(n int, directed, weighted bool) *Builder {
	return &Builder{n: n, directed: directed, weighted: weighted}
}

// AllowSelfLoops makes the builder accept edges u->u, stored once in row u.
// Models that average over neighbours then count the node's own state.
func (b *Builder) AllowSelfLoops() *Builder {
	b.loops = true
	return b
}

// Add adds the edge u->v (and v->u when undirected) with weight w, which is
// ignored for unweighted builders.
func (b *Builder) Add(u, v int, w float64) error {
	if u < 0 || u >= b.n || v < 0 || v >= b.n {
		return fmt.Errorf("edge (%d,%d): node out of range [0,%d)", u, v, b.n)
	}
	if u == v && !b.loops {
		return fmt.Errorf("edge (%d,%d): self-loops are not allowed", u, v)
	}
	b.us = append(b.us, int32(u))
	b.vs = append(b.vs, int32(v))
	if b.weighted {
		b.ws = append(b.ws, w)
	}
	return nil
}

// Build returns the graph. It costs O(n + m log d) for m edges of maximum
// degree d.
func (b *Builder) Build() *Graph {
	n := b.n
	m := len(b.us)
	if !b.directed {
		m *= 2
	}
	offsets := make([]int64, n+1)
	count := func(u int32) { offsets[u+1]++ }
	for k := range b.us {
		count(b.us[k])
		if !b.directed && b.us[k] != b.vs[k] {
			count(b.vs[k])
		} else if !b.directed {
			m--
		}
	}
	for i := range n {
		offsets[i+1] += offsets[i]
	}
	targets := make([]int32, m)
	var weights []float64
	if b.weighted {
		weights = make([]float64, m)
	}
	next := make([]int64, n)
	copy(next, offsets[:n])
	put := func(u, v int32, w float64) {
		p := next[u]
		next[u]++
		targets[p] = v
		if weights != nil {
			weights[p] = w
		}
	}
	for k := range b.us {
		w := 0.0
		if b.weighted {
			w = b.ws[k]
		}
		put(b.us[k], b.vs[k], w)
		if !b.directed && b.us[k] != b.vs[k] {
			put(b.vs[k], b.us[k], w)
		}
	}
	g := &Graph{offsets: offsets, targets: targets, weights: weights, directed: b.directed}
	g.sortAndDedup()
	return g
}

// sortAndDedup sorts each row and merges duplicates, compacting in place.
func (g *Graph) sortAndDedup() {
	n := g.N()
	var w int64
	start := g.offsets[0]
	for i := range n {
		end := g.offsets[i+1]
		row := rowSorter{t: g.targets[start:end]}
		if g.weights != nil {
			row.w = g.weights[start:end]
		}
		if !sort.IsSorted(row) {
			sort.Sort(row)
		}
		g.offsets[i] = w
		for k := start; k < end; k++ {
			if k > start && g.targets[k] == g.targets[k-1] {
				if g.weights != nil {
					g.weights[w-1] += g.weights[k]
				}
				continue
			}
			g.targets[w] = g.targets[k]
			if g.weights != nil {
				g.weights[w] = g.weights[k]
			}
			w++
		}
		start = end
	}
	g.offsets[n] = w
	g.targets = g.targets[:w:w]
	if g.weights != nil {
		g.weights = g.weights[:w:w]
	}
}

type rowSorter struct {
	t []int32
	w []float64
}

func (r rowSorter) Len() int           { return len(r.t) }
func (r rowSorter) Less(i, j int) bool { return r.t[i] < r.t[j] }
func (r rowSorter) Swap(i, j int) {
	r.t[i], r.t[j] = r.t[j], r.t[i]
	if r.w != nil {
		r.w[i], r.w[j] = r.w[j], r.w[i]
	}
}

// FromEdges builds an unweighted graph on n nodes from (u, v) pairs.
func FromEdges(n int, directed bool, pairs ...[2]int) (*Graph, error) {
	b := NewBuilder(n, directed, false)
	for _, p := range pairs {
		if err := b.Add(p[0], p[1], 1); err != nil {
			return nil, err
		}
	}
	return b.Build(), nil
}

// FromDense builds a graph from a row-major n*n matrix. Zero entries are
// absent edges. Unless directed, the matrix must be symmetric; the diagonal
// must be zero. Entries other than 0 and 1 make a weighted graph.
func FromDense(n int, m []float64, directed bool) (*Graph, error) {
	return fromDense(n, m, directed, false)
}

// FromDenseSelfLoops is FromDense with non-zero diagonal entries kept as
// self-loops, for matrices in which an agent's own state counts among its
// neighbours' (the TAC 2023 paper's networks).
func FromDenseSelfLoops(n int, m []float64, directed bool) (*Graph, error) {
	return fromDense(n, m, directed, true)
}

func fromDense(n int, m []float64, directed, loops bool) (*Graph, error) {
	if len(m) != n*n {
		return nil, fmt.Errorf("matrix has %d entries, want %d x %d = %d", len(m), n, n, n*n)
	}
	weighted := false
	for i := range n {
		for j := range n {
			x := m[i*n+j]
			if x != x {
				return nil, fmt.Errorf("entry (%d,%d) is NaN", i, j)
			}
			if x < 0 {
				return nil, fmt.Errorf("entry (%d,%d) = %g: weights must be non-negative", i, j, x)
			}
			if i == j && x != 0 && !loops {
				return nil, fmt.Errorf("entry (%d,%d) = %g: self-loops are not allowed (diagonal must be 0)", i, j, x)
			}
			if !directed && x != m[j*n+i] {
				return nil, fmt.Errorf("entry (%d,%d) = %g but (%d,%d) = %g: an undirected adjacency must be symmetric", i, j, x, j, i, m[j*n+i])
			}
			if x != 0 && x != 1 {
				weighted = true
			}
		}
	}
	b := NewBuilder(n, directed, weighted)
	b.loops = loops
	for i := range n {
		for j := range n {
			if x := m[i*n+j]; x != 0 && (directed || j >= i) {
				b.us = append(b.us, int32(i))
				b.vs = append(b.vs, int32(j))
				if weighted {
					b.ws = append(b.ws, x)
				}
			}
		}
	}
	return b.Build(), nil
}

// DisjointUnion returns one graph holding the given graphs side by side:
// node k of graph j becomes node offset_j + k. Weighted if any is weighted;
// all must have the same directedness.
func DisjointUnion(gs ...*Graph) (*Graph, error) {
	n, weighted := 0, false
	for j, g := range gs {
		if g.Directed() != gs[0].Directed() {
			return nil, fmt.Errorf("DisjointUnion: graph %d is directed=%v, graph 0 is %v", j, g.Directed(), gs[0].Directed())
		}
		n += g.N()
		weighted = weighted || g.Weighted()
	}
	directed := len(gs) > 0 && gs[0].Directed()
	b := NewBuilder(n, directed, weighted).AllowSelfLoops() // the parts' own loops
	off := 0
	for _, g := range gs {
		for _, e := range g.EdgeList() {
			b.Add(off+e.U, off+e.V, e.W)
		}
		off += g.N()
	}
	return b.Build(), nil
}
