package netw

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// newRand returns the generator every seeded function of the package uses.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x6c6c6d73616d6e77)) // "llmsamnw"
}

// Complete returns the complete undirected graph on n nodes, the network of
// the study's small groups. It costs O(n^2).
func Complete(n int) *Graph {
	b := NewBuilder(n, false, false)
	for i := range n {
		for j := i + 1; j < n; j++ {
			b.us = append(b.us, int32(i))
			b.vs = append(b.vs, int32(j))
		}
	}
	return b.Build()
}

// ErdosRenyi returns a G(n, p) random graph: each of the n(n-1)/2 pairs is an
// edge independently with probability p. It uses geometric skipping
// (Batagelj and Brandes, "Efficient generation of large random networks",
// Phys. Rev. E 71, 036113, 2005) and costs O(n + m).
func ErdosRenyi(n int, p float64, seed uint64) (*Graph, error) {
	if p < 0 || p > 1 || p != p {
		return nil, fmt.Errorf("ErdosRenyi: p = %g, want a probability in [0,1]", p)
	}
	b := NewBuilder(n, false, false)
	if p == 0 || n < 2 {
		return b.Build(), nil
	}
	r := newRand(seed)
	if p == 1 {
		return Complete(n), nil
	}
	lp := math.Log1p(-p)
	v, w := 1, -1
	for v < n {
		w += 1 + int(math.Floor(math.Log1p(-r.Float64())/lp))
		for w >= v && v < n {
			w -= v
			v++
		}
		if v < n {
			b.us = append(b.us, int32(v))
			b.vs = append(b.vs, int32(w))
		}
	}
	return b.Build(), nil
}

// ErdosRenyiM returns a G(n, m) random graph: m distinct edges drawn uniformly
// among the n(n-1)/2 pairs. It costs O(n + m) expected when m is at most half
// the pairs.
func ErdosRenyiM(n, m int, seed uint64) (*Graph, error) {
	max := n * (n - 1) / 2
	if m < 0 || m > max {
		return nil, fmt.Errorf("ErdosRenyiM: m = %d, want 0 <= m <= n(n-1)/2 = %d", m, max)
	}
	r := newRand(seed)
	seen := make(map[uint64]struct{}, m)
	b := NewBuilder(n, false, false)
	for len(seen) < m {
		u, v := r.IntN(n), r.IntN(n)
		if u == v {
			continue
		}
		if u > v {
			u, v = v, u
		}
		key := uint64(u)<<32 | uint64(v)
		if _, dup := seen[key]; dup {
			continue
		}
		seen[key] = struct{}{}
		b.us = append(b.us, int32(u))
		b.vs = append(b.vs, int32(v))
	}
	return b.Build(), nil
}

// BarabasiAlbert returns a preferential-attachment graph on n nodes where each
// new node attaches to m distinct existing nodes chosen with probability
// proportional to degree (Barabasi and Albert, Science 286, 509, 1999). It
// follows networkx's construction, the one the LLM-SAM release used: a star on
// nodes 0..m (node 0 the hub), then nodes m+1..n-1, giving m(n-m) edges. The
// degree distribution has the tail P(k) = 2m(m+1)/(k(k+1)(k+2)). Cost O(n m).
func BarabasiAlbert(n, m int, seed uint64) (*Graph, error) {
	if m < 1 || m >= n {
		return nil, fmt.Errorf("BarabasiAlbert: m = %d, want 1 <= m < n = %d", m, n)
	}
	r := newRand(seed)
	b := NewBuilder(n, false, false)
	b.us = make([]int32, 0, m*(n-m))
	b.vs = make([]int32, 0, m*(n-m))
	repeated := make([]int32, 0, 2*m*(n-m))
	for v := 1; v <= m; v++ {
		b.us = append(b.us, 0)
		b.vs = append(b.vs, int32(v))
		repeated = append(repeated, 0, int32(v))
	}
	targets := make([]int32, 0, m)
	for v := m + 1; v < n; v++ {
		targets = targets[:0]
		for len(targets) < m {
			t := repeated[r.IntN(len(repeated))]
			dup := false
			for _, x := range targets {
				if x == t {
					dup = true
					break
				}
			}
			if !dup {
				targets = append(targets, t)
			}
		}
		for _, t := range targets {
			b.us = append(b.us, int32(v))
			b.vs = append(b.vs, t)
			repeated = append(repeated, int32(v), t)
		}
	}
	return b.Build(), nil
}

