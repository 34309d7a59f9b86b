package sim_test

import (
	"fmt"
	"log"

	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// The larger-network study on one Barabasi-Albert graph with SAM agents.
func ExampleRun() {
	graph, err := netw.BarabasiAlbert(101, 10, 1)
	if err != nil {
		log.Fatal(err)
	}
	run, err := sim.Run(sim.Study{
		Scenario:   scenario.Dishwasher(),
		Network:    graph,
		People:     pop.MustSynthetic(scenario.Dishwasher(), 101, 1),
		Agents:     theory.SAM{Rule: theory.BetaRule, Beta: 10},
		Steps:      3,
		Replicates: 5,
		Seed:       1,
		Quiet:      true,
	})
	if err != nil {
		log.Fatal(err)
	}
	adoption, _ := run.Band(history.Adoption)
	opinion, _ := run.Band(history.MeanOpinion)
	for t := range adoption {
		fmt.Printf("step %d: adoption %.2f, mean opinion %.2f\n", t, adoption[t], opinion[t])
	}
	// Output:
	// step 0: adoption 0.46, mean opinion 0.60
	// step 1: adoption 0.48, mean opinion 0.63
	// step 2: adoption 0.50, mean opinion 0.64
}

// A sweep over the rationality beta and the weight of observed actions mu.
func ExampleRunSweep() {
	graph, _ := netw.WattsStrogatz(101, 18, 0.3, 1)
	sw, err := sim.RunSweep(sim.Sweep{
		Base: sim.Study{Network: graph, People: pop.MustSynthetic(scenario.FiveG(), 101, 2),
			Scenario: scenario.FiveG(), Steps: 3, Replicates: 3, Quiet: true},
		XName: "beta", Xs: []float64{2, 20},
		YName: "mu", Ys: []float64{0, 1},
		Apply: func(s *sim.Study, beta, mu float64) { s.Agents = theory.SAM{Rule: theory.BetaRule, Beta: beta, Mu: mu} },
	})
	if err != nil {
		log.Fatal(err)
	}
	for iy, row := range sw.Grid(history.FinalMean(history.Adoption)) {
		fmt.Printf("mu=%g: beta=2 %.2f, beta=20 %.2f\n", sw.Ys[iy], row[0], row[1])
	}
	// Output:
	// mu=0: beta=2 0.50, beta=20 0.50
	// mu=1: beta=2 0.49, beta=20 0.39
}
