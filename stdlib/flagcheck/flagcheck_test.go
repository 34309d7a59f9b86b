package flagcheck

import (
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
	if f, _ := ParseFormats("formats", "PNG,.pdf"); strings.Join(f, ",") != "png,pdf" {
		t.Errorf("ParseFormats = %v", f)
	}
}
