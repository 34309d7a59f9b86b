package metrics

import (
	"fmt"
	"math"
	"slices"

	"github.com/llmsam/llmsam/stdlib/agent"
)

// Distance compares two states of the same agents (for instance LLM agents
// and the theory model on the same population at the same step).
type Distance struct {
	OpinionMAE      float64 // mean |o_a - o_b| on the 0-10 answer scale
	OpinionRMSE     float64 // root mean square difference on the 0-10 scale
	ActionAgreement float64 // share of agents taking the same action
	AdoptionError   float64 // |adoption_a - adoption_b|
	JS              float64 // Jensen-Shannon divergence (bits) between 11-bin opinion histograms
	// W1 is the Wasserstein-1 distance between the two raw opinion
	// distributions on the 0-10 scale (the mean gap between sorted
	// opinions): unlike the histograms, it sees differences within a bin,
	// which theory opinions off the answer grid have.
	W1         float64
	GapA, GapB float64 // value-action gap share of each state
}

// Compare computes the distance between two states of the same size.
func Compare(a, b *agent.State) (Distance, error) {
	if a.N() != b.N() {
		return Distance{}, fmt.Errorf("compare: %d agents against %d", a.N(), b.N())
	}
	var d Distance
	n := a.N()
	if n == 0 {
		return d, nil
	}
	for i := range n {
		diff := 10 * (a.Opinion[i] - b.Opinion[i])
		d.OpinionMAE += math.Abs(diff)
		d.OpinionRMSE += diff * diff
		if a.Action[i] == b.Action[i] {
			d.ActionAgreement++
		}
	}
	fn := float64(n)
	d.OpinionMAE /= fn
	d.OpinionRMSE = math.Sqrt(d.OpinionRMSE / fn)
	d.ActionAgreement /= fn
	sa, sb := Of(a, nil), Of(b, nil)
	d.AdoptionError = math.Abs(sa.Adoption - sb.Adoption)
	d.JS = JensenShannon(sa.Hist[:], sb.Hist[:])
	d.W1 = WassersteinRaw(a.Opinion, b.Opinion)
	d.GapA, d.GapB = sa.Gap, sb.Gap
	return d, nil
}

// JensenShannon returns the Jensen-Shannon divergence in bits between two
// histograms (normalised here), in [0, 1] (Lin, IEEE Trans. Inf. Theory 37,
// 145, 1991).
func JensenShannon(p, q []float64) float64 {
	p, q = normalise(p), normalise(q)
	kl := func(x, m []float64) float64 {
		s := 0.0
		for i := range x {
			if x[i] > 0 {
				s += x[i] * math.Log2(x[i]/m[i])
			}
		}
		return s
	}
	m := make([]float64, len(p))
	for i := range m {
		m[i] = (p[i] + q[i]) / 2
	}
	return max(0, (kl(p, m)+kl(q, m))/2)
}

// WassersteinRaw returns the Wasserstein-1 distance, on the 0-10 scale,
// between the empirical distributions of two equally long samples of
// opinions in [0,1]: the mean absolute difference of the sorted values.
func WassersteinRaw(a, b []float64) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return math.NaN()
	}
	sa, sb := slices.Clone(a), slices.Clone(b)
	slices.Sort(sa)
	slices.Sort(sb)
	w := 0.0
	for i := range sa {
		w += math.Abs(sa[i] - sb[i])
	}
	return 10 * w / float64(len(sa))
}

// Wasserstein1 returns the earth mover's distance between two histograms on
// the points 0, 1, ..., len-1 (the 0-10 answer scale): the sum of absolute
// differences of their cumulative distributions.
func Wasserstein1(p, q []float64) float64 {
	p, q = normalise(p), normalise(q)
	w, cp, cq := 0.0, 0.0, 0.0
	for i := 0; i < len(p)-1; i++ {
		cp += p[i]
		cq += q[i]
		w += math.Abs(cp - cq)
	}
	return w
}

func normalise(h []float64) []float64 {
	s := 0.0
	for _, v := range h {
		s += v
	}
	out := make([]float64, len(h))
	if s == 0 {
		return out
	}
	for i, v := range h {
		out[i] = v / s
	}
	return out
}
