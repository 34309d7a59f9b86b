package theory

// A table of the logistic function for exact Bernoulli draws without a call
// to math.Exp on the hot path. Linear interpolation between knots h = 1/64
// apart errs by at most max|sigma”| h^2 / 8 = (1/(6 sqrt 3)) / 32768 < 2.94e-6,
// so when the uniform draw u lies farther than sigmaMargin from the
// interpolated value the comparison u < sigma(y) is decided by the table;
// otherwise (probability below 1e-5) it is computed exactly. The draw is
// therefore identical to u < sigmoid(y).
const (
	sigmaRange  = 40
	sigmaPerOne = 64
	sigmaMargin = 4e-6
)

var sigmaTable = func() []float64 {
	t := make([]float64, 2*sigmaRange*sigmaPerOne+2)
	for k := range t {
		t[k] = sigmoid(float64(k)/sigmaPerOne - sigmaRange)
	}
	return t
}()

// bernoulliLogit reports whether u < sigmoid(y), exactly as computed with
// math.Exp, for u uniform in [0, 1).
func bernoulliLogit(u, y float64) bool {
	if !(y > -sigmaRange && y < sigmaRange) {
		return u < sigmoid(y)
	}
	pos := (y + sigmaRange) * sigmaPerOne
	k := int(pos)
	frac := pos - float64(k)
	approx := sigmaTable[k] + frac*(sigmaTable[k+1]-sigmaTable[k])
	switch {
	case u < approx-sigmaMargin:
		return true
	case u > approx+sigmaMargin:
		return false
	}
	return u < sigmoid(y)
}
