package protocol

import (
	"strings"
	"testing"

	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// TestUnusableCalibrationIsAnError: a user's scenario whose calibration
// cannot generate a population (means of a, tau and f summing to 0) makes
// Large.Run return an error naming the problem, not panic.
func TestUnusableCalibrationIsAnError(t *testing.T) {
	sc := &scenario.Scenario{
		Name: "mine", Title: "My scenario", Ask: "Will you?",
		Rounds: []scenario.Round{{Name: "initial"}, {Name: "news", Strength: 0.5}},
	}
	var res *LargeResult
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Large.Run panicked: %v", r)
			}
		}()
		res, err = Large{Scenario: sc, Agents: theory.SAM{}, Replicates: 1, Windows: []int{0}}.Run()
	}()
	if err == nil || res != nil {
		t.Fatalf("Large.Run with an empty calibration: result %v, error %v; want an error", res, err)
	}
	if !strings.Contains(err.Error(), "calibration") {
		t.Errorf("error %q does not name the calibration", err)
	}
}
