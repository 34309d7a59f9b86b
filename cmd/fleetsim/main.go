// Command fleetsim serves a simulated fleet of OpenAI-compatible endpoints
// on loopback ports (package stdlib/fleetsim): each answers -slots
// requests at once after -latency, in the LLM agents' JSON format. It
// prints the endpoints' base URLs, one per line, then "ready", and serves
// until its standard input closes (or, with -stdin=false, until it is
// interrupted); it then prints how many completions it served and the CPU
// time it used.
//
//	go run ./cmd/fleetsim -endpoints 64 -slots 128 -latency 200ms
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/llmsam/llmsam/stdlib/fleetsim"
)

func main() {
	var opts fleetsim.Options
	flag.IntVar(&opts.Endpoints, "endpoints", 64, "number of endpoints")
	flag.IntVar(&opts.Slots, "slots", 128, "requests each endpoint answers at once")
	flag.DurationVar(&opts.Latency, "latency", 200*time.Millisecond, "time to answer a request once it has a slot")
	flag.StringVar(&opts.Model, "model", "", "model name the endpoints list (default none: clients take any model)")
	urls := flag.Bool("comma", false, "print the URLs on one line, comma-separated")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the simulator to this file")
	watchStdin := flag.Bool("stdin", true, "stop when standard input closes (set false to serve until interrupted)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "fleetsim: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	if opts.Endpoints < 1 || opts.Slots < 1 || opts.Latency < 0 {
		fmt.Fprintf(os.Stderr, "fleetsim: -endpoints %d -slots %d -latency %v: want at least one endpoint and slot, latency >= 0\n", opts.Endpoints, opts.Slots, opts.Latency)
		os.Exit(2)
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fleetsim:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	fleet, err := fleetsim.Start(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	if *urls {
		fmt.Fprintln(out, strings.Join(fleet.URLs(), ","))
	} else {
		for _, u := range fleet.URLs() {
			fmt.Fprintln(out, u)
		}
	}
	fmt.Fprintln(out, "ready")
	out.Flush()

	done := make(chan struct{})
	if *watchStdin {
		go func() {
			io.Copy(io.Discard, os.Stdin)
			close(done)
		}()
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	select {
	case <-done:
	case <-sig:
	}
	fleet.Close()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	fmt.Fprintf(os.Stderr, "fleetsim: served %d completions on %d endpoints, CPU %.2f s, peak RSS %d MB\n",
		fleet.Served(), opts.Endpoints, cpu.Seconds(), ru.Maxrss/1024)
}
