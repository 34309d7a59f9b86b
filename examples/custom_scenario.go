//go:build ignore

// A scenario written in the script: rooftop solar panels in a village, with
// a subsidy in round 2 and a neighbour's showcase in round 3, on a
// small-world network. The synthetic population reuses the 5G scenario's
// calibration with higher costs.
//
//	llmsam examples/custom_scenario.go
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func main() {
	flag.Parse() // no flags; -h prints the usage
	solar := &scenario.Scenario{
		Name:   "solar",
		Title:  "Installing rooftop solar panels",
		Role:   "You own a house in a village.",
		Option: "A 5 kW rooftop solar installation costs 30,000 CNY and cuts the electricity bill by about 70%.",
		Ask:    "Will you install solar panels?",
		Costs:  "the price, the roof work and the years until it pays back",
		Rounds: []scenario.Round{
			{Name: "initial"},
			{Name: "subsidy", Info: "The county pays a third of the price.", Strength: 0.8},
			{Name: "showcase", Info: "A neighbour's panels produced more than promised all summer.", Strength: 0.85},
			{Name: "free chat", FreeChat: true, Strength: 0.85},
		},
		Facts: []string{"Panels last 25 years.", "Cloudy winters produce little.", "Installers are booked for months."},
	}
	solar.Calibration = scenario.FiveG().Calibration
	solar.Calibration.Mean.Lambda = 0.6

	people, err := pop.Synthetic(solar, 200, 7)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	graph, err := netw.WattsStrogatz(200, 8, 0.1, 7)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	run, err := sim.Run(sim.Study{Scenario: solar, Network: graph, People: people,
		Agents: theory.SAM{Rule: theory.BetaRule, Beta: 12, Kappa: 0.4}, Steps: 4, Replicates: 8, Seed: 7})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	adoption, _ := run.Band(history.Adoption)
	gap, _ := run.Band(history.Gap)
	for t, round := range solar.Schedule(4) {
		fmt.Printf("%-10s adoption %.2f, value-action gap %.2f\n", round.Name, adoption[t], gap[t])
	}
}
