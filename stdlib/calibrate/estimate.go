package calibrate

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Param is one fitted parameter with its standard error and 95% confidence
// interval (Wald: estimate +/- 1.96 SE for maximum-likelihood parameters,
// Student t for least-squares ones). NaN standard errors mean the data do
// not identify the parameter; Note says why.
type Param struct {
	Name     string
	Estimate float64
	SE       float64
	Lo, Hi   float64 // 95% confidence interval
	Note     string  `json:",omitempty"`
}

// String shows "name estimate [lo, hi]".
func (p Param) String() string {
	s := fmt.Sprintf("%s %.4g [%.4g, %.4g]", p.Name, p.Estimate, p.Lo, p.Hi)
	if p.Note != "" {
		s += " (" + p.Note + ")"
	}
	return s
}

// Contains reports whether x lies in the confidence interval.
func (p Param) Contains(x float64) bool { return x >= p.Lo && x <= p.Hi }

// ErrSeparable is returned (wrapped) when the actions are perfectly
// separated by the rule's covariates: the likelihood keeps growing as the
// rationality goes to infinity, so no finite beta fits; the threshold rule
// describes the data exactly.
var ErrSeparable = errors.New("the actions are perfectly separated: the likelihood has no maximum at a finite beta (the threshold rule fits them exactly)")

// LogitFit is the maximum-likelihood fit of P[y = 1] = sigma(X b).
type LogitFit struct {
	Coef, SE   []float64
	Cov        *mat.SymDense // inverse of the observed information
	LogLik     float64       // at the optimum, summed over observations
	Iterations int
}

// Logistic fits P[y_k = 1] = sigma(sum_j X[k][j] b_j) by maximum likelihood
// with Newton's method and a backtracking line search on the
// log-likelihood (each step at least halves until the likelihood rises),
// from b = 0. It stops when the largest gradient entry, relative to the
// number of observations, is below 1e-10, and fails with a message when
// 200 iterations do not get there, when the information matrix is
// singular (a covariate without variation), or with ErrSeparable when the
// actions are separable (the fitted probabilities reach 0 and 1 while the
// coefficients keep growing).
func Logistic(X [][]float64, y []float64) (LogitFit, error) {
	n := len(y)
	if n == 0 || len(X) != n {
		return LogitFit{}, fmt.Errorf("logistic fit: %d rows of covariates for %d observations", len(X), n)
	}
	p := len(X[0])
	b := make([]float64, p)
	ll := logLik(X, y, b)
	var fit LogitFit
	for iter := 1; iter <= 200; iter++ {
		g := make([]float64, p)
		h := mat.NewSymDense(p, nil)
		for k, row := range X {
			z := dot(row, b)
			pr := sigma(z)
			w := pr * (1 - pr)
			for i := range p {
				g[i] += (y[k] - pr) * row[i]
				for j := i; j < p; j++ {
					h.SetSym(i, j, h.At(i, j)+w*row[i]*row[j])
				}
			}
		}
		gmax := 0.0
		for _, v := range g {
			gmax = max(gmax, math.Abs(v))
		}
		if gmax/float64(n) < 1e-10 {
			if separated(X, y, b) {
				return LogitFit{}, ErrSeparable
			}
			fit.Iterations = iter - 1
			return finishLogit(fit, b, h, ll)
		}
		var chol mat.Cholesky
		if !chol.Factorize(h) {
			if separated(X, y, b) {
				return LogitFit{}, ErrSeparable
			}
			return LogitFit{}, fmt.Errorf("logistic fit: the information matrix is singular after %d iterations (a covariate does not vary, or two are collinear)", iter-1)
		}
		var d mat.VecDense
		if err := chol.SolveVecTo(&d, mat.NewVecDense(p, g)); err != nil {
			return LogitFit{}, fmt.Errorf("logistic fit: %w", err)
		}
		// Backtracking: halve the Newton step until the likelihood rises.
		step, nb := 1.0, make([]float64, p)
		improved := false
		for range 60 {
			for i := range p {
				nb[i] = b[i] + step*d.AtVec(i)
			}
			if nll := logLik(X, y, nb); nll >= ll {
				improved = nll > ll || step == 1
				ll = nll
				copy(b, nb)
				break
			}
			step /= 2
		}
		if separated(X, y, b) {
			return LogitFit{}, ErrSeparable
		}
		if !improved {
			// No step raises the likelihood: b is the maximum to rounding.
			fit.Iterations = iter
			return finishLogit(fit, b, hessian(X, b), ll)
		}
	}
	return LogitFit{}, fmt.Errorf("logistic fit: no convergence in 200 damped Newton iterations (coefficients %v)", b)
}

