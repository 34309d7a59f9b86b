//go:build ignore

// A million LLM agents: the dishwasher scenario on a 10^6-person
// Barabasi-Albert network (m = 5) with the synthetic population, every
// person an LLM agent, as OASIS and AgentTorch run them: each agent acts at
// a step with probability -activation (the others keep their answer), and
// agents whose prompts carry the same information at the default
// resolution share one request (an archetype), asking for -answers answers
// of which each member takes one. -exact asks one prompt per agent instead.
//
// Without -model it runs against a simulated fleet in this process
// (package fleetsim: 64 endpoints x 128 slots answering after 200 ms with a
// toy responder, not a language model); with -model it asks a real fleet:
//
//	llmsam examples/million.go
//	llmsam examples/million.go -model Qwen/Qwen2.5-7B-Instruct -base-url http://node1:8000/v1 \
//	    -endpoints http://node2:8000/v1,http://node3:8000/v1 -concurrency 256
//
// It prints each step's active agents, archetypes and requests, and writes
// the adoption and mean opinion per step, the opinion histograms per step,
// the requests per step against the active agents, and requests.csv; with
// -save also the run directory (history.Run.Save: every agent's answers).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/flagcheck"
	"github.com/llmsam/llmsam/stdlib/fleetsim"
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
		fmt.Fprintln(os.Stderr, "million:", err)
		os.Exit(1)
	}
}

