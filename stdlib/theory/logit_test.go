package theory

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestBernoulliLogitExact checks that the table-driven draw always agrees
// with u < sigmoid(y), including draws placed right at the boundary.
func TestBernoulliLogitExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for range 2_000_000 {
		y := (r.Float64() - 0.5) * 100
		u := r.Float64()
		if r.IntN(4) == 0 { // put u within the margin, where the fallback decides
			u = min(max(sigmoid(y)+(r.Float64()-0.5)*2*sigmaMargin, 0), math.Nextafter(1, 0))
		}
		if got, want := bernoulliLogit(u, y), u < sigmoid(y); got != want {
			t.Fatalf("u=%v y=%v: table says %v, exact %v", u, y, got, want)
		}
	}
	// The interpolation error bound holds on a fine grid.
	worst := 0.0
	for y := -sigmaRange + 1e-3; y < sigmaRange; y += 1e-3 {
		pos := (y + sigmaRange) * sigmaPerOne
		k := int(pos)
		approx := sigmaTable[k] + (pos-float64(k))*(sigmaTable[k+1]-sigmaTable[k])
		worst = max(worst, math.Abs(approx-sigmoid(y)))
	}
	if worst > 2.94e-6 {
		t.Fatalf("interpolation error %g exceeds the bound 2.94e-6", worst)
	}
}
