// Package refdata locates the LLM-SAM release's reference files for tests.
// They live outside the project, in ../shared/reference/llmsam beside the
// repository root (or wherever LLMSAM_REFERENCE points); tests that need them
// skip with a message when they are absent. The files are never copied into
// the tree.
package refdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the reference folder, or "" when it cannot be found.
func Dir() string {
	if d := os.Getenv("LLMSAM_REFERENCE"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			ref := filepath.Join(d, "..", "shared", "reference", "llmsam")
			if _, err := os.Stat(ref); err == nil {
				return ref
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Path returns the path of a reference file, skipping the test with a clear
// message when the reference folder or the file is absent.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	dir := Dir()
	if dir == "" {
		t.Skip("reference data not found: expected ../shared/reference/llmsam beside the repository (or set LLMSAM_REFERENCE)")
	}
	p := filepath.Join(append([]string{dir}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("reference file %s not found: %v", p, err)
	}
	return p
}
