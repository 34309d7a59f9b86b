package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeShards runs examples/experiment.go whole and as three shards
// (one streamed) and checks that `llmsam merge` gives the same files, the
// figures included, byte for byte.
func TestMergeShards(t *testing.T) {
	script := filepath.Join(root(t), "examples", "experiment.go")
	for _, agents := range []string{"csv", "parquet"} {
		base := t.TempDir()
		args := func(out string, more ...string) []string {
			return append([]string{script, "-out", out, "-n", "30", "-replicates", "2", "-agents", agents}, more...)
		}
		whole := filepath.Join(base, "whole")
		if code, _, stderr := runInterpreted(args(whole)...); code != 0 {
			t.Fatalf("whole run: exit %d\n%s", code, stderr)
		}
		var shards []string
		for i, spec := range []string{"1/3", "2/3", "3/3"} {
			dir := filepath.Join(base, "shard"+spec[:1])
			more := []string{"-shard", spec}
			if i == 1 {
				more = append(more, "-stream")
			}
			code, stdout, stderr := runInterpreted(args(dir, more...)...)
			if code != 0 {
				t.Fatalf("shard %s: exit %d\n%s", spec, code, stderr)
			}
			if !strings.Contains(stdout, "shard "+spec+": 30 runs (15 of 45 points x 2 replicates)") {
				t.Fatalf("shard %s ran another share:\n%s", spec, stdout)
			}
			shards = append(shards, dir)
		}
		merged := filepath.Join(base, "merged")
		code, stdout, stderr := runInterpreted(append([]string{"merge", merged}, shards...)...)
		if code != 0 || !strings.Contains(stdout, "merged 3 shards") {
			t.Fatalf("merge: exit %d\n%s%s", code, stdout, stderr)
		}
		want, got := dirFiles(t, whole), dirFiles(t, merged)
		if len(want) != len(got) || len(want) < 7 {
			t.Fatalf("%d files merged, %d in the whole run", len(got), len(want))
		}
		for name, b := range want {
			if !bytes.Equal(b, got[name]) {
				t.Errorf("%s: %s differs between the merged shards and the whole run", agents, name)
			}
		}
		if code, _, stderr := runInterpreted("merge", filepath.Join(base, "bad"), shards[0], shards[0], shards[2]); code != 1 || !strings.Contains(stderr, "are both shard 1/3") {
			t.Fatalf("merging a shard twice: exit %d, %s", code, stderr)
		}
	}
}

func dirFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}
