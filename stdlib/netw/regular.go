package netw

import "fmt"

// RandomRegular returns a random d-regular simple undirected graph on n
// nodes (every node has exactly d neighbours, no self-loops or multiple
// edges), the layers of Zino, Ye and Cao's phase diagram (Chaos 30, 083107,
// 2020). It pairs half-edges uniformly at random, rejecting a pair that would
// make a self-loop or a repeated edge, and starts over when the remaining
// half-edges cannot be paired (the procedure of the authors' RRG.m; Steger
// and Wormald, Combinatorics, Probability and Computing 8, 377, 1999, show
// its output is asymptotically uniform for d = o(n^(1/28)) and close to it
// for small d). n*d must be even and d < n. Expected cost O(n d) per attempt;
// it gives up with an error after 100 attempts.
func RandomRegular(n, d int, seed uint64) (*Graph, error) {
	switch {
	case n < 0 || d < 0:
		return nil, fmt.Errorf("RandomRegular: n = %d, d = %d, want non-negative values", n, d)
	case d >= n && n > 0:
		return nil, fmt.Errorf("RandomRegular: degree %d with %d nodes: want d < n", d, n)
	case n*d%2 != 0:
		return nil, fmt.Errorf("RandomRegular: n*d = %d*%d is odd: a d-regular graph needs n*d even", n, d)
	}
	r := newRand(seed)
	points := make([]int32, 0, n*d)
	adj := make([][]int32, n)
	has := func(u, v int32) bool {
		for _, w := range adj[u] {
			if w == v {
				return true
			}
		}
		return false
	}
	for attempt := 0; attempt < 100; attempt++ {
		points = points[:0]
		for u := range n {
			adj[u] = adj[u][:0]
			for range d {
				points = append(points, int32(u))
			}
		}
		// Pair two random remaining half-edges; after too many rejections
		// in a row the remaining ones (almost surely) admit no valid pair.
		fails := 0
		for len(points) > 0 && fails < 50*n*d+100 {
			a, b := r.IntN(len(points)), r.IntN(len(points))
			u, v := points[a], points[b]
			if a == b || u == v || has(u, v) {
				fails++
				continue
			}
			fails = 0
			adj[u] = append(adj[u], v)
			adj[v] = append(adj[v], u)
			if a < b {
				a, b = b, a
			}
			last := len(points) - 1
			points[a] = points[last]
			points = points[:last]
			last--
			points[b] = points[last]
			points = points[:last]
		}
		if len(points) == 0 {
			return fromAdjLists(adj, false), nil
		}
	}
	return nil, fmt.Errorf("RandomRegular: no simple %d-regular graph on %d nodes after 100 attempts", d, n)
}
