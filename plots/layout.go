package plots

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/llmsam/llmsam/stdlib/netw"
)

// MaxLayoutNodes bounds the graphs Layout accepts: the force computation is
// O(n^2) per iteration.
const MaxLayoutNodes = 5000

// Layout computes node positions in the unit square with the force-directed
// algorithm of Fruchterman and Reingold, "Graph drawing by force-directed
// placement", Softw. Pract. Exper. 21, 1129 (1991): repulsion k^2/d between
// all pairs, attraction d^2/k along edges, a temperature cooling linearly
// over iters iterations. Seeded; cost O(iters (n^2 + m)).
func Layout(g *netw.Graph, iters int, seed uint64) ([][2]float64, error) {
	n := g.N()
	if n > MaxLayoutNodes {
		return nil, fmt.Errorf("layout: %d nodes, at most %d can be drawn", n, MaxLayoutNodes)
	}
	r := rand.New(rand.NewPCG(seed, 7))
	pos := make([][2]float64, n)
	for i := range pos {
		pos[i] = [2]float64{r.Float64(), r.Float64()}
	}
	if n < 2 {
		return pos, nil
	}
	k := math.Sqrt(1 / float64(n))
	disp := make([][2]float64, n)
	temp := 0.1
	for it := range iters {
		for i := range disp {
			disp[i] = [2]float64{}
		}
		for i := range n {
			for j := i + 1; j < n; j++ {
				dx, dy := pos[i][0]-pos[j][0], pos[i][1]-pos[j][1]
				d2 := max(dx*dx+dy*dy, 1e-9)
				f := k * k / d2 // (k^2/d) / d, times (dx, dy)
				disp[i][0] += dx * f
				disp[i][1] += dy * f
				disp[j][0] -= dx * f
				disp[j][1] -= dy * f
			}
		}
		for _, e := range g.EdgeList() {
			i, j := e.U, e.V
			dx, dy := pos[i][0]-pos[j][0], pos[i][1]-pos[j][1]
			d := math.Sqrt(dx*dx + dy*dy)
			f := d / k // (d^2/k) / d
			disp[i][0] -= dx * f
			disp[i][1] -= dy * f
			disp[j][0] += dx * f
			disp[j][1] += dy * f
		}
		t := temp * (1 - float64(it)/float64(iters))
		for i := range pos {
			d := math.Hypot(disp[i][0], disp[i][1])
			if d > 0 {
				s := min(d, t) / d
				pos[i][0] += disp[i][0] * s
				pos[i][1] += disp[i][1] * s
			}
			// gravity keeps disconnected parts on the page
			pos[i][0] += (0.5 - pos[i][0]) * 0.01
			pos[i][1] += (0.5 - pos[i][1]) * 0.01
		}
	}
	normalise(pos)
	return pos, nil
}

// normalise rescales positions to fill the unit square, keeping the aspect.
func normalise(pos [][2]float64) {
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, p := range pos {
		for d := range 2 {
			lo[d], hi[d] = min(lo[d], p[d]), max(hi[d], p[d])
		}
	}
	span := max(hi[0]-lo[0], hi[1]-lo[1])
	if span <= 0 {
		return
	}
	for i := range pos {
		for d := range 2 {
			pos[i][d] = (pos[i][d]-lo[d])/span + (1-(hi[d]-lo[d])/span)/2
		}
	}
}
