package plots

import "testing"

// TestIntegerTicksReadable: a long run's step axis has at most 11 labels,
// at round steps, and its ticks stay apart.
func TestIntegerTicksReadable(t *testing.T) {
	for _, tc := range []struct {
		max       float64
		labels    int
		firstStep string
	}{{5, 6, "1"}, {10, 11, "1"}, {30, 7, "5"}, {200, 11, "20"}, {1000, 11, "100"}} {
		ticks := integerTicks{}.Ticks(0, tc.max)
		var labels []string
		for _, k := range ticks {
			if k.Label != "" {
				labels = append(labels, k.Label)
			}
		}
		if len(labels) != tc.labels || labels[1] != tc.firstStep || len(ticks) > 61 {
			t.Errorf("0..%g: %d ticks, labels %v; want %d labels stepping by %s", tc.max, len(ticks), labels, tc.labels, tc.firstStep)
		}
	}
}