// separated reports whether b puts every observation strictly on the side
// of its outcome (z > 0 for y = 1, z < 0 for y = 0). Then the likelihood
// grows without bound along t b as t -> infinity, so no finite maximum
// exists (Albert and Anderson, Biometrika 71, 1, 1984).
func separated(X [][]float64, y []float64, b []float64) bool {
	for k, row := range X {
		z := dot(row, b)
		if (y[k] == 1 && !(z > 0)) || (y[k] == 0 && !(z < 0)) {
			return false
		}
	}
	return true
}

// hessian returns the information matrix X' W X at b.
func hessian(X [][]float64, b []float64) *mat.SymDense {
	p := len(b)
	h := mat.NewSymDense(p, nil)
	for _, row := range X {
		pr := sigma(dot(row, b))
		w := pr * (1 - pr)
		for i := range p {
			for j := i; j < p; j++ {
				h.SetSym(i, j, h.At(i, j)+w*row[i]*row[j])
			}
		}
	}
	return h
}

func finishLogit(fit LogitFit, b []float64, h *mat.SymDense, ll float64) (LogitFit, error) {
	p := len(b)
	var chol mat.Cholesky
	if !chol.Factorize(h) {
		return LogitFit{}, fmt.Errorf("logistic fit: singular information at the optimum: the coefficients are not identified")
	}
	cov := mat.NewSymDense(p, nil)
	if err := chol.InverseTo(cov); err != nil {
		return LogitFit{}, fmt.Errorf("logistic fit: %w", err)
	}
	fit.Coef, fit.Cov, fit.LogLik = b, cov, ll
	fit.SE = make([]float64, p)
	for i := range p {
		fit.SE[i] = math.Sqrt(cov.At(i, i))
	}
	return fit, nil
}

func logLik(X [][]float64, y []float64, b []float64) float64 {
	ll := 0.0
	for k, row := range X {
		z := dot(row, b)
		// log sigma(z) = -log(1 + e^-z), computed stably.
		if y[k] == 1 {
			ll -= softplus(-z)
		} else {
			ll -= softplus(z)
		}
	}
	return ll
}

// softplus returns log(1 + e^z) without overflow.
func softplus(z float64) float64 {
	if z > 30 {
		return z
	}
	return math.Log1p(math.Exp(z))
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func sigma(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// LinearFit is the ordinary least-squares fit of y = X b + e.
type LinearFit struct {
	Coef, SE []float64 // NaN for columns the data do not identify
	SSE      float64
	DF       int // residual degrees of freedom
}

// Linear fits y = X b + e by least squares in closed form (QR), with the
// usual standard errors sqrt(s^2 (X'X)^-1), s^2 = SSE / (n - p). Columns
// that are all zero (a parameter nothing in the data informs) get NaN.
func Linear(X [][]float64, y []float64) (LinearFit, error) {
	n := len(y)
	if n == 0 || len(X) != n {
		return LinearFit{}, fmt.Errorf("least squares: %d rows of covariates for %d observations", len(X), n)
	}
	p := len(X[0])
	var cols []int
	for j := range p {
		for k := range n {
			if X[k][j] != 0 {
				cols = append(cols, j)
				break
			}
		}
	}
	q := len(cols)
	if n <= q {
		return LinearFit{}, fmt.Errorf("least squares: %d observations for %d parameters", n, q)
	}
	A := mat.NewDense(n, q, nil)
	for k := range n {
		for c, j := range cols {
			A.Set(k, c, X[k][j])
		}
	}
	var qr mat.QR
	qr.Factorize(A)
	var sol mat.Dense
	if err := qr.SolveTo(&sol, false, mat.NewDense(n, 1, y)); err != nil {
		return LinearFit{}, fmt.Errorf("least squares: the parameters are not identified (collinear covariates): %w", err)
	}
	fit := LinearFit{Coef: make([]float64, p), SE: make([]float64, p), DF: n - q}
	for j := range p {
		fit.Coef[j], fit.SE[j] = math.NaN(), math.NaN()
	}
	for c, j := range cols {
		fit.Coef[j] = sol.At(c, 0)
	}
	for k := range n {
		r := y[k]
		for _, j := range cols {
			r -= X[k][j] * fit.Coef[j]
		}
		fit.SSE += r * r
	}
	var xtx mat.SymDense
	xtx.SymOuterK(1, A.T())
	var chol mat.Cholesky
	if !chol.Factorize(&xtx) {
		return LinearFit{}, fmt.Errorf("least squares: X'X is singular: the parameters are not identified")
	}
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		return LinearFit{}, fmt.Errorf("least squares: %w", err)
	}
	s2 := fit.SSE / float64(fit.DF)
	for c, j := range cols {
		fit.SE[j] = math.Sqrt(s2 * inv.At(c, c))
	}
	return fit, nil
}

// tQuantile returns the 97.5% quantile of Student's t with df degrees of
// freedom (1.96 for large df).
func tQuantile(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}
