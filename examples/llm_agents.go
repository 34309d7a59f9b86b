//go:build ignore

// LLM agents: the dishwasher scenario on a 101-person Barabasi-Albert
// network, every person played by an LLM behind an OpenAI-compatible
// server, 3 rounds, 5 replicates. Answers are cached in -cache, so a rerun
// asks nothing twice and a killed run resumes where it stopped. A server
// that cannot be reached, refuses the key or does not serve the model stops
// the run at once with its own message; what went wrong along the way is in
// OUT/errors.jsonl, and the last line printed sums it up.
//
//	vllm serve Qwen/Qwen2.5-7B-Instruct --port 8000 --enable-prefix-caching
//	llmsam examples/llm_agents.go -model Qwen/Qwen2.5-7B-Instruct -base-url http://localhost:8000/v1 -cache qwen.db
//
//	OPENAI_API_KEY=... llmsam examples/llm_agents.go -model gpt-4o-mini -temperature 0.7 -max-tokens 512 \
//	    -cache gpt.db -price-in 0.15 -price-out 0.6 -budget-usd 2
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/flagcheck"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "llm_agents:", err)
		os.Exit(1)
	}
}

func main() {
	cfg := llm.AddFlags(flag.CommandLine)
	out := flag.String("out", "out/llm_agents", "output folder")
	n := flag.Int("n", 101, "agents")
	reps := flag.Int("replicates", 5, "replicates")
	flag.Parse()
	// Flag checks, before any work.
	if err := flagcheck.All(
		flagcheck.Count("n", *n),
		flagcheck.Count("replicates", *reps),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	agents, err := llmagent.Open(*cfg)
	check(err)
	defer agents.Close()
	graph, err := netw.BarabasiAlbert(*n, 10, 1)
	check(err)
	run, err := sim.Run(sim.Study{
		Name: "llm-ba", Scenario: scenario.Dishwasher(), Network: graph,
		People: pop.MustSynthetic(scenario.Dishwasher(), *n, 1), Agents: agents,
		Steps: 3, Replicates: *reps, Seed: 1,
	})
	summary, ferr := llmagent.Finish(agents) // the summary line; a run over the fallback budget fails here
	fmt.Print(summary)
	if err == nil && ferr != nil {
		err = ferr
		run.Manifest.Error = ferr.Error()
	}
	if run != nil {
		// What finished is kept even when the run failed, with errors.jsonl;
		// manifest.json then says why in "error", and history.Load refuses it.
		check(run.Save(*out))
	}
	check(err)
	adoption, _ := run.Band(history.Adoption)
	opinion, _ := run.Band(history.MeanOpinion)
	for t := range adoption {
		fmt.Printf("round %d: adoption %.2f, mean opinion %.1f / 10\n", t+1, adoption[t], 10*opinion[t])
	}
	check(plots.Trajectories(run).Save(*out + "/trajectories.png"))
}
