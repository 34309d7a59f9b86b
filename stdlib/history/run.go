package history

import (
	"fmt"
	"math"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/metrics"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
)

// Trajectory is one replicate: the state at each step, step 0 first.
type Trajectory struct {
	Replicate int
	Seed      uint64
	States    []*agent.State
	// Usage holds what each agent's answers cost per step (LLM agents);
	// nil for theory models.
	Usage []agent.Usage
}

// Run is the record of a study: its manifest, population, network and
// replicates.
type Run struct {
	Manifest   Manifest
	People     pop.Population
	Network    netw.Network
	Replicates []*Trajectory
}

// Steps returns the number of recorded steps (including step 0).
func (r *Run) Steps() int {
	if len(r.Replicates) == 0 {
		return 0
	}
	return len(r.Replicates[0].States)
}

// Final returns the last state of replicate 0, the usual one to draw.
func (r *Run) Final() *agent.State { return r.FinalOf(0) }

// FinalOf returns the last state of replicate rep.
func (r *Run) FinalOf(rep int) *agent.State {
	s := r.Replicates[rep].States
	return s[len(s)-1]
}

// Metrics returns the metrics of every replicate at every step:
// Metrics()[rep][step].
func (r *Run) Metrics() [][]metrics.Snapshot {
	out := make([][]metrics.Snapshot, len(r.Replicates))
	for k, tr := range r.Replicates {
		out[k] = make([]metrics.Snapshot, len(tr.States))
		for t, s := range tr.States {
			var g *netw.Graph
			if r.Network != nil {
				g = r.Network.At(t)
			}
			out[k][t] = metrics.Of(s, g)
		}
	}
	return out
}

// Band returns, per step, the mean and the standard deviation over replicates
// of one metric, e.g. Band(Adoption).
func (r *Run) Band(f func(metrics.Snapshot) float64) (mean, sd []float64) {
	return BandOf(r.Metrics(), f)
}

// BandOf is Band over precomputed metrics ([rep][step]), possibly pooled from
// several runs with the same number of steps.
func BandOf(m [][]metrics.Snapshot, f func(metrics.Snapshot) float64) (mean, sd []float64) {
	if len(m) == 0 {
		return nil, nil
	}
	steps := len(m[0])
	mean, sd = make([]float64, steps), make([]float64, steps)
	for t := range steps {
		sum, sq, k := 0.0, 0.0, 0.0
		for _, rep := range m {
			if t >= len(rep) {
				continue
			}
			v := f(rep[t])
			if math.IsNaN(v) {
				continue
			}
			sum += v
			sq += v * v
			k++
		}
		if k == 0 {
			mean[t], sd[t] = math.NaN(), math.NaN()
			continue
		}
		mean[t] = sum / k
		sd[t] = math.Sqrt(max(0, sq/k-mean[t]*mean[t]))
	}
	return mean, sd
}

// Adoption selects the adoption rate of a snapshot (for Band).
func Adoption(m metrics.Snapshot) float64 { return m.Adoption }

// MeanOpinion selects the mean opinion of a snapshot (for Band).
func MeanOpinion(m metrics.Snapshot) float64 { return m.MeanOpinion }

// VarOpinion selects the opinion variance of a snapshot (for Band).
func VarOpinion(m metrics.Snapshot) float64 { return m.VarOpinion }

// Support selects the share of agents with opinion above 1/2 (for Band).
func Support(m metrics.Snapshot) float64 { return m.Support }

// Gap selects the value-action gap share of a snapshot (for Band).
func Gap(m metrics.Snapshot) float64 { return m.Gap }

// Compare returns, per step, the distance between two runs of the same
// agents averaged over the replicates they share (replicate k against k).
func Compare(a, b *Run) ([]metrics.Distance, error) {
	reps := min(len(a.Replicates), len(b.Replicates))
	if reps == 0 {
		return nil, fmt.Errorf("compare: a run has no replicates")
	}
	steps := min(a.Steps(), b.Steps())
	out := make([]metrics.Distance, steps)
	for t := range steps {
		var acc metrics.Distance
		for k := range reps {
			d, err := metrics.Compare(a.Replicates[k].States[t], b.Replicates[k].States[t])
			if err != nil {
				return nil, fmt.Errorf("step %d replicate %d: %w", t, k, err)
			}
			acc.OpinionMAE += d.OpinionMAE
			acc.OpinionRMSE += d.OpinionRMSE
			acc.ActionAgreement += d.ActionAgreement
			acc.AdoptionError += d.AdoptionError
			acc.JS += d.JS
			acc.W1 += d.W1
			acc.GapA += d.GapA
			acc.GapB += d.GapB
		}
		f := float64(reps)
		out[t] = metrics.Distance{
			OpinionMAE: acc.OpinionMAE / f, OpinionRMSE: acc.OpinionRMSE / f,
			ActionAgreement: acc.ActionAgreement / f, AdoptionError: acc.AdoptionError / f,
			JS: acc.JS / f, W1: acc.W1 / f, GapA: acc.GapA / f, GapB: acc.GapB / f,
		}
	}
	return out, nil
}
