package agent

import (
	"math"
	"testing"
)

func TestStreamsAreReproducibleAndIndependent(t *testing.T) {
	a, b := NewStream(1, 2, 3), NewStream(1, 2, 3)
	if a.Uint64() != b.Uint64() {
		t.Fatal("same (seed, step, agent) must give the same stream")
	}
	if StreamAt(StepKey(1, 2), 3) != NewStream(1, 2, 3) {
		t.Fatal("StreamAt(StepKey) must equal NewStream")
	}
	seen := map[uint64]bool{}
	for seed := range 4 {
		for step := range 10 {
			for ag := range 100 {
				s := NewStream(uint64(seed), step, ag)
				v := s.Uint64()
				if seen[v] {
					t.Fatalf("streams (%d,%d,%d) collide", seed, step, ag)
				}
				seen[v] = true
			}
		}
	}
	// Uniformity: mean and variance of Float64 over many agents.
	n := 200000
	sum, sq := 0.0, 0.0
	for i := range n {
		s := NewStream(7, 1, i)
		u := s.Float64()
		sum += u
		sq += u * u
	}
	mean, v := sum/float64(n), sq/float64(n)-sum*sum/float64(n*n)
	if math.Abs(mean-0.5) > 0.005 || math.Abs(v-1.0/12) > 0.002 {
		t.Fatalf("Float64 mean %g var %g, want 1/2 and 1/12", mean, v)
	}
}

func TestParallelForCoversAndRepanics(t *testing.T) {
	n := 100000
	hit := make([]int, n)
	ParallelFor(n, 4, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			hit[i]++
		}
	})
	for i, h := range hit {
		if h != 1 {
			t.Fatalf("index %d visited %d times", i, h)
		}
	}
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v, want the goroutine's panic re-raised", r)
		}
	}()
	ParallelFor(n, 4, func(lo, hi int) {
		if lo > 0 {
			panic("boom")
		}
	})
}
