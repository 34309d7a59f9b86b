package pop

import (
	"fmt"
	"math"
	"strconv"
)

// Person is one agent's profile.
type Person struct {
	A      float64 `json:"a"`      // susceptibility to friends
	Tau    float64 `json:"tau"`    // stubbornness
	F      float64 `json:"f"`      // susceptibility to external information
	Lambda float64 `json:"lambda"` // trade-off (cost) coefficient

	Opinion0 float64 `json:"opinion0"` // initial opinion in [0,1] (answer 0-10 / 10)
	Action0  uint8   `json:"action0"`  // initial action, 1 = adopts
	Reason   string  `json:"reason,omitempty"`
	Fact     string  `json:"fact,omitempty"` // private fact given to this agent
}

// Population is the ordered list of agents; agent i is node i of the network.
type Population []Person

// Validate checks every person: coefficients and opinion in [0,1], a + tau + f
// = 1 within 1e-6, action 0 or 1. Errors name the person and the field.
func (p Population) Validate() error {
	for i, x := range p {
		if err := x.validate(); err != nil {
			return fmt.Errorf("person %d: %w", i, err)
		}
	}
	return nil
}

func (x Person) validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"a", x.A}, {"tau", x.Tau}, {"f", x.F}, {"lambda", x.Lambda}, {"opinion", x.Opinion0}} {
		if !(f.v >= 0 && f.v <= 1) {
			return fmt.Errorf("%s = %g, want a value in [0,1]", f.name, f.v)
		}
	}
	if s := x.A + x.Tau + x.F; math.Abs(s-1) > 1e-6 {
		return fmt.Errorf("a + tau + f = %g, want 1 (within 1e-6)", s)
	}
	if x.Action0 > 1 {
		return fmt.Errorf("action = %d, want 0 or 1", x.Action0)
	}
	return nil
}

// Window returns people start..start+n-1, the release's way of taking n agents
// from the pooled population (windows at 0, 10, ..., 60 for 101 agents).
func (p Population) Window(start, n int) (Population, error) {
	if start < 0 || n < 0 || start+n > len(p) {
		return nil, fmt.Errorf("window [%d,%d) outside a population of %d", start, start+n, len(p))
	}
	return append(Population(nil), p[start:start+n]...), nil
}

// Groups splits the population into consecutive groups of size people, as
// the release's coeff{E}_{N}.csv files are laid out.
func (p Population) Groups(size int) ([]Population, error) {
	if size < 1 || len(p)%size != 0 {
		return nil, fmt.Errorf("cannot split %d people into groups of %d", len(p), size)
	}
	out := make([]Population, 0, len(p)/size)
	for i := 0; i < len(p); i += size {
		out = append(out, append(Population(nil), p[i:i+size]...))
	}
	return out, nil
}

// Coef packs the four coefficients of one person for compiled hot loops
// (32 bytes, against a Person's 96).
type Coef struct{ A, Tau, F, Lambda float64 }

// Coefficients returns every person's coefficients, packed.
func (p Population) Coefficients() []Coef {
	c := make([]Coef, len(p))
	for i, x := range p {
		c[i] = Coef{x.A, x.Tau, x.F, x.Lambda}
	}
	return c
}

// Opinions returns the initial opinions.
func (p Population) Opinions() []float64 {
	o := make([]float64, len(p))
	for i, x := range p {
		o[i] = x.Opinion0
	}
	return o
}

// Actions returns the initial actions.
func (p Population) Actions() []uint8 {
	a := make([]uint8, len(p))
	for i, x := range p {
		a[i] = x.Action0
	}
	return a
}

// Reasons returns the people's initial reasons, or nil when nobody has one.
func (p Population) Reasons() []string {
	var out []string
	for i, x := range p {
		if x.Reason != "" && out == nil {
			out = make([]string, len(p))
		}
		if out != nil {
			out[i] = x.Reason
		}
	}
	return out
}

// Lambdas returns the trade-off coefficients.
func (p Population) Lambdas() []float64 {
	l := make([]float64, len(p))
	for i, x := range p {
		l[i] = x.Lambda
	}
	return l
}

// Summary holds the means of a population's coefficients and initial state.
type Summary struct {
	N                      int
	A, Tau, F, Lambda      float64
	Opinion                float64 // mean initial opinion in [0,1]
	Adopters               int     // people with initial action 1
	OpinionCounts          [11]int // initial answers 0..10
	GapHighOpinionNoAction int     // o >= 0.6 but x = 0: the value-action gap
}

// Summarize computes the population's summary.
func (p Population) Summarize() Summary {
	s := Summary{N: len(p)}
	if len(p) == 0 {
		return s
	}
	for _, x := range p {
		s.A += x.A
		s.Tau += x.Tau
		s.F += x.F
		s.Lambda += x.Lambda
		s.Opinion += x.Opinion0
		s.Adopters += int(x.Action0)
		s.OpinionCounts[int(math.Round(x.Opinion0*10))]++
		if x.Opinion0 >= 0.6-1e-9 && x.Action0 == 0 {
			s.GapHighOpinionNoAction++
		}
	}
	n := float64(len(p))
	s.A /= n
	s.Tau /= n
	s.F /= n
	s.Lambda /= n
	s.Opinion /= n
	return s
}

// ReleaseName returns the name the LLM-SAM release gave agent i of a group
// or window of n: James, Michael, David, Emily when n < 5, else User0 ...
// User{n-1}. Its output files are keyed by these names.
func ReleaseName(n, i int) string {
	if n < 5 {
		return [...]string{"James", "Michael", "David", "Emily"}[i]
	}
	var b [24]byte
	return string(strconv.AppendInt(append(b[:0], "User"...), int64(i), 10)) // one allocation
}
