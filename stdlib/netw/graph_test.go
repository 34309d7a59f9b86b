package netw

import (
	"math"
	"testing"
)

func TestCompleteAndBuilder(t *testing.T) {
	g := Complete(5)
	if g.N() != 5 || g.Edges() != 10 {
		t.Fatalf("Complete(5) = %v, want 5 nodes 10 edges", g)
	}
	for i := range 5 {
		if g.Degree(i) != 4 || g.HasEdge(i, i) {
			t.Fatalf("node %d: degree %d", i, g.Degree(i))
		}
	}
	b := NewBuilder(3, false, true)
	b.Add(0, 1, 2)
	b.Add(1, 0, 3) // duplicate edge: weights summed
	if err := b.Add(2, 2, 1); err == nil {
		t.Fatal("self-loop accepted")
	}
	if err := b.Add(0, 3, 1); err == nil {
		t.Fatal("out-of-range node accepted")
	}
	w := b.Build()
	if w.Edges() != 1 || w.Weight(0, 1) != 5 || w.Weight(1, 0) != 5 || w.Weight(0, 2) != 0 {
		t.Fatalf("weighted build: %v, w01=%g", w, w.Weight(0, 1))
	}
}

func TestFromDenseRejects(t *testing.T) {
	if _, err := FromDense(2, []float64{0, 1, 0, 0}, false); err == nil {
		t.Fatal("asymmetric matrix accepted as undirected")
	}
	g, err := FromDense(2, []float64{0, 1, 0, 0}, true)
	if err != nil || g.Edges() != 1 || !g.HasEdge(0, 1) || g.HasEdge(1, 0) {
		t.Fatalf("directed: %v %v", g, err)
	}
	if _, err := FromDense(2, []float64{1, 0, 0, 0}, false); err == nil {
		t.Fatal("self-loop on the diagonal accepted")
	}
	if _, err := FromDense(2, []float64{0, 1, 1}, false); err == nil {
		t.Fatal("wrong length accepted")
	}
}

func TestErdosRenyiEdgeCount(t *testing.T) {
	n, p := 2000, 0.01
	for seed := uint64(1); seed <= 3; seed++ {
		g, err := ErdosRenyi(n, p, seed)
		if err != nil {
			t.Fatal(err)
		}
		pairs := float64(n*(n-1)) / 2
		mean, sd := pairs*p, math.Sqrt(pairs*p*(1-p))
		if math.Abs(float64(g.Edges())-mean) > 5*sd {
			t.Errorf("seed %d: %d edges, want %.0f +/- %.0f", seed, g.Edges(), mean, 5*sd)
		}
	}
	g, _ := ErdosRenyiM(100, 300, 1)
	if g.Edges() != 300 {
		t.Fatalf("G(n,m) has %d edges, want 300", g.Edges())
	}
	if _, err := ErdosRenyi(10, 1.5, 1); err == nil {
		t.Fatal("p = 1.5 accepted")
	}
}

// TestBarabasiAlbertDegreeTail checks the complementary degree distribution
// P(K >= k) = m(m+1)/(k(k+1)) of the BA model (Dorogovtsev, Mendes and
// Samukhin 2000; Bollobas et al. 2001) on 2*10^5 nodes.
func TestBarabasiAlbertDegreeTail(t *testing.T) {
	n, m := 200000, 3
	g, err := BarabasiAlbert(n, m, 7)
	if err != nil {
		t.Fatal(err)
	}
	if g.Edges() != m*(n-m) {
		t.Fatalf("%d edges, want m(n-m) = %d", g.Edges(), m*(n-m))
	}
	d := Degrees(g)
	for _, k := range []int{3, 6, 12, 24} {
		count := 0
		for _, x := range d {
			if x >= k {
				count++
			}
		}
		got := float64(count) / float64(n)
		want := float64(m*(m+1)) / float64(k*(k+1))
		if math.Abs(got-want)/want > 0.08 {
			t.Errorf("P(K >= %d) = %.4f, want %.4f within 8%%", k, got, want)
		}
	}
	if !Connected(g) {
		t.Error("BA graph not connected")
	}
}

// TestWattsStrogatzClustering checks C(0) = 3(k-2)/(4(k-1)) exactly and the
// Barrat-Weigt approximation C(p) ~ C(0)(1-p)^3 on 2*10^4 nodes.
func TestWattsStrogatzClustering(t *testing.T) {
	n, k := 20000, 10
	c0 := 3 * float64(k-2) / (4 * float64(k-1))
	for _, p := range []float64{0, 0.05, 0.2} {
		g, err := WattsStrogatz(n, k, p, 3)
		if err != nil {
			t.Fatal(err)
		}
		if g.Edges() != n*k/2 {
			t.Fatalf("p=%g: %d edges, want nk/2 = %d", p, g.Edges(), n*k/2)
		}
		got, want := AverageClustering(g), c0*math.Pow(1-p, 3)
		tol := 0.02
		if p == 0 {
			tol = 1e-12
		}
		if math.Abs(got-want) > tol {
			t.Errorf("p=%g: clustering %.4f, want %.4f +/- %g", p, got, want, tol)
		}
	}
}

