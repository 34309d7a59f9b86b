package metrics

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
)

func state(o []float64, x []uint8) *agent.State { return &agent.State{Opinion: o, Action: x} }

func TestSnapshotByHand(t *testing.T) {
	s := state([]float64{0.9, 0.7, 0.3, 0.1, 0.6}, []uint8{1, 0, 1, 0, 0})
	m := Of(s, nil)
	want := Snapshot{Adoption: 0.4, MeanOpinion: 0.52, Support: 0.6, GapHigh: 0.4, GapLow: 0.2, Gap: 0.6, Extremes: 0.4, UnpopularNorm: 0.2}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"adoption", m.Adoption, want.Adoption}, {"mean", m.MeanOpinion, want.MeanOpinion},
		{"support", m.Support, want.Support}, {"gap high", m.GapHigh, want.GapHigh},
		{"gap low", m.GapLow, want.GapLow}, {"gap", m.Gap, want.Gap}, {"extremes", m.Extremes, want.Extremes},
		{"unpopular norm", m.UnpopularNorm, want.UnpopularNorm},
		{"variance", m.VarOpinion, (0.38*0.38 + 0.18*0.18 + 0.22*0.22 + 0.42*0.42 + 0.08*0.08) / 5},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %g, want %g", c.name, c.got, c.want)
		}
	}
	if m.Hist[9] != 0.2 || m.Hist[7] != 0.2 || m.Hist[5] != 0 || !math.IsNaN(m.Assortativity) {
		t.Errorf("hist %v, assortativity %g", m.Hist, m.Assortativity)
	}
}

func TestBimodality(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 200000
	normal, uniform, twoPeaks := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		normal[i] = r.NormFloat64()
		uniform[i] = r.Float64()
		twoPeaks[i] = float64(i%2) + 0.01*r.NormFloat64()
	}
	for _, c := range []struct {
		name      string
		x         []float64
		want, tol float64
	}{{"normal", normal, 1.0 / 3, 0.01}, {"uniform", uniform, 5.0 / 9, 0.01}, {"two peaks", twoPeaks, 1, 0.01}} {
		if b := Bimodality(c.x); math.Abs(b-c.want) > c.tol {
			t.Errorf("%s: BC = %.4f, want %.4f", c.name, b, c.want)
		}
	}
}

func TestDistances(t *testing.T) {
	p := []float64{1, 0, 0}
	q := []float64{0, 0, 1}
	if js := JensenShannon(p, q); math.Abs(js-1) > 1e-12 {
		t.Errorf("JS of disjoint histograms = %g, want 1 bit", js)
	}
	if js := JensenShannon(p, p); js != 0 {
		t.Errorf("JS of identical histograms = %g", js)
	}
	if w := Wasserstein1(p, q); w != 2 {
		t.Errorf("W1 = %g, want 2", w)
	}
	// Raw opinions: 0.42 and 0.38 share a histogram bin but not a value.
	if w := WassersteinRaw([]float64{0.42, 0.9}, []float64{0.9, 0.38}); math.Abs(w-0.2) > 1e-12 {
		t.Errorf("raw W1 = %g, want 10 * mean(0.04, 0) = 0.2", w)
	}
	a := state([]float64{0, 1, 0.5, 0.5}, []uint8{0, 1, 1, 0})
	b := state([]float64{0.2, 1, 0.5, 0.1}, []uint8{0, 1, 0, 0})
	d, err := Compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(d.OpinionMAE-1.5) > 1e-12 || math.Abs(d.OpinionRMSE-math.Sqrt(5)) > 1e-12 || d.ActionAgreement != 0.75 || d.AdoptionError != 0.25 {
		t.Errorf("distance %+v; want MAE 1.5, RMSE sqrt(5), agreement 0.75, adoption error 0.25", d)
	}
	if _, err := Compare(a, state([]float64{1}, []uint8{1})); err == nil {
		t.Error("different sizes accepted")
	}
}

func TestAssortativity(t *testing.T) {
	g, _ := netw.StochasticBlock([]int{5, 5}, [][]float64{{1, 0}, {0, 1}}, 1)
	o := []float64{0.9, 0.8, 1, 0.95, 0.85, 0.1, 0, 0.2, 0.05, 0.15}
	// Add one cross edge so that within-block variation does not dominate.
	if a := Assortativity(g, o); a < 0.9 {
		t.Errorf("two like-minded cliques: assortativity %g, want near 1", a)
	}
	bip, _ := netw.FromEdges(4, false, [2]int{0, 1}, [2]int{2, 3}, [2]int{0, 3}, [2]int{1, 2})
	if a := Assortativity(bip, []float64{0, 1, 0, 1}); math.Abs(a+1) > 1e-12 {
		t.Errorf("alternating cycle: assortativity %g, want -1", a)
	}
}

func TestParadigmShift(t *testing.T) {
	if !ParadigmShift([]float64{0.2, 0.4, 0.7}, []float64{0.4, 0.55, 0.7}) {
		t.Error("missed a shift")
	}
	if ParadigmShift([]float64{0.2, 0.4, 0.7}, []float64{0.6, 0.65, 0.7}) {
		t.Error("opinions already above 1/2 at the start: no paradigm shift")
	}
	if ParadigmShift([]float64{0.2, 0.4, 0.7}, []float64{0.4, 0.45, 0.45}) {
		t.Error("adoption without opinions is not a paradigm shift")
	}
}
