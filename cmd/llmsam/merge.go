package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/experiment"
)

// runMerge combines the folders of an experiment's shards into OUT: the
// tables (experiment.Merge) and the figures listed in figures.json, redrawn
// from the merged runs table, the same files the unsharded run writes.
func runMerge(args []string, stdout, stderr io.Writer) int {
	const mergeUsage = "usage: llmsam merge OUT SHARD_DIR...\n\ncombines the folders of an experiment run with -shard i/n (every i of n) into OUT"
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, mergeUsage)
		return 0
	}
	if len(args) < 2 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && strings.HasPrefix(args[0], "-") {
			fmt.Fprintf(stderr, "llmsam merge: flag provided but not defined: %s\n", args[0])
		}
		fmt.Fprintln(stderr, mergeUsage)
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
