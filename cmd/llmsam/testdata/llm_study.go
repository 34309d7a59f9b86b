//go:build ignore

// An LLM study for the kill-and-resume test: 40 LLM agents on a BA graph,
// 4 rounds, 3 replicates, with the response cache given by -cache.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

func main() {
	cfg := llm.AddFlags(flag.CommandLine)
	out := flag.String("out", "out/llm", "run directory")
	flag.Parse()
	cfg.Quiet = true
	client, err := llm.New(*cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer client.Close()
	graph, _ := netw.BarabasiAlbert(40, 3, 1)
	run, err := sim.Run(sim.Study{Name: "llm", Scenario: scenario.Dishwasher(), Network: graph,
		People: pop.MustSynthetic(scenario.Dishwasher(), 40, 1), Agents: llmagent.New(client),
		Steps: 4, Replicates: 3, Seed: 5, Workers: 1, Quiet: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := run.Save(*out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("saved", *out)
}
