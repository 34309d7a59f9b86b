package history

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

func TestSourceCommit(t *testing.T) {
	want, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not in a git checkout with git installed: %v", err)
	}
	commit, _ := Source()
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(commit) || commit != strings.TrimSpace(string(want)) {
		t.Fatalf("Source() commit %q, want %q", commit, strings.TrimSpace(string(want)))
	}
}
