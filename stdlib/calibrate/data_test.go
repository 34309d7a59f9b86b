package calibrate

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// TestDataLogitMatchesRealAnswers refits SAM's default action rule to the
// 495 real initial answers of the LLM-SAM release and checks theory.DataLogit
// and the documented evidence: the free logistic against sigma(beta (o -
// lambda)), LR chi2 43.6, best beta 7.6 +/- 0.7.
func TestDataLogitMatchesRealAnswers(t *testing.T) {
	dir := "../../../shared/reference/llmsam/coeff"
	var X, X1 [][]float64
	var y []float64
	for _, e := range []string{"1", "2", "3"} {
		for _, n := range []string{"3", "4", "5"} {
			p, err := pop.LoadCSV(filepath.Join(dir, "coeff"+e+"_"+n+".csv"))
			if err != nil {
				t.Skipf("the LLM-SAM release's participants are absent (%v): DataLogit not rechecked", err)
			}
			for _, x := range p {
				X = append(X, []float64{1, x.Opinion0, x.Lambda})
				X1 = append(X1, []float64{x.Opinion0 - x.Lambda})
				y = append(y, float64(x.Action0))
			}
		}
	}
	free, err := Logistic(X, y)
	if err != nil {
		t.Fatal(err)
	}
	beta, err := Logistic(X1, y)
	if err != nil {
		t.Fatal(err)
	}
	d := theory.DataLogit
	t.Logf("%d answers: free logistic %.3f (SE %.3f); beta %.3f (SE %.3f); LR chi2 %.2f",
		len(y), free.Coef, free.SE, beta.Coef[0], beta.SE[0], 2*(free.LogLik-beta.LogLik))
	for i, c := range []float64{d.Intercept, d.Opinion, d.Lambda} {
		if math.Abs(free.Coef[i]-c) > 0.005 {
			t.Errorf("coefficient %d: fitted %.4f, DataLogit %.2f", i, free.Coef[i], c)
		}
	}
	if lr := 2 * (free.LogLik - beta.LogLik); len(y) != 495 || math.Abs(lr-43.6) > 0.1 || math.Abs(beta.Coef[0]-7.6) > 0.05 {
		t.Errorf("%d answers, LR %.2f, beta %.3f; the docs say 495, 43.6, 7.6", len(y), lr, beta.Coef[0])
	}
}
