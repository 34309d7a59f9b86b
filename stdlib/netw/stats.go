package netw

// DegreeSummary holds the minimum, mean and maximum degree of a graph.
type DegreeSummary struct {
	Min  int
	Mean float64
	Max  int
}

// Degrees returns every node's degree (out-degree when directed).
func Degrees(g *Graph) []int {
	d := make([]int, g.N())
	for i := range d {
		d[i] = g.Degree(i)
	}
	return d
}

// DegreeStats returns the minimum, mean and maximum degree.
func DegreeStats(g *Graph) DegreeSummary {
	n := g.N()
	if n == 0 {
		return DegreeSummary{}
	}
	s := DegreeSummary{Min: g.Degree(0), Max: g.Degree(0)}
	total := 0
	for i := range n {
		d := g.Degree(i)
		total += d
		s.Min = min(s.Min, d)
		s.Max = max(s.Max, d)
	}
	s.Mean = float64(total) / float64(n)
	return s
}

// LocalClustering returns node i's clustering coefficient: the share of pairs
// of its neighbours that are linked (0 for degree < 2), treating the graph as
// undirected. Cost O(d^2 log d).
func LocalClustering(g *Graph, i int) float64 {
	nb := g.Neighbors(i)
	d := len(nb)
	if d < 2 {
		return 0
	}
	links := 0
	for a, u := range nb {
		for _, v := range nb[a+1:] {
			if g.HasEdge(int(u), int(v)) {
				links++
			}
		}
	}
	return 2 * float64(links) / float64(d*(d-1))
}

// AverageClustering returns the mean local clustering over all nodes
// (Watts and Strogatz 1998), counting nodes of degree < 2 as 0 like networkx.
func AverageClustering(g *Graph) float64 {
	if g.N() == 0 {
		return 0
	}
	sum := 0.0
	for i := range g.N() {
		sum += LocalClustering(g, i)
	}
	return sum / float64(g.N())
}

// Components labels the connected components of the graph (weakly connected
// when directed: edges are followed forwards only, so build directed graphs
// symmetric if that matters). It returns a component index per node and the
// number of components, numbered by their smallest node. Cost O(n + m).
func Components(g *Graph) (label []int, count int) {
	n := g.N()
	label = make([]int, n)
	for i := range label {
		label[i] = -1
	}
	stack := []int32{}
	for s := range n {
		if label[s] >= 0 {
			continue
		}
		label[s] = count
		stack = append(stack[:0], int32(s))
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, v := range g.Neighbors(int(u)) {
				if label[v] < 0 {
					label[v] = count
					stack = append(stack, v)
				}
			}
		}
		count++
	}
	return label, count
}

// Connected reports whether the graph has a single component.
func Connected(g *Graph) bool {
	_, c := Components(g)
	return c <= 1
}
