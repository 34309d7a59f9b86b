// Command llmsam simulates how opinions and actions coevolve in social
// networks, with agents driven by theory models or LLMs. It is a
// notebook-style host for Go scripts with the simulation library preloaded.
//
// Usage:
//
//	llmsam                        the interactive REPL
//	llmsam SCRIPT.go [ARGS]       run a script (ARGS are the script's own flags)
//	llmsam run NOTEBOOK.md        run a Markdown notebook's go blocks, write NOTEBOOK.out.md
//	llmsam run NOTEBOOK.ipynb     run a Jupyter notebook headless, outputs written into it
//	llmsam kernel install --user  make llmsam a Jupyter kernel ("llmsam (Go)")
//	llmsam import-batch ...       store batch results in a response cache
//	llmsam merge OUT SHARD_DIR... combine an experiment's shards
//	llmsam version                print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/llmsam/llmsam/runtime/host"
	"github.com/llmsam/llmsam/runtime/notebook"
	"github.com/llmsam/llmsam/runtime/repl"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/llm"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `llmsam: opinion-action coevolution in social networks, scripted in Go

Usage:
  llmsam                         interactive REPL (the simulation packages preloaded)
  llmsam SCRIPT.go [ARGS]        run a Go script; ARGS are the script's own flags
  llmsam run NOTEBOOK.md [FLAGS] run the go blocks of a Markdown notebook and
                                 write NOTEBOOK.out.md with outputs and figures
                                 (-html for a standalone page; -h for flags)
  llmsam run NOTEBOOK.ipynb      run a Jupyter notebook headless; outputs written into it
  llmsam kernel install --user   install the Jupyter kernel "llmsam (Go)"
  llmsam import-batch -cache FILE -model NAME RESULTS.jsonl
                                 store an OpenAI batch's answers in the response
                                 cache the requests were exported with
  llmsam merge OUT SHARD_DIR...  combine the folders of an experiment run with
                                 -shard i/n into the tables and figures of one run
  llmsam version                 print the version and source commit
  llmsam help                    this text

The study's figures: llmsam scripts/large_network.go (see scripts/).
`

// run is main without the exit, for tests.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		if err := repl.Run(repl.Config{Out: stdout}); err != nil {
			fmt.Fprintln(stderr, "llmsam:", err)
			return 1
		}
		return 0
	}
	if args[0] == "kernel" { // before SIGINT ends the process: it interrupts the kernel's cell
		return runKernel(args[1:], stdout, stderr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch cmd := args[0]; {
	case cmd == "run" && isIPYNB(args[1:]):
		return runIPYNB(ctx, args[1:], stdout, stderr)
	case strings.HasSuffix(cmd, ".go"):
		return runScript(ctx, cmd, args[1:], stdout, stderr)
	case cmd == "run":
		return runNotebook(ctx, args[1:], stdout, stderr)
	case cmd == "import-batch":
		return runImportBatch(args[1:], stdout, stderr)
	case cmd == "merge":
		return runMerge(args[1:], stdout, stderr)
	case cmd == "version":
		if len(args) > 1 && isHelp(args[1]) {
			fmt.Fprintln(stdout, "usage: llmsam version\n\nprints the version, the source commit and the Go version")
			return 0
		}
		commit, modified := history.Source()
		if commit == "" {
			commit = "commit unknown"
		} else if modified {
			commit += ", modified"
		}
		fmt.Fprintf(stdout, "llmsam %s (%s, %s)\n", history.Version(), commit, history.GoVersion())
	case cmd == "help" || cmd == "-h" || cmd == "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "llmsam: unknown command %q (a script must end in .go)\n\n%s", cmd, usage)
		return 2
	}
	return 0
}

// runScript runs a script and maps its outcome to an exit status: the
// script's own os.Exit code, 1 for a compile or load error, 2 for a panic
// (as Go does), 130 when interrupted.
func runScript(ctx context.Context, path string, args []string, stdout, stderr io.Writer) int {
	h, err := host.New(host.Options{Stdout: stdout, Stderr: stderr, Args: append([]string{path}, args...)})
	if err != nil {
		fmt.Fprintln(stderr, "llmsam:", err)
		return 1
	}
	err = h.RunFile(ctx, path)
	var exit host.ExitError
	var panicked host.PanicError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.Code
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "interrupted")
		return 130
	case errors.As(err, &panicked):
		fmt.Fprintln(stderr, panicked.Error())
		return 2
	}
	fmt.Fprintln(stderr, err)
	return 1
}

func runNotebook(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("llmsam run", flag.ContinueOnError)
	html := fs.Bool("html", false, "write a standalone HTML page instead of Markdown")
	out := fs.String("o", "", "output file (default NOTEBOOK.out.md or .out.html beside the notebook)")
	keep := fs.Bool("keep-going", false, "run the blocks after a failing one")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: llmsam run NOTEBOOK.md [-html] [-o FILE] [-keep-going]\n       llmsam run NOTEBOOK.ipynb [-o FILE] [-keep-going]")
		fs.PrintDefaults()
	}
	// Accept the notebook before or after the flags.
	path, code, done := parseWithArg(fs, args, stdout, stderr)
	if done {
		return code
	}
	if path == "" {
		fs.Usage()
		return 2
	}
	if *out == "" {
		*out = notebook.OutputPath(path, *html)
	}
	return executeNotebook(ctx, path, *out, *keep, func(path string, src []byte) (runnable, error) {
		return notebook.Parse(path, src)
	}, stdout, stderr)
}

// runnable is what both notebook formats offer: run the cells, write the
// notebook with their outputs.
type runnable interface {
	Run(ctx context.Context, opt notebook.Options) error
	Write(path string) error
}

// executeNotebook reads the notebook at path, parses it with parse, runs
// it and writes it with its outputs to out, even when a cell failed (what
// ran is kept); the exit status is 1 when anything failed.
func executeNotebook(ctx context.Context, path, out string, keep bool, parse func(string, []byte) (runnable, error), stdout, stderr io.Writer) int {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(stderr, "llmsam run:", err)
		return 1
	}
	nb, err := parse(path, src)
	if err != nil {
		fmt.Fprintln(stderr, "llmsam run:", err)
		return 1
	}
	runErr := nb.Run(ctx, notebook.Options{KeepGoing: keep})
	if err := nb.Write(out); err != nil {
		fmt.Fprintln(stderr, "llmsam run:", err)
		return 1
	}
	fmt.Fprintln(stdout, "wrote", out)
	if runErr != nil {
		fmt.Fprintln(stderr, runErr)
		return 1
	}
	return 0
}

// runImportBatch stores the answers of an OpenAI batch (or `vllm
// run-batch`) results file in the cache the requests were exported with.
func runImportBatch(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("llmsam import-batch", flag.ContinueOnError)
	cache := fs.String("cache", "", "the cache file the batch was exported with (required)")
	model := fs.String("model", "", "the model of the batch (required)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: llmsam import-batch -cache FILE -model NAME RESULTS.jsonl")
		fs.PrintDefaults()
	}
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() != 1 || *cache == "" || *model == "" {
		fs.Usage()
		return 2
	}
	stored, failed, err := llm.ImportBatch(llm.Config{Model: *model, CachePath: *cache}, fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "llmsam import-batch:", err)
		return 1
	}
	fmt.Fprintf(stdout, "stored %d answers in %s (%d lines carried errors); run the script again to continue\n", stored, *cache, failed)
	return 0
}
