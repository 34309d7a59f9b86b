package metrics

import (
	"math"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/netw"
)

// Snapshot holds the metrics of one state.
type Snapshot struct {
	Adoption    float64     // share of agents with action 1
	MeanOpinion float64     // mean opinion in [0,1]
	VarOpinion  float64     // population variance of opinions
	Hist        [11]float64 // share of agents per answer 0..10 (opinion rounded to a tenth)
	Support     float64     // share of agents with opinion > 1/2 (the neutral answer 5, o = 1/2, does not count)
	// GapHigh is the share with o >= 0.6 that do not adopt, GapLow the share
	// with o < 0.4 that adopt; Gap is their sum: the value-action gap.
	GapHigh, GapLow, Gap float64
	// UnpopularNorm is |Support - Adoption| when the majority action
	// disagrees with the majority private opinion (one side of 1/2 each),
	// and 0 otherwise: how strongly people act against what most think.
	// Neutral answers (o = 1/2, the answer 5) count as not supporting the
	// new option: a population of neutral non-adopters shows no unpopular
	// norm, neutral adopters count as acting against the majority opinion.
	UnpopularNorm float64
	Extremes      float64 // share with o <= 0.1 or o >= 0.9
	Bimodality    float64 // Sarle's bimodality coefficient; > 5/9 suggests two modes
	// Assortativity is the Pearson correlation of opinions at the two ends
	// of the graph's edges (NaN without a graph or without variance).
	Assortativity float64
}

// Bin returns the histogram bin (answer 0..10) of an opinion.
func Bin(o float64) int { return min(max(int(math.Round(o*10)), 0), 10) }

// Of computes the snapshot of a state; g may be nil (Assortativity is NaN).
func Of(s *agent.State, g *netw.Graph) Snapshot {
	var m Snapshot
	n := s.N()
	if n == 0 {
		return m
	}
	fn := float64(n)
	for i, o := range s.Opinion {
		x := s.Action[i]
		m.Adoption += float64(x)
		m.MeanOpinion += o
		m.Hist[Bin(o)]++
		if o > 0.5 {
			m.Support++
		}
		if o >= 0.6-1e-9 && x == 0 {
			m.GapHigh++
		}
		if o < 0.4-1e-9 && x == 1 {
			m.GapLow++
		}
		if o <= 0.1+1e-9 || o >= 0.9-1e-9 {
			m.Extremes++
		}
	}
	m.Adoption /= fn
	m.MeanOpinion /= fn
	m.Support /= fn
	m.GapHigh /= fn
	m.GapLow /= fn
	m.Gap = m.GapHigh + m.GapLow
	m.Extremes /= fn
	for k := range m.Hist {
		m.Hist[k] /= fn
	}
	m.VarOpinion = variance(s.Opinion, m.MeanOpinion)
	if (m.Adoption > 0.5 && m.Support < 0.5) || (m.Adoption < 0.5 && m.Support > 0.5) {
		m.UnpopularNorm = math.Abs(m.Support - m.Adoption)
	}
	m.Bimodality = Bimodality(s.Opinion)
	m.Assortativity = math.NaN()
	if g != nil {
		m.Assortativity = Assortativity(g, s.Opinion)
	}
	return m
}

func variance(x []float64, mean float64) float64 {
	v := 0.0
	for _, o := range x {
		v += (o - mean) * (o - mean)
	}
	return v / float64(len(x))
}

// Bimodality returns Sarle's bimodality coefficient
// BC = (g^2 + 1) / (k + 3(n-1)^2 / ((n-2)(n-3))) with g the sample skewness
// and k the sample excess kurtosis (both bias-corrected, as SAS computes
// them). It is 1/3 for a normal sample, 5/9 for a uniform one and tends to 1
// for two point masses; NaN for fewer than 4 values or no variance.
func Bimodality(x []float64) float64 {
	n := float64(len(x))
	if n < 4 {
		return math.NaN()
	}
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= n
	var m2, m3, m4 float64
	for _, v := range x {
		d := v - mean
		m2 += d * d
		m3 += d * d * d
		m4 += d * d * d * d
	}
	m2, m3, m4 = m2/n, m3/n, m4/n
	if m2 == 0 {
		return math.NaN()
	}
	g1 := m3 / math.Pow(m2, 1.5)
	k1 := m4/(m2*m2) - 3
	g := g1 * math.Sqrt(n*(n-1)) / (n - 2)
	k := (n - 1) / ((n - 2) * (n - 3)) * ((n+1)*k1 + 6)
	return (g*g + 1) / (k + 3*(n-1)*(n-1)/((n-2)*(n-3)))
}

// Assortativity returns the Pearson correlation between the opinions at the
// two ends of every edge (each undirected edge counted in both directions,
// Newman, "Mixing patterns in networks", Phys. Rev. E 67, 026126, 2003).
// Positive values mean like-minded agents are linked: echo chambers.
func Assortativity(g *netw.Graph, o []float64) float64 {
	var sx, sy, sxx, syy, sxy, cnt float64
	for i := range g.N() {
		for _, j := range g.Neighbors(i) {
			a, b := o[i], o[j]
			sx += a
			sy += b
			sxx += a * a
			syy += b * b
			sxy += a * b
			cnt++
		}
	}
	if cnt == 0 {
		return math.NaN()
	}
	cov := sxy/cnt - sx/cnt*sy/cnt
	va := sxx/cnt - sx/cnt*sx/cnt
	vb := syy/cnt - sy/cnt*sy/cnt
	if va <= 1e-15 || vb <= 1e-15 {
		return math.NaN()
	}
	return cov / math.Sqrt(va*vb)
}

// ParadigmShift reports whether a trajectory shows a paradigm shift in
// both layers: the adoption rate crosses 1/2 from below (starts below, ends
// above) and so does the mean opinion. A population that already supported
// the new option and only catches up in action is not a paradigm shift.
func ParadigmShift(adoption, meanOpinion []float64) bool {
	if len(adoption) < 2 || len(meanOpinion) != len(adoption) {
		return false
	}
	last := len(adoption) - 1
	return adoption[0] < 0.5 && adoption[last] > 0.5 &&
		meanOpinion[0] < 0.5 && meanOpinion[last] > 0.5
}
