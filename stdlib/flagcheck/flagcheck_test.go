package flagcheck

import (
	"errors"
	"strings"
	"testing"
)

func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string // "" for no error
	}{
		{Count("replicates", 5), ""},
		{Count("replicates", 0), "flag -replicates: 0, want a count of at least 1"},
		{Count("n", -3), "flag -n: -3"},
		{Range("windows", 7, 0, 7), ""},
		{Range("windows", 99, 0, 7), "flag -windows: 99, want 0 to 7"},
		{Formats("formats", "png, PDF,.svg"), ""},
		{Formats("formats", "png,jpgg"), `unknown figure format "jpgg"`},
		{Formats("formats", ","), "no figure format"},
		{OneOf("scenario", "x", "a", "b"), `flag -scenario: "x", want one of a, b`},
		{All(nil, Count("a", 1)), ""},
		{AtLeast("n", 10, 10), ""},
		{Value("scenario", nil), ""},
		{Value("scenario", errors.New(`unknown scenario "x"`)), `flag -scenario: unknown scenario "x"`},
		{AtLeast("n", 9, 10), "flag -n: 9, want at least 10"},
		{Want("val", true, 0.2, "a share in [0, 1)"), ""},
		{Want("val", false, 1.5, "a share in [0, 1)"), "flag -val: 1.5, want a share in [0, 1)"},
		{Want("mode", false, "x", "sam or skip"), `flag -mode: "x", want sam or skip`},
		{Subset("model", "zyc2020, sam", "zyc2020", "sam"), ""},
		{Subset("model", "sam,bogus", "zyc2020", "sam"), `flag -model: "bogus" in "sam,bogus", want some of zyc2020, sam`},
		{Subset("model", ",", "sam"), `flag -model: ",", want some of sam`},
	} {
		switch {
		case tc.want == "" && tc.err != nil:
			t.Errorf("unexpected error %v", tc.err)
		case tc.want != "" && (tc.err == nil || !strings.Contains(tc.err.Error(), tc.want)):
			t.Errorf("error %v, want %q", tc.err, tc.want)
		}
	}
	if err := All(Count("a", 0), Count("b", 0)); err == nil || !strings.Contains(err.Error(), "-a") || !strings.Contains(err.Error(), "-b") {
		t.Errorf("All should report every failed check: %v", err)
	}
	if x, err := ParseFloats("mu", "0, 0.5,1e-3"); err != nil || len(x) != 3 || x[2] != 1e-3 {
		t.Errorf("ParseFloats = %v, %v", x, err)
	}
	if _, err := ParseFloats("mu", "0,x"); err == nil || !strings.Contains(err.Error(), `flag -mu: "x" in "0,x"`) {
		t.Errorf("ParseFloats of a non-number: %v", err)
	}
	if f, _ := ParseFormats("formats", "PNG,.pdf"); strings.Join(f, ",") != "png,pdf" {
		t.Errorf("ParseFormats = %v", f)
	}
}
