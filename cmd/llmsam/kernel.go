package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/llmsam/llmsam/runtime/kernel"
	"github.com/llmsam/llmsam/runtime/notebook"
)

const kernelUsage = `usage:
  llmsam kernel install [--user] [--prefix DIR] [--svg]   write the Jupyter kernelspec "llmsam (Go)"
  llmsam kernel CONNECTION_FILE [--svg]                  run the kernel (Jupyter starts it so)
`

// runKernel is `llmsam kernel`: the Jupyter kernel, or its installation.
func runKernel(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "install" {
		fs := flag.NewFlagSet("llmsam kernel install", flag.ContinueOnError)
		user := fs.Bool("user", false, "install for the current user (in the user's Jupyter data directory)")
		prefix := fs.String("prefix", "", "install under `DIR`/share/jupyter (a virtualenv or conda prefix)")
		svg := fs.Bool("svg", false, "send figures that cells return as SVG too")
		fs.Usage = func() { fmt.Fprint(fs.Output(), kernelUsage); fs.PrintDefaults() }
		if code, done := parseFlags(fs, args[1:], stdout, stderr); done {
			return code
		}
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "llmsam kernel install: unexpected argument %q\n", fs.Arg(0))
			return 2
		}
		dir, err := kernel.Install(kernel.InstallOptions{User: *user, Prefix: *prefix, SVG: *svg})
		if err != nil {
			fmt.Fprintln(stderr, "llmsam kernel install:", err)
			return 1
		}
		fmt.Fprintf(stdout, "installed the kernelspec %q (llmsam (Go)) in %s\n", kernel.Name, dir)
		return 0
	}
	fs := flag.NewFlagSet("llmsam kernel", flag.ContinueOnError)
	svg := fs.Bool("svg", false, "send figures that cells return as SVG too")
	fs.Usage = func() { fmt.Fprint(fs.Output(), kernelUsage); fs.PrintDefaults() }
	conn, code, done := parseWithArg(fs, args, stdout, stderr)
	if done {
		return code
	}
	if conn == "" {
		fs.Usage()
		return 2
	}
	if err := kernel.Run(context.Background(), conn, kernel.Options{SVG: *svg}); err != nil {
		fmt.Fprintln(stderr, "llmsam kernel:", err)
		return 1
	}
	return 0
}

// isIPYNB reports whether the arguments of `llmsam run` name a Jupyter notebook.
func isIPYNB(args []string) bool {
	for _, a := range args {
		if strings.HasSuffix(strings.ToLower(a), ".ipynb") && !strings.HasPrefix(a, "-") {
			return true
		}
	}
	return false
}

// runIPYNB is `llmsam run NOTEBOOK.ipynb`: it runs the notebook's code cells
// headless and writes their outputs into it (or into -o FILE).
func runIPYNB(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("llmsam run", flag.ContinueOnError)
	out := fs.String("o", "", "write the executed notebook to `FILE` instead of into NOTEBOOK.ipynb")
	keep := fs.Bool("keep-going", false, "run the cells after a failing one")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: llmsam run NOTEBOOK.ipynb [-o FILE] [-keep-going]")
		fs.PrintDefaults()
	}
	path, code, done := parseWithArg(fs, args, stdout, stderr)
	if done {
		return code
	}
	if *out == "" {
		*out = path
	}
	return executeNotebook(ctx, path, *out, *keep, func(path string, src []byte) (runnable, error) {
		return notebook.ParseIPYNB(path, src)
	}, stdout, stderr)
}
