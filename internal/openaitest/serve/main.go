// Command serve runs the project's OpenAI-compatible test server on
// loopback, with faults injected at the given rates, so that what a run
// does against a failing server can be seen from the command line:
//
//	go run ./internal/openaitest/serve -addr 127.0.0.1:8089 -429 0.05 -500 0.05 -drop 0.02 -garbage 0.05
//
// On SIGINT or SIGTERM it prints how many requests it got and how many
// faults of each kind it injected, then exits.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/llmsam/llmsam/internal/openaitest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8089", "loopback address to listen on")
	key := flag.String("api-key", "", "require this key (a wrong one gets 401)")
	models := flag.String("models", "test-model", "comma-separated models to list and accept (others get 404)")
	slots := flag.Int("slots", 0, "answer /props with this many slots, as llama-server does")
	ctxWords := flag.Int("context", 0, "answer 400 to prompts longer than this many words")
	latency := flag.Duration("latency", 0, "time to answer each request")
	capacity := flag.Int("capacity", 0, "requests answered at once (0: unlimited)")
	rates := map[openaitest.Fault]*float64{
		openaitest.TooMany:     flag.Float64("429", 0, "share of requests answered 429"),
		openaitest.ServerError: flag.Float64("500", 0, "share of requests answered 500 (once)"),
		openaitest.Drop:        flag.Float64("drop", 0, "share of requests whose connection is dropped"),
		openaitest.Hang:        flag.Float64("hang", 0, "share of requests never answered"),
		openaitest.Garbage:     flag.Float64("garbage", 0, "share of answers without any JSON (every try)"),
		openaitest.Truncated:   flag.Float64("truncated", 0, "share of answers cut off (every try)"),
	}
	repeat := flag.Bool("repeat-500", false, "answer the same 500 twice to the same request")
	times := flag.Int("times", 1, "attempts of a request that get its 429, 500, drop or hang (the rest are answered)")
	flag.Parse()
	if host, _, err := net.SplitHostPort(*addr); err != nil || !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(os.Stderr, "serve: -addr %q: want a loopback address such as 127.0.0.1:8089\n", *addr)
		os.Exit(2)
	}
	opts := openaitest.Options{Addr: *addr, APIKey: *key, Models: strings.Split(*models, ","), Slots: *slots,
		Context: *ctxWords, Latency: *latency, Capacity: *capacity}
	for _, f := range []openaitest.Fault{openaitest.TooMany, openaitest.ServerError, openaitest.Drop, openaitest.Hang, openaitest.Garbage, openaitest.Truncated} {
		if r := *rates[f]; r > 0 {
			rule := openaitest.Rule{Fault: f, Rate: r, Times: *times}
			switch {
			case f == openaitest.Garbage || f == openaitest.Truncated:
				rule.Times = 1 << 30 // an answer, not a transient failure: the same request always gets it
			case f == openaitest.ServerError && *repeat:
				rule.Times = 2
			}
			opts.Rules = append(opts.Rules, rule)
		}
	}
	srv := openaitest.New(opts)
	fmt.Printf("serving %s at %s\n", strings.Join(opts.Models, ", "), srv.BaseURL())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	srv.CloseClientConnections()
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	var parts []string
	for f, n := range srv.Injected() {
		parts = append(parts, fmt.Sprintf("%s %d", f, n))
	}
	sort.Strings(parts)
	fmt.Printf("%d requests; injected: %s\n", srv.Count(), strings.Join(parts, ", "))
}
