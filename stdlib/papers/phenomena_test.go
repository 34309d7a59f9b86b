package papers

import (
	"errors"
	"testing"

	"github.com/llmsam/llmsam/stdlib/sim"
)

// TestZYC2020Phenomena reproduces the regimes of Zino, Ye and Cao (2020) on
// the paper's set-up (fresh random regular layers and a random innovator per
// run, 4 n^2 ticks), 20 runs per point: a paradigm shift at lambda 0.9, mu 0
// (adoption and opinions cross one half); an unpopular norm at lambda 0.2,
// mu 0 (opinions move past one half, the status-quo action survives); the
// status quo at lambda 0.5, mu 0.004 (observed actions hold opinions back).
func TestZYC2020Phenomena(t *testing.T) {
	lambdas, mus := []float64{0.2, 0.5, 0.9}, []float64{0, 0.004}
	rows, err := Chaos2020Sweep(Chaos2020Defaults(0, 0), lambdas, mus, 20, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	ad, op := Chaos2020Means(rows, lambdas, mus)
	t.Logf("mean final adoption (rows mu 0, 0.004; columns lambda 0.2, 0.5, 0.9): %.3f", ad)
	t.Logf("mean final opinion: %.3f", op)
	if ad[0][2] <= 0.5 || op[0][2] <= 0.5 {
		t.Errorf("lambda 0.9, mu 0: adoption %.3f, opinion %.3f; want a paradigm shift (both above 1/2)", ad[0][2], op[0][2])
	}
	if ad[0][0] >= 0.5 || op[0][0] <= 0.5 {
		t.Errorf("lambda 0.2, mu 0: adoption %.3f, opinion %.3f; want an unpopular norm (adoption below, opinion above 1/2)", ad[0][0], op[0][0])
	}
	if ad[1][1] >= 0.5 {
		t.Errorf("lambda 0.5, mu 0.004: adoption %.3f; want the status quo (below 1/2)", ad[1][1])
	}
}

// TestTAC2023PolarizationOutcome: from the paper's moderate opinions with
// one dissenter per community, each community ends unanimous on its own side,
// on the paper's network (when its data are present) and on two generated
// communities.
func TestTAC2023PolarizationOutcome(t *testing.T) {
	polarized := func(t *testing.T, s sim.Study) {
		t.Helper()
		run, err := sim.Run(s)
		if err != nil {
			t.Fatal(err)
		}
		last := run.Final()
		for i := range 20 {
			side := i < 10
			if (last.Action[i] == 1) != side || (last.Opinion[i] > 0.5) != side {
				t.Fatalf("%s: agent %d ends at o %.2f x %d; want community %d on its side", s.Name, i, last.Opinion[i], last.Action[i], i/10+1)
			}
		}
	}
	t.Run("paper", func(t *testing.T) {
		s, err := TAC2023Polarization(reference)
		if errors.Is(err, ErrNoData) {
			t.Skipf("the paper's network is not checked: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		polarized(t, s)
	})
	t.Run("generated", func(t *testing.T) {
		for seed := range uint64(10) {
			s, err := TAC2023PolarizationGenerated(seed)
			if err != nil {
				t.Fatal(err)
			}
			polarized(t, s)
		}
	})
}
