//go:build ignore

// A large run whose memory does not grow with its steps: SAM agents on a
// Barabasi-Albert network (10^6 agents by default), the per-agent states
// streamed to agents.parquet as each step completes and only the metrics
// kept in memory (-stream=false keeps every state, for comparison).
//
//	llmsam examples/streaming.go -out out/streaming -n 1000000 -steps 50
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/llmsam/llmsam/stdlib/experiment"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "streaming:", err)
		os.Exit(1)
	}
}

func main() {
	out := flag.String("out", "out/streaming", "output folder")
	n := flag.Int("n", 1000000, "agents")
	steps := flag.Int("steps", 50, "recorded steps, step 0 included")
	seed := flag.Uint64("seed", 1, "seed")
	stream := flag.Bool("stream", true, "stream per-agent states to the file; keep only metrics in memory")
	flag.Parse()

	sc := scenario.Dishwasher()
	sc.Rounds = []scenario.Round{{Name: "initial"}, {Name: "message", Strength: 0.6}}
	graph, err := netw.BarabasiAlbert(*n, 5, *seed)
	check(err)
	people, err := pop.Synthetic(sc, *n, *seed)
	check(err)
	e := experiment.Experiment{
		Name:   "streaming",
		Params: []experiment.Param{experiment.Values("beta", 10)},
		Seed:   *seed, Out: *out, Agents: experiment.Parquet, Stream: *stream,
		Build: func(p experiment.Point) (sim.Study, error) {
			return sim.Study{Scenario: sc, Network: graph, People: people, Steps: *steps,
				Agents: theory.SAM{Rule: theory.BetaRule, Beta: p.Float("beta")}}, nil
		},
	}
	res, err := e.Run()
	check(err)
	ad, err := res.Runs.Floats("final_adoption")
	check(err)
	op, err := res.Runs.Floats("final_opinion")
	check(err)
	fmt.Printf("%d agents, %d steps: final adoption %.3f, final mean opinion %.2f / 10\n", *n, *steps, ad[0], 10*op[0])
	fmt.Println("wrote", filepath.Join(*out, "runs.csv")+",", filepath.Join(*out, "metrics.csv")+",", filepath.Join(*out, "agents.parquet"))
}
