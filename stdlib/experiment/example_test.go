package experiment_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/llmsam/llmsam/stdlib/experiment"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// Final adoption of SAM agents over the rationality beta and the weight of
// observed actions mu, two replicates per point, as a table.
func ExampleExperiment() {
	graph, err := netw.WattsStrogatz(101, 18, 0.3, 1)
	if err != nil {
		log.Fatal(err)
	}
	people := pop.MustSynthetic(scenario.FiveG(), 101, 2)
	res, err := experiment.Experiment{
		Params:     []experiment.Param{experiment.Values("beta", 2, 20), experiment.Values("mu", 0, 1)},
		Replicates: 2, Seed: 1, Quiet: true,
		Build: func(p experiment.Point) (sim.Study, error) {
			return sim.Study{Scenario: scenario.FiveG(), Network: graph, People: people, Steps: 3,
				Agents: theory.SAM{Rule: theory.BetaRule, Beta: p.Float("beta"), Mu: p.Float("mu")}}, nil
		},
	}.Run()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Join(res.Runs.Columns[:6], " "), "final_adoption")
	k, _ := res.Runs.Col("final_adoption")
	for _, row := range res.Runs.Rows {
		fmt.Println(strings.Join(row[:6], " "), row[k][:5])
	}
	// Output:
	// run point beta mu replicate seed final_adoption
	// 0 0 2 0 0 1 0.534
	// 1 0 2 0 1 2 0.475
	// 2 1 2 1 0 1 0.495
	// 3 1 2 1 1 2 0.475
	// 4 2 20 0 0 1 0.495
	// 5 2 20 0 1 2 0.475
	// 6 3 20 1 0 1 0.386
	// 7 3 20 1 1 2 0.376
}
