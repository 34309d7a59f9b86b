package agent

import "sync"

// Stream is a small counter-based random generator (SplitMix64, Steele, Lea
// and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
// Streams are cheap values: one per agent per step costs no allocation.
type Stream struct{ s uint64 }

// NewStream returns the stream for (seed, step, agent).
func NewStream(seed uint64, step, agent int) Stream { return StreamAt(StepKey(seed, step), agent) }

// StepKey hashes (seed, step) once so that a hot loop can derive every
// agent's stream with StreamAt(key, agent), the same as NewStream.
func StepKey(seed uint64, step int) uint64 { return mix(mix(seed) ^ uint64(step)) }

// StreamAt returns agent's stream for a step key from StepKey.
func StreamAt(key uint64, agent int) Stream { return Stream{s: mix(key ^ uint64(agent))} }

// Uint64 returns a uniformly distributed 64-bit value.
func (s *Stream) Uint64() uint64 {
	s.s += 0x9e3779b97f4a7c15
	return mix(s.s)
}

// Float64 returns a uniform value in [0, 1).
func (s *Stream) Float64() float64 { return float64(s.Uint64()>>11) / (1 << 53) }

// IntN returns a uniform integer in [0, n); n must be positive.
func (s *Stream) IntN(n int) int { return int(s.Uint64() % uint64(n)) }

func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// ParallelFor calls body on consecutive chunks [lo, hi) covering [0, n), on
// up to workers goroutines. Chunks are fixed by n and workers, and body must
// only write to its own chunk, so results do not depend on scheduling. A
// panic in body is re-raised in the caller's goroutine, where the engine
// turns it into an error, instead of crashing the process.
func ParallelFor(n, workers int, body func(lo, hi int)) {
	if workers <= 1 || n < 4096 {
		body(0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var (
		wg       sync.WaitGroup
		once     sync.Once
		panicked any
	)
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { panicked = r })
				}
			}()
			body(lo, hi)
		}()
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}
