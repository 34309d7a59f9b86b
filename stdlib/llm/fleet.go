package llm

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// homeTable maps an affinity key (an agent, an archetype) to its home
// endpoint, in proportion to the endpoints' weights, so that the requests
// of one agent or archetype meet the prefix cache they warmed. It is a
// table of slots filled by smooth weighted round robin: a lookup is one
// index, whatever the number of endpoints.
type homeTable struct{ slots []int32 }

// newHomeTable returns the table for the weights (all positive).
func newHomeTable(weights []float64) homeTable {
	n := len(weights)
	size := max(4096, 64*n)
	total := 0.0
	for _, w := range weights {
		total += w
	}
	cur := make([]float64, n)
	slots := make([]int32, size)
	for s := range slots {
		best := 0
		for i, w := range weights {
			cur[i] += w
			if cur[i] > cur[best] {
				best = i
			}
		}
		cur[best] -= total
		slots[s] = int32(best)
	}
	return homeTable{slots}
}

// home returns the home endpoint of key.
func (t homeTable) home(key uint64) int {
	key ^= key >> 33 // spread keys that differ only in high bits
	key *= 0xff51afd7ed558ccd
	key ^= key >> 33
	return int(t.slots[key%uint64(len(t.slots))])
}

// breaker is one endpoint's circuit breaker: after breakAfter failures in a
// row (refused connections, timeouts, 5xx) the endpoint is taken out, and
// it comes back when a health check (GET /models) answers; the checks back
// off from 1 s to 30 s while it stays down. It is not safe for concurrent
// use: the router guards it.
type breaker struct {
	failures int       // in a row
	out      bool      // taken out
	since    time.Time // when it was taken out
	checks   int       // health checks failed since
	last     string    // the failure that took it out
}

// breakAfter is how many failures in a row take an endpoint out.
const breakAfter = 5

// succeeded records an answer.
func (b *breaker) succeeded() { b.failures = 0 }

// failed records a failure and reports whether it took the endpoint out.
func (b *breaker) failed(now time.Time, why string) bool {
	b.failures++
	if b.out || b.failures < breakAfter {
		return false
	}
	b.out, b.since, b.checks, b.last = true, now, 0, why
	return true
}

// nextCheck returns how long to wait before the next health check.
func (b *breaker) nextCheck() time.Duration {
	return min(time.Second<<min(b.checks, 5), 30*time.Second)
}

// restored brings the endpoint back after a health check answered.
func (b *breaker) restored() { b.out, b.failures, b.checks = false, 0, 0 }

// EndpointSpec is one endpoint of a fleet file: a base URL and its weight.
type EndpointSpec struct {
	URL    string
	Weight float64
}

// ReadEndpoints reads a fleet file: one endpoint per line, its base URL
// and optionally a weight (default 1), blank lines and # comments skipped.
// Errors name the file and line.
//
//	# two 8-GPU nodes and a smaller one
//	http://10.0.0.1:8000/v1  2
//	http://10.0.0.2:8000/v1  2
//	http://10.0.0.3:8000/v1
func ReadEndpoints(path string) ([]EndpointSpec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("llm: endpoints file: %w", err)
	}
	defer f.Close()
	var out []EndpointSpec
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		spec := EndpointSpec{URL: fields[0], Weight: 1}
		if !strings.HasPrefix(spec.URL, "http://") && !strings.HasPrefix(spec.URL, "https://") {
			return nil, fmt.Errorf("llm: %s:%d: %q is not an http:// or https:// base URL", path, line, spec.URL)
		}
		switch len(fields) {
		case 1:
		case 2:
			w, err := strconv.ParseFloat(fields[1], 64)
			if err != nil || !(w > 0) || w > 1e6 {
				return nil, fmt.Errorf("llm: %s:%d: weight %q: want a positive number", path, line, fields[1])
			}
			spec.Weight = w
		default:
			return nil, fmt.Errorf("llm: %s:%d: want a URL and an optional weight, got %d fields", path, line, len(fields))
		}
		out = append(out, spec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("llm: %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("llm: %s lists no endpoint", path)
	}
	return out, nil
}

// weightsOf returns the weights of n endpoints: given ones, else 1 each.
func weightsOf(n int, given []float64) ([]float64, error) {
	if len(given) == 0 {
		w := make([]float64, n)
		for i := range w {
			w[i] = 1
		}
		return w, nil
	}
	if len(given) != n {
		return nil, fmt.Errorf("llm: %d weights for %d endpoints", len(given), n)
	}
	for i, w := range given {
		if !(w > 0) {
			return nil, fmt.Errorf("llm: weight %g of endpoint %d: want a positive number", w, i)
		}
	}
	return append([]float64(nil), given...), nil
}

// shares returns each endpoint's share of the weights, sorted by index, for
// tests and reports.
func (t homeTable) shares(n int) []float64 {
	out := make([]float64, n)
	for _, s := range t.slots {
		out[s]++
	}
	for i := range out {
		out[i] /= float64(len(t.slots))
	}
	return out
}
