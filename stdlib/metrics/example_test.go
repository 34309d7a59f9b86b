package metrics_test

import (
	"fmt"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/metrics"
)

// Most people privately support the option yet most do not adopt it: an
// unpopular norm, and a large value-action gap.
func ExampleOf() {
	s := &agent.State{
		Opinion: []float64{0.8, 0.7, 0.9, 0.6, 0.2},
		Action:  []uint8{0, 0, 1, 0, 0},
	}
	m := metrics.Of(s, nil)
	fmt.Printf("adoption %.1f, support %.1f, gap %.1f, unpopular-norm index %.1f\n",
		m.Adoption, m.Support, m.Gap, m.UnpopularNorm)
	// Output: adoption 0.2, support 0.8, gap 0.6, unpopular-norm index 0.6
}
