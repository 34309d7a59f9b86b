package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKernelCommand(t *testing.T) {
	prefix := t.TempDir()
	code, out, errs := runInterpreted("kernel", "install", "--prefix", prefix)
	spec := filepath.Join(prefix, "share", "jupyter", "kernels", "llmsam", "kernel.json")
	if code != 0 || !strings.Contains(out, "installed the kernelspec") {
		t.Fatalf("kernel install: %d %q %q", code, out, errs)
	}
	if b, err := os.ReadFile(spec); err != nil || !strings.Contains(string(b), `"kernel",`) {
		t.Fatalf("kernel.json: %s %v", b, err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"kernel"}, 2, "llmsam kernel install"},
		{[]string{"kernel", "install", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"kernel", filepath.Join(prefix, "missing.json")}, 1, "missing.json"},
	} {
		code, _, errs := runInterpreted(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("llmsam %s: status %d, stderr %q; want %d and %q", strings.Join(tc.args, " "), code, errs, tc.code, tc.want)
		}
	}
}

func TestRunIPYNB(t *testing.T) {
	dir := t.TempDir()
	nb := filepath.Join(dir, "nb.ipynb")
	os.WriteFile(nb, []byte(`{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": "fmt.Println(6 * 7)"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}`), 0o644)
	out := filepath.Join(dir, "out.ipynb")
	code, stdout, errs := runInterpreted("run", nb, "-o", out)
	if code != 0 || !strings.Contains(stdout, "wrote "+out) {
		t.Fatalf("llmsam run: %d %q %q", code, stdout, errs)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), `"42\n"`) {
		t.Errorf("the output notebook lacks the printed value:\n%s", b)
	}
	os.WriteFile(nb, []byte(`{"cells": [{"cell_type": "code", "source": "x := nope"}], "nbformat": 4, "nbformat_minor": 4}`), 0o644)
	code, _, errs = runInterpreted("run", nb)
	if code != 1 || !strings.Contains(errs, "nb.ipynb: cell 1 (In [1]): cell 1:1:6: undefined: nope") {
		t.Errorf("a failing notebook: status %d, stderr %q", code, errs)
	}
	if b, _ := os.ReadFile(nb); !strings.Contains(string(b), `"output_type": "error"`) {
		t.Errorf("the failing notebook was not written with its error:\n%s", b)
	}
}
