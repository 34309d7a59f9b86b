package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/internal/refdata"
)

// TestLargeMainJob runs the README's main job at reduced size and checks it
// writes its figures and run directories.
func TestLargeMainJob(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"large", "-out", out, "-replicates", "2", "-formats", "png,svg"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, f := range []string{"trajectories.png", "trajectories.svg", "final_histograms.png", "network.png", "degree_change.png",
		"runs/BA/window_0/manifest.json", "runs/ER/window_60/trajectories.csv", "runs/WS/window_30/release/seed_1.json"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	if !strings.Contains(stdout.String(), "BA: final adoption") {
		t.Errorf("no summary in output:\n%s", stdout.String())
	}
}

func TestLargeWithReleaseFiles(t *testing.T) {
	ba := refdata.Path(t, "adj_mat", "BA.npy")
	coeff := filepath.Dir(refdata.Path(t, "coeff", "coeff1_3.csv"))
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"large", "-out", out, "-replicates", "1", "-formats", "png", "-coeff", coeff, "-ba", ba}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	man, err := os.ReadFile(filepath.Join(out, "runs/BA/window_0/manifest.json"))
	if err != nil || !strings.Contains(string(man), `"edges": 910`) {
		t.Fatalf("BA run should use the release's 910-edge graph: %v\n%s", err, man)
	}
}

func TestCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"large", "-scenario", "toaster"}, 1, `unknown scenario "toaster"`},
		{[]string{"large", "-nope"}, 2, "flag provided but not defined"},
		{[]string{"large", "-coeff", "/nonexistent"}, 1, "coeff1_3.csv"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr.String(), tc.code, tc.want)
		}
	}
}