// WattsStrogatz returns a small-world graph (Watts and Strogatz, Nature 393,
// 440, 1998): a ring where each node links to its k nearest neighbours (k/2
// on each side, k even), then each lattice edge (u, u+j) is rewired with
// probability p to (u, w) for a uniform w that is neither u nor already a
// neighbour, as networkx does. For p = 0 the average clustering is
// 3(k-2)/(4(k-1)), and it decays about as (1-p)^3 (Barrat and Weigt 2000).
// Cost O(n k^2).
func WattsStrogatz(n, k int, p float64, seed uint64) (*Graph, error) {
	switch {
	case k%2 != 0 || k < 2 || k >= n:
		return nil, fmt.Errorf("WattsStrogatz: k = %d, want an even number with 2 <= k < n = %d", k, n)
	case p < 0 || p > 1 || p != p:
		return nil, fmt.Errorf("WattsStrogatz: p = %g, want a probability in [0,1]", p)
	}
	r := newRand(seed)
	adj := make([][]int32, n)
	for u := range n {
		adj[u] = make([]int32, 0, k+2)
	}
	has := func(u, v int32) bool {
		for _, x := range adj[u] {
			if x == v {
				return true
			}
		}
		return false
	}
	del := func(u, v int32) {
		row := adj[u]
		for i, x := range row {
			if x == v {
				row[i] = row[len(row)-1]
				adj[u] = row[:len(row)-1]
				return
			}
		}
	}
	for u := range n {
		for j := 1; j <= k/2; j++ {
			v := (u + j) % n
			adj[u] = append(adj[u], int32(v))
			adj[v] = append(adj[v], int32(u))
		}
	}
	for j := 1; j <= k/2; j++ {
		for u := range n {
			if r.Float64() >= p {
				continue
			}
			v := int32((u + j) % n)
			if len(adj[u]) >= n-1 {
				continue // u is linked to everyone: nowhere to rewire
			}
			w := int32(r.IntN(n))
			for w == int32(u) || has(int32(u), w) {
				w = int32(r.IntN(n))
			}
			if !has(int32(u), v) {
				continue // already rewired away by an earlier pass
			}
			del(int32(u), v)
			del(v, int32(u))
			adj[u] = append(adj[u], w)
			adj[w] = append(adj[w], int32(u))
		}
	}
	return fromAdjLists(adj, false), nil
}

// fromAdjLists builds a graph from symmetric (or directed) neighbour lists.
func fromAdjLists(adj [][]int32, directed bool) *Graph {
	n := len(adj)
	b := NewBuilder(n, directed, false)
	for u, row := range adj {
		for _, v := range row {
			if directed || int(v) > u {
				b.us = append(b.us, int32(u))
				b.vs = append(b.vs, v)
			}
		}
	}
	return b.Build()
}

// StochasticBlock returns a stochastic block model graph (Holland, Laskey and
// Leinhardt, Social Networks 5, 109, 1983): nodes are split into consecutive
// blocks of the given sizes, and nodes in blocks r and s are linked with
// probability probs[r][s] (symmetric). Cost O(n^2).
func StochasticBlock(sizes []int, probs [][]float64, seed uint64) (*Graph, error) {
	if len(probs) != len(sizes) {
		return nil, fmt.Errorf("StochasticBlock: %d blocks but a %d-row probability matrix", len(sizes), len(probs))
	}
	block := []int{}
	for r, s := range sizes {
		if s < 0 {
			return nil, fmt.Errorf("StochasticBlock: block %d has size %d", r, s)
		}
		if len(probs[r]) != len(sizes) {
			return nil, fmt.Errorf("StochasticBlock: probability row %d has %d entries, want %d", r, len(probs[r]), len(sizes))
		}
		for c, q := range probs[r] {
			if q < 0 || q > 1 || q != q {
				return nil, fmt.Errorf("StochasticBlock: probs[%d][%d] = %g, want a probability", r, c, q)
			}
			if q != probs[c][r] {
				return nil, fmt.Errorf("StochasticBlock: probs[%d][%d] = %g but probs[%d][%d] = %g: must be symmetric", r, c, q, c, r, probs[c][r])
			}
		}
		for range s {
			block = append(block, r)
		}
	}
	n := len(block)
	r := newRand(seed)
	b := NewBuilder(n, false, false)
	for u := range n {
		for v := u + 1; v < n; v++ {
			if r.Float64() < probs[block[u]][block[v]] {
				b.us = append(b.us, int32(u))
				b.vs = append(b.vs, int32(v))
			}
		}
	}
	return b.Build(), nil
}
