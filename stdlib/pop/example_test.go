package pop_test

import (
	"fmt"

	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// A synthetic population needs no data file: coefficients on the a + tau + f
// = 1 simplex, answers drawn from the real histogram, actions from the
// logistic rule fitted on the real answers.
func ExampleSynthetic() {
	people := pop.MustSynthetic(scenario.WasteSorting(), 5000, 1)
	s := people.Summarize()
	fmt.Printf("mean a %.2f, tau %.2f, f %.2f, lambda %.2f\n", s.A, s.Tau, s.F, s.Lambda)
	fmt.Printf("adopters %.2f (real: 124/165 = 0.75)\n", float64(s.Adopters)/float64(s.N))
	// Output:
	// mean a 0.20, tau 0.52, f 0.28, lambda 0.56
	// adopters 0.76 (real: 124/165 = 0.75)
}
