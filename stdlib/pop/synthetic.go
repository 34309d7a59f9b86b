package pop

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/llmsam/llmsam/stdlib/scenario"
)

// Synthetic samples n people for a scenario from its Calibration, so that a
// run needs no data file:
//
//   - (a, tau, f) from a Dirichlet distribution with the calibrated means and
//     a concentration matching the calibrated standard deviations on average
//     (Var = m(1-m)/(alpha0+1)), so a + tau + f = 1 exactly;
//   - lambda from a Beta distribution with the calibrated mean and sd;
//   - the initial answer 0..10 from the calibrated histogram of real answers;
//   - the initial action from the logistic fit on the real answers,
//     P(x=1) = sigma(c0 + c1 o + c2 lambda) (86.3% of real actions follow
//     x = 1[o >= lambda]);
//   - agent i's private fact is the scenario's fact i mod 5.
//
// The same scenario, n and seed give the same population. An unusable
// calibration (a user scenario with zero means or impossible deviations)
// is an error naming the scenario and the field.
func Synthetic(sc *scenario.Scenario, n int, seed uint64) (Population, error) {
	c := sc.Calibration
	m := [3]float64{c.Mean.A, c.Mean.Tau, c.Mean.F}
	sd := [3]float64{c.SD.A, c.SD.Tau, c.SD.F}
	total := 0
	for _, k := range c.OpinionCounts {
		total += k
	}
	switch {
	case n < 0:
		return nil, fmt.Errorf("scenario %q: n = %d people", sc.Name, n)
	case math.Abs(m[0]+m[1]+m[2]-1) > 0.01:
		return nil, fmt.Errorf("scenario %q: calibration means of a, tau, f sum to %g, want 1", sc.Name, m[0]+m[1]+m[2])
	case total == 0:
		return nil, fmt.Errorf("scenario %q: calibration has an empty opinion histogram", sc.Name)
	}
	alpha0 := 0.0
	for k := range m {
		if m[k] <= 0 || sd[k] <= 0 || sd[k]*sd[k] >= m[k]*(1-m[k]) {
			return nil, fmt.Errorf("scenario %q: calibration coefficient %d: mean %g, sd %g impossible on the simplex", sc.Name, k, m[k], sd[k])
		}
		alpha0 += (m[k]*(1-m[k])/(sd[k]*sd[k]) - 1) / 3
	}
	ml, sl := c.Mean.Lambda, c.SD.Lambda
	if ml <= 0 || ml >= 1 || sl <= 0 || sl*sl >= ml*(1-ml) {
		return nil, fmt.Errorf("scenario %q: calibration lambda mean %g, sd %g impossible for a Beta distribution", sc.Name, ml, sl)
	}
	kl := ml*(1-ml)/(sl*sl) - 1
	r := rand.New(rand.NewPCG(seed, 0x6c6c6d73616d7070)) // "llmsampp"
	p := make(Population, n)
	for i := range p {
		var g [3]float64
		sum := 0.0
		for k := range g {
			g[k] = gamma(r, alpha0*m[k])
			sum += g[k]
		}
		x := &p[i]
		x.A, x.Tau = g[0]/sum, g[1]/sum
		x.F = 1 - x.A - x.Tau
		if x.F < 0 {
			x.F = 0
		}
		ga, gb := gamma(r, ml*kl), gamma(r, (1-ml)*kl)
		x.Lambda = ga / (ga + gb)
		u := r.IntN(total)
		for ans, cnt := range c.OpinionCounts {
			if u < cnt {
				x.Opinion0 = float64(ans) / 10
				break
			}
			u -= cnt
		}
		z := c.ActionLogit[0] + c.ActionLogit[1]*x.Opinion0 + c.ActionLogit[2]*x.Lambda
		if r.Float64() < 1/(1+math.Exp(-z)) {
			x.Action0 = 1
		}
		x.Fact = sc.Fact(i)
	}
	return p, nil
}

// gamma draws from Gamma(shape, 1) by Marsaglia and Tsang's method ("A simple
// method for generating gamma variables", ACM TOMS 26, 363, 2000), boosting
// shapes below 1 with U^(1/shape).
func gamma(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gamma(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// MustSynthetic is Synthetic for calibrations known to be valid, such as the
// built-in scenarios'; it panics on an error.
func MustSynthetic(sc *scenario.Scenario, n int, seed uint64) Population {
	p, err := Synthetic(sc, n, seed)
	if err != nil {
		panic(err)
	}
	return p
}
