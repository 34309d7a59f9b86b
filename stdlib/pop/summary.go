package pop

import "fmt"

// String summarises a population (what the REPL and notebooks show): its
// size, initial adoption, the mean initial opinion on the answer scale 0-10
// (as figures show it; the data holds opinion/10) and the means of its
// coefficients.
func (p Population) String() string {
	if len(p) == 0 {
		return "pop.Population: 0 people"
	}
	var a, tau, f, lambda, op, act float64
	for _, x := range p {
		a += x.A
		tau += x.Tau
		f += x.F
		lambda += x.Lambda
		op += x.Opinion0
		act += float64(x.Action0)
	}
	n := float64(len(p))
	return fmt.Sprintf("pop.Population: %d people, initial adoption %.3f, mean opinion %.2f / 10; mean a %.3f, tau %.3f, f %.3f, lambda %.3f",
		len(p), act/n, 10*op/n, a/n, tau/n, f/n, lambda/n)
}
