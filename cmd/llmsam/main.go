// Command llmsam simulates how opinions and actions coevolve in social
// networks, with agents driven by theory models or LLMs.
//
// Usage:
//
//	llmsam large [flags]    run the 101-agent BA/WS/ER study and write its figures and runs
//	llmsam version          print the version
//
// Run "llmsam large -h" for the flags.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/llmsam/llmsam/stdlib/history"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `llmsam: opinion-action coevolution in social networks

Usage:
  llmsam large [flags]    run the 101-agent BA/WS/ER study with theory agents,
                          write its figures and run directories (no server, no data)
  llmsam version          print the version

Run "llmsam COMMAND -h" for a command's flags.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	switch args[0] {
	case "large":
		err = runLarge(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "llmsam %s (%s)\n", history.Version(), history.GoVersion())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "llmsam: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "llmsam %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

var errUsage = errors.New("usage")