func TestStochasticBlock(t *testing.T) {
	g, err := StochasticBlock([]int{50, 50}, [][]float64{{1, 0}, {0, 1}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	label, c := Components(g)
	if c != 2 || label[0] != 0 || label[99] != 1 || g.Edges() != 2*50*49/2 {
		t.Fatalf("two cliques: %d components, %d edges", c, g.Edges())
	}
	if _, err := StochasticBlock([]int{2, 2}, [][]float64{{1, 0.5}, {0, 1}}, 1); err == nil {
		t.Fatal("asymmetric block matrix accepted")
	}
}

func TestGeneratorsDeterministic(t *testing.T) {
	a, _ := BarabasiAlbert(500, 4, 9)
	b, _ := BarabasiAlbert(500, 4, 9)
	c, _ := BarabasiAlbert(500, 4, 10)
	same := func(x, y *Graph) bool {
		ex, ey := x.EdgeList(), y.EdgeList()
		if len(ex) != len(ey) {
			return false
		}
		for i := range ex {
			if ex[i] != ey[i] {
				return false
			}
		}
		return true
	}
	if !same(a, b) || same(a, c) {
		t.Fatal("same seed must give the same graph and another seed another graph")
	}
}

func TestRewireKeepsEdgeCount(t *testing.T) {
	base, _ := BarabasiAlbert(50, 5, 1)
	s, err := Rewire(base, 10, 10, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 10 || s.At(0) != base || s.At(99) != s[9] {
		t.Fatal("snapshot indexing")
	}
	for i := 1; i < len(s); i++ {
		if s[i].Edges() != base.Edges() {
			t.Fatalf("slice %d: %d edges, want %d", i, s[i].Edges(), base.Edges())
		}
		moved := 0
		for _, e := range s[i-1].EdgeList() {
			if !s[i].HasEdge(e.U, e.V) {
				moved++
			}
		}
		if moved == 0 || moved > 10 {
			t.Errorf("slice %d: %d edges moved, want 1..10", i, moved)
		}
	}
}

func TestRandomRegular(t *testing.T) {
	for _, c := range []struct{ n, d int }{{200, 8}, {200, 4}, {16, 4}, {10, 9}, {7, 2}} {
		for seed := range uint64(5) {
			g, err := RandomRegular(c.n, c.d, seed)
			if err != nil {
				t.Fatal(err)
			}
			if g.Edges() != c.n*c.d/2 {
				t.Fatalf("n %d d %d: %d edges", c.n, c.d, g.Edges())
			}
			for i := range c.n {
				if g.Degree(i) != c.d || g.HasEdge(i, i) {
					t.Fatalf("n %d d %d seed %d: node %d has degree %d (self-loop %v)", c.n, c.d, seed, i, g.Degree(i), g.HasEdge(i, i))
				}
			}
		}
	}
	a, _ := RandomRegular(200, 8, 1)
	b, _ := RandomRegular(200, 8, 2)
	same := 0
	for _, e := range a.EdgeList() {
		if b.HasEdge(e.U, e.V) {
			same++
		}
	}
	if same > a.Edges()/4 {
		t.Fatalf("two seeds share %d of %d edges: not independent draws", same, a.Edges())
	}
	for _, bad := range [][2]int{{5, 3}, {4, 4}, {-1, 2}} {
		if _, err := RandomRegular(bad[0], bad[1], 1); err == nil {
			t.Errorf("RandomRegular(%d, %d) accepted", bad[0], bad[1])
		}
	}
}

func TestSelfLoops(t *testing.T) {
	m := []float64{1, 1, 0, 1, 0, 1, 0, 1, 1}
	if _, err := FromDense(3, m, false); err == nil {
		t.Fatal("FromDense accepted a diagonal")
	}
	g, err := FromDenseSelfLoops(3, m, false)
	if err != nil {
		t.Fatal(err)
	}
	if g.Edges() != 4 || !g.HasEdge(0, 0) || g.HasEdge(1, 1) || g.Degree(0) != 2 || g.Degree(1) != 2 {
		t.Fatalf("%v: edges %d, degrees %d %d %d", g, g.Edges(), g.Degree(0), g.Degree(1), g.Degree(2))
	}
	d := g.Dense()
	for k := range m {
		if d[k] != m[k] {
			t.Fatalf("Dense %v, want %v", d, m)
		}
	}
	if err := NewBuilder(2, false, false).Add(1, 1, 1); err == nil {
		t.Fatal("a builder without AllowSelfLoops accepted a loop")
	}
}
