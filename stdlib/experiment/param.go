package experiment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Param is one named parameter and the values it takes: numbers (Values),
// names such as topologies (Levels), or a range [Lo, Hi] sampled by the
// experiment's design (Sampled).
type Param struct {
	Name    string
	Values  []float64
	Levels  []string
	Lo, Hi  float64
	Sampled bool
}

// Values returns a parameter taking the given numbers.
func Values(name string, vs ...float64) Param { return Param{Name: name, Values: vs} }

// Levels returns a parameter taking the given names (topologies, scenarios,
// model variants).
func Levels(name string, levels ...string) Param { return Param{Name: name, Levels: levels} }

// Linspace returns a parameter taking n evenly spaced values from lo to hi.
func Linspace(name string, lo, hi float64, n int) Param {
	vs := make([]float64, n)
	for i := range vs {
		if n == 1 {
			vs[i] = lo
			continue
		}
		vs[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return Param{Name: name, Values: vs}
}

// Range returns a parameter drawn from [lo, hi] at each of the experiment's
// Samples points (uniformly, or by Latin hypercube with Latin).
func Range(name string, lo, hi float64) Param {
	return Param{Name: name, Lo: lo, Hi: hi, Sampled: true}
}

// check says what is wrong with the parameter, if anything.
func (p Param) check() error {
	switch {
	case p.Name == "":
		return fmt.Errorf("a parameter has no name")
	case !validName(p.Name):
		return fmt.Errorf("parameter %q: want a name of letters, digits and underscores (it becomes a column)", p.Name)
	case reserved[p.Name]:
		return fmt.Errorf("parameter %q: the name is one of the tables' own columns", p.Name)
	case p.Sampled && (len(p.Values) > 0 || len(p.Levels) > 0):
		return fmt.Errorf("parameter %q: a sampled range takes no Values or Levels", p.Name)
	case p.Sampled && !(p.Lo <= p.Hi) || math.IsInf(p.Lo, 0) || math.IsInf(p.Hi, 0):
		return fmt.Errorf("parameter %q: range [%g, %g]: want finite Lo <= Hi", p.Name, p.Lo, p.Hi)
	case !p.Sampled && len(p.Values) > 0 && len(p.Levels) > 0:
		return fmt.Errorf("parameter %q: set Values or Levels, not both", p.Name)
	case !p.Sampled && len(p.Values) == 0 && len(p.Levels) == 0:
		return fmt.Errorf("parameter %q: no values", p.Name)
	}
	for _, v := range p.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("parameter %q: value %g is not finite", p.Name, v)
		}
	}
	for _, l := range p.Levels {
		if l == "" || strings.ContainsAny(l, "\r\n") {
			return fmt.Errorf("parameter %q: level %q: want a non-empty name on one line", p.Name, l)
		}
	}
	return nil
}

// reserved are the tables' own column names, which a parameter cannot take.
var reserved = map[string]bool{"run": true, "point": true, "replicate": true, "seed": true, "steps": true,
	"step": true, "agent": true, "opinion": true, "action": true}

func validName(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// Point is one combination of parameter values.
type Point struct {
	Index  int       // position in the design, 0 first
	Names  []string  // parameter names, in the experiment's order
	Nums   []float64 // the numeric values (NaN for a named level)
	Levels []string  // the named levels ("" for a number)
}

// Float returns the value of a numeric parameter; it panics (an error when
// called from Build) on a name the point does not have.
func (p Point) Float(name string) float64 {
	k := p.index(name)
	if p.Levels[k] != "" {
		panic(fmt.Sprintf("experiment: parameter %q is the level %q, not a number: use String", name, p.Levels[k]))
	}
	return p.Nums[k]
}

// Int returns the value of a numeric parameter rounded to an integer.
func (p Point) Int(name string) int { return int(math.Round(p.Float(name))) }

// String returns the value of a parameter as written in the tables: the
// level, or the number formatted compactly.
func (p Point) String(name string) string { return p.cell(p.index(name)) }

func (p Point) cell(k int) string {
	if p.Levels[k] != "" {
		return p.Levels[k]
	}
	return strconv.FormatFloat(p.Nums[k], 'g', -1, 64)
}

func (p Point) index(name string) int {
	for k, n := range p.Names {
		if n == name {
			return k
		}
	}
	panic(fmt.Sprintf("experiment: no parameter %q (the point has %s)", name, strings.Join(p.Names, ", ")))
}

// Label returns "name=value ..." for titles and run names.
func (p Point) Label() string {
	parts := make([]string, len(p.Names))
	for k, n := range p.Names {
		parts[k] = n + "=" + p.cell(k)
	}
	return strings.Join(parts, " ")
}

// Labels returns the point's parameters as a manifest's labels.
func (p Point) Labels() map[string]string {
	m := make(map[string]string, len(p.Names))
	for k, n := range p.Names {
		m[n] = p.cell(k)
	}
	return m
}
