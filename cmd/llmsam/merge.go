package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/experiment"
)

// runMerge combines the folders of an experiment's shards into OUT: the
// tables (experiment.Merge) and the figures listed in figures.json, redrawn
// from the merged runs table, the same files the unsharded run writes.
func runMerge(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: llmsam merge OUT SHARD_DIR...\n\ncombines the folders of an experiment run with -shard i/n (every i of n) into OUT")
		return 2
	}
	out, shards := args[0], args[1:]
	if err := experiment.Merge(out, shards...); err != nil {
		fmt.Fprintln(stderr, "llmsam", err) // Merge's errors start with "merge:"
		return 1
	}
	figs := 0
	if _, err := os.Stat(filepath.Join(out, "figures.json")); err == nil {
		paths, err := plots.DrawParamFigures(out)
		if err != nil {
			fmt.Fprintln(stderr, "llmsam merge:", err)
			return 1
		}
		figs = len(paths)
	}
	fmt.Fprintf(stdout, "merged %d shards into %s (%d figures)\n", len(shards), out, figs)
	return 0
}