func main() {
	cfg := llm.AddFlags(flag.CommandLine)
	out := flag.String("out", "out/million", "output folder")
	save := flag.Bool("save", false, "also write the run directory (OUT/run: every agent's answers per step, the network and the usage; gigabytes at 10^6 agents)")
	n := flag.Int("n", 1000000, "agents")
	steps := flag.Int("steps", 4, "steps, including the initial answers")
	rate := flag.Float64("activation", 0.5, "probability that an agent acts at a step")
	exact := flag.Bool("exact", false, "one prompt per agent (identical prompts merged) instead of archetypes")
	answers := flag.Int("answers", 8, "answers asked per archetype")
	friends := flag.Int("max-friends", 10, "friends quoted in a prompt with -exact")
	simEndpoints := flag.Int("sim-endpoints", 64, "simulated endpoints (without -model)")
	simSlots := flag.Int("sim-slots", 128, "slots per simulated endpoint")
	simLatency := flag.Duration("sim-latency", 200*time.Millisecond, "latency of a simulated answer")
	flag.Parse()
	if err := flagcheck.All(
		flagcheck.Range("n", *n, 10, 100_000_000),
		flagcheck.Range("steps", *steps, 2, 1000),
		flagcheck.Want("activation", *rate > 0 && *rate <= 1, *rate, "a probability in (0, 1]"),
		flagcheck.Count("answers", *answers),
		flagcheck.Range("max-friends", *friends, 0, 1_000_000),
		flagcheck.Count("sim-endpoints", *simEndpoints),
		flagcheck.Count("sim-slots", *simSlots),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	label := "model " + cfg.Model
	if cfg.Model == "" {
		label = "simulated fleet, toy responder"
		fleet, err := fleetsim.Start(fleetsim.Options{Endpoints: *simEndpoints, Slots: *simSlots, Latency: *simLatency})
		check(err)
		defer fleet.Close()
		urls := fleet.URLs()
		cfg.Model, cfg.BaseURL, cfg.Endpoints, cfg.Concurrency = "sim", urls[0], urls[1:], *simSlots
		fmt.Printf("simulated fleet: %d endpoints x %d slots, %v per answer (a toy responder, not a language model)\n",
			*simEndpoints, *simSlots, *simLatency)
	}
	cfg.Quiet = true
	client, err := llm.New(*cfg)
	check(err)
	defer client.Close()

	start := time.Now()
	graph, err := netw.BarabasiAlbert(*n, 5, 1)
	check(err)
	people, err := pop.Synthetic(scenario.Dishwasher(), *n, 1)
	check(err)
	fmt.Fprintf(os.Stderr, "network and population: %.1f s\n", time.Since(start).Seconds())

	agents := llmagent.New(client)
	agents.MaxFriends = *friends
	var mu sync.Mutex
	var reports []llmagent.StepReport
	model := &llmagent.Archetypes{Agents: agents, Answers: *answers, Report: func(r llmagent.StepReport) {
		mu.Lock()
		reports = append(reports, r)
		mu.Unlock()
	}}
	if *exact {
		model.Resolution = llmagent.Exact
	}
	start = time.Now()
	run, err := sim.Run(sim.Study{
		Name: "million", Scenario: scenario.Dishwasher(), Network: graph, People: people,
		Agents: agent.Activation{Model: model, Rate: *rate}, Steps: *steps, Seed: 1,
	})
	check(err)
	fmt.Fprintf(os.Stderr, "run: %.1f s\n", time.Since(start).Seconds())

	adoption, _ := run.Band(history.Adoption)
	opinion, _ := run.Band(history.MeanOpinion)
	fmt.Printf("step 0: %d agents, adoption %.3f, mean opinion %.2f / 10\n", *n, adoption[0], 10*opinion[0])
	table := "step,active,archetypes,requests,fallbacks\n"
	groups := "archetypes"
	if *exact {
		groups = "distinct prompts"
	}
	for _, r := range reports {
		fmt.Printf("step %d: %d active agents, %d %s, %d requests (%.1f per 1000 active), adoption %.3f, mean opinion %.2f / 10\n",
			r.Step, r.Active, r.Groups, groups, r.Requests, 1000*float64(r.Requests)/float64(r.Active), adoption[r.Step], 10*opinion[r.Step])
		table += fmt.Sprintf("%d,%d,%d,%d,%d\n", r.Step, r.Active, r.Groups, r.Requests, r.Fallbacks)
	}
	summary, err := llmagent.Finish(model)
	fmt.Print(summary)
	check(err)

	check(os.MkdirAll(*out, 0o755))
	csvPath := filepath.Join(*out, "requests.csv")
	check(os.WriteFile(csvPath, []byte(table), 0o644))
	traj := filepath.Join(*out, "trajectories.png")
	how := "archetypes"
	if *exact {
		how = "own prompts"
	}
	// The legend gets a short label (a long one is cut off at the panel's
	// edge); the figure's title says the rest.
	what := fmt.Sprintf("%d LLM agents (%s, %s), BA m = 5, activation %.2f, 1 run", *n, label, how, *rate)
	series := plots.SeriesOf(fmt.Sprintf("%d LLM agents (%s)", *n, how), run)
	trajFig := plots.TrajectoriesOf(series)
	trajFig.Title = "Dishwasher: " + what
	check(trajFig.Save(traj))
	hist := filepath.Join(*out, "histograms.png")
	check(plots.Row("Opinion per step: "+what, plots.HistogramsOf(series)).Save(hist))
	reqs := filepath.Join(*out, "requests.png")
	check(requestsFigure(reports, *n, *rate, *exact).Save(reqs))
	fmt.Printf("wrote %s, %s, %s, %s\n", traj, hist, reqs, csvPath)
	if *save {
		dir := filepath.Join(*out, "run")
		check(run.Save(dir))
		fmt.Printf("wrote the run directory %s\n", dir)
	}
}

// requestsFigure draws, per step, the active agents next to the requests
// their step needed.
func requestsFigure(reports []llmagent.StepReport, n int, rate float64, exact bool) *plots.Figure {
	p := plot.New()
	how := "archetypes at the default resolution"
	if exact {
		how = "one prompt per agent, identical prompts merged"
	}
	p.Y.Label.Text = "count (one run)"
	p.X.Label.Text = "step"
	active, requests := make(plotter.Values, len(reports)), make(plotter.Values, len(reports))
	var names []string
	for i, r := range reports {
		active[i], requests[i] = float64(r.Active), float64(r.Requests)
		names = append(names, fmt.Sprint(r.Step))
	}
	w := vg.Points(14)
	a, err := plotter.NewBarChart(active, w)
	check(err)
	a.Offset = -w / 2
	a.Color = plotutil.Color(0)
	q, err := plotter.NewBarChart(requests, w)
	check(err)
	q.Offset = w / 2
	q.Color = plotutil.Color(1)
	p.Add(a, q)
	p.Legend.Add("active agents", a)
	p.Legend.Add("requests", q)
	p.Legend.Top, p.Legend.Left = true, true
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(reports))-0.4
	top := 0.0
	for _, v := range active {
		if v > top {
			top = v
		}
	}
	p.Y.Min, p.Y.Max = 0, 1.25*top
	// The figure's title, not the plot's, so that a long one wraps instead
	// of being cut at both edges.
	fig := plots.NewFigure(7*vg.Inch, 4*vg.Inch, []*plot.Plot{p})
	fig.Title = fmt.Sprintf("Requests per step: %d agents acting with probability %.2f, %s", n, rate, how)
	return fig
}
