//go:build ignore

// Theory sweeps (the study's figure group 6): heat maps of the final
// adoption and mean opinion over two parameters, as in the theory papers.
//
// (1) -model zyc2020: the phase diagram of Zino, Ye and Cao (Chaos 2020,
// Fig. 7) on the paper's set-up (papers.Chaos2020): n = 200, a random
// 8-regular influence layer and an independent random 4-regular
// communication layer drawn anew for every run, everyone at the status quo
// but one stubborn innovator on a random node, alpha 0.5, beta 20, T = 4 n^2
// ticks, -runs runs per grid point, for each payoff weighting in -weighting
// (the paper's, and the released code's, which halves the coordination
// term). Writes OUT/sweep.csv (one row per run), the heat maps, and
// OUT/boundary (the measured phase boundary per mu beside Theorem 3's
// threshold at mu = 0). Each sweep's tables (runs.csv, one row per run
// with its parameters, replicate, seed and final metrics; metrics.csv) go
// beside the figures in OUT/zyc2020, OUT/zyc2020_code and OUT/sam; sweep.csv
// is written from them.
//
// (2) -model sam: SAM over the dominant agent's message strength s and the
// rationality beta of the sigma(beta (o - lambda)) rule, on the study's
// 101-agent BA network with the scenario's population, 5 rounds.
//
//	llmsam scripts/sweeps.go -out out/sweeps
//	llmsam scripts/sweeps.go -model zyc2020 -lambda 0.2,0.5,0.9 -mu 0,0.004 -runs 20 -out out/zyc
//
// With -shard i/n (or a Slurm array / Kubernetes Indexed Job) a process runs
// its share of every sweep's points and writes only the tables; merge each
// sweep's folders with `llmsam merge OUT/zyc2020 SHARD1/zyc2020 ...`, then
// `llmsam scripts/sweeps.go -out OUT -from-tables` (same flags) draws the
// figures and tables from the merged runs.csv files.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/experiment"
	"github.com/llmsam/llmsam/stdlib/flagcheck"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/papers"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "sweeps:", err)
		os.Exit(1)
	}
}

func main() {
	out := flag.String("out", "out/sweeps", "output folder")
	model := flag.String("model", "zyc2020,sam", "sweeps to run: zyc2020, sam or both (comma-separated)")
	lambdas := flag.String("lambda", "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1", "zyc2020: lambda values")
	mus := flag.String("mu", "0,0.002,0.004,0.006,0.008,0.01", "zyc2020: mu values")
	runs := flag.Int("runs", 20, "zyc2020: runs per grid point (the paper: 100); sam: replicates")
	n := flag.Int("n", 200, "zyc2020: agents")
	weightings := flag.String("weighting", "paper,code", "zyc2020: payoff weightings to run: paper, code or both")
	seed := flag.Uint64("seed", 1, "seed: run k of every grid point uses seed + k")
	formats := flag.String("formats", "png,pdf", "figure formats")
	scen := flag.String("scenario", "dishwasher", "sam: scenario")
	shards = experiment.AddFlags(flag.CommandLine, experiment.NoAgents)
	fromTables = flag.Bool("from-tables", false, "draw from the runs.csv of earlier (or merged) runs in OUT instead of running")
	flag.Parse()
	// Flag checks, before any work.
	lambdaValues, lambdaErr := flagcheck.ParseFloats("lambda", *lambdas)
	muValues, muErr := flagcheck.ParseFloats("mu", *mus)
	_, scenErr := scenario.ByName(*scen)
	if err := flagcheck.All(
		flagcheck.Subset("model", *model, "zyc2020", "sam"),
		lambdaErr, muErr,
		flagcheck.Count("runs", *runs),
		flagcheck.AtLeast("n", *n, 10),
		flagcheck.Subset("weighting", *weightings, "paper", "code"),
		flagcheck.Formats("formats", *formats),
		flagcheck.Value("scenario", scenErr),
		shards.Check(),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	exts := strings.Split(*formats, ",")
	saveFig := func(fig *plots.Figure, name string) {
		paths, err := fig.SaveAs(filepath.Join(*out, name), exts...)
		check(err)
		fmt.Println("wrote", strings.Join(paths, ", "))
	}
	for _, m := range strings.Split(*model, ",") {
		switch m = strings.TrimSpace(m); m {
		case "":
		case "zyc2020":
			zyc(*out, lambdaValues, muValues, *runs, *n, *weightings, *seed, saveFig)
		case "sam":
			sam(*out, *scen, *runs, *seed, saveFig)
		default:
			check(fmt.Errorf("-model %q: want zyc2020 or sam", m))
		}
	}
}

// zyc runs the Chaos 2020 phase diagram for each weighting.
func zyc(out string, lambdas, mus []float64, runs, n int, weightings string, seed uint64, save func(*plots.Figure, string)) {
	var all []sweepRow
	boundary := plots.Table{Title: fmt.Sprintf("Zino-Ye-Cao 2020 phase boundary: smallest lambda with mean final adoption > 1/2 (%d runs per point)", runs),
		Header: []string{"weighting", "mu", "measured boundary (lambda)", "Theorem 3 (mu = 0, beta -> inf, paper's payoffs)"}}
	for _, wname := range strings.Split(weightings, ",") {
		wname = strings.TrimSpace(wname)
		if wname == "" {
			continue
		}
		base := papers.Chaos2020Defaults(0, 0).WithN(n)
		switch wname {
		case "paper":
		case "code":
			base.Weighting = theory.CodeWeighting
		default:
			check(fmt.Errorf("-weighting %q: want paper or code", wname))
		}
		name := "zyc2020"
		if wname == "code" {
			name = "zyc2020_code"
		}
		rows := chaosRows(filepath.Join(out, name), base, lambdas, mus, runs, seed)
		if rows == nil {
			continue // a shard writes only its tables
		}
		for _, r := range rows {
			all = append(all, sweepRow{Model: "zyc2020", Weighting: wname, Row: r})
		}
		adoption, opinion := papers.Chaos2020Means(rows, lambdas, mus)
		weighting := "paper's payoffs"
		if wname == "code" {
			weighting = "released code's payoffs"
		}
		setup := fmt.Sprintf("Zino-Ye-Cao 2020, %s\nn %d, T 4n^2, random %d-regular A, %d-regular W (fresh per run)\none random innovator; alpha %g, beta %g; mean of %d runs per cell",
			weighting, base.N, base.InfluenceDegree, base.CommunicationDegree, base.Alpha, base.Beta, runs)
		save(plots.HeatMapGrid(adoption, lambdas, mus, "lambda (weight of one's own opinion)", "mu (weight of observed actions)",
			"final adoption share\n"+setup, 0, 1), name+"_adoption")
		save(plots.HeatMapGrid(opinion10(opinion), lambdas, mus, "lambda (weight of one's own opinion)", "mu (weight of observed actions)",
			"final mean opinion (answer 0-10)\n"+setup, 0, 10), name+"_opinion")
		thm := theory.ZYC2020Threshold(base.InfluenceDegree, base.Alpha)
		for iy, mu := range mus {
			b := "none in the grid"
			for ix, l := range lambdas {
				if adoption[iy][ix] > 0.5 {
					b = fmt.Sprintf("<= %g (the grid's first)", l)
					if ix > 0 {
						b = fmt.Sprintf("in (%g, %g]", lambdas[ix-1], l)
					}
					break
				}
			}
			t := ""
			if mu == 0 {
				t = fmt.Sprintf("%.3f", thm)
				if wname == "code" {
					// lambda' = 2 lambda / (1 + lambda) = thm  <=>  lambda = thm / (2 - thm)
					t = fmt.Sprintf("%.3f (paper's %.3f mapped to the code's lambda)", thm/(2-thm), thm)
				}
			}
			boundary.Add(wname, fmt.Sprint(mu), b, t)
			fmt.Printf("zyc2020 %s weighting, mu %g: boundary %s %s\n", wname, mu, b, t)
		}
		for iy, mu := range mus {
			for ix, l := range lambdas {
				fmt.Printf("zyc2020 %s weighting: lambda %g mu %g: mean final adoption %.3f, mean final opinion %.2f / 10 (%d runs)\n",
					wname, l, mu, adoption[iy][ix], 10*opinion[iy][ix], runs)
			}
		}
	}
	if all == nil {
		return
	}
	check(writeSweepCSV(filepath.Join(out, "sweep.csv"), all))
	fmt.Println("wrote", filepath.Join(out, "sweep.csv"))
	paths, err := boundary.Save(filepath.Join(out, "boundary"))
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))
}

// opinion10 puts mean opinions on the answer scale 0-10.
func opinion10(z [][]float64) [][]float64 {
	out := make([][]float64, len(z))
	for i, row := range z {
		for _, v := range row {
			out[i] = append(out[i], 10*v)
		}
	}
	return out
}

// sweepRow is one run of a sweep, as sweep.csv holds it.
type sweepRow struct {
	Model, Weighting string
	Row              papers.Chaos2020Row
}

// writeSweepCSV writes one row per run: model, weighting, lambda, mu, run,
// seed, final_adoption, final_opinion (opinions on 0-1).
func writeSweepCSV(path string, rows []sweepRow) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("model,weighting,lambda,mu,run,seed,final_adoption,final_opinion\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,%s,%g,%g,%d,%d,%g,%g\n", r.Model, r.Weighting, r.Row.Lambda, r.Row.Mu, r.Row.Run, r.Row.Seed,
			r.Row.FinalAdoption, r.Row.FinalOpinion)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// sam sweeps SAM's message strength and beta on the study's BA network.
func sam(out, scen string, reps int, seed uint64, save func(*plots.Figure, string)) {
	sc, err := scenario.ByName(scen)
	check(err)
	ba, err := netw.BarabasiAlbert(101, 10, seed)
	check(err)
	people, err := pop.Synthetic(sc, 101, seed)
	check(err)
	table := sweepTable(experiment.Experiment{
		Name: "sam s x beta", Out: filepath.Join(out, "sam"), Replicates: reps, Seed: seed,
		Params: []experiment.Param{
			experiment.Values("beta", 1, 2, 5, 10, 20, 50),
			experiment.Values("s", 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1),
		},
		Build: func(p experiment.Point) (sim.Study, error) {
			custom := *sc
			custom.Rounds = []scenario.Round{{Name: "initial"}}
			for range 5 {
				custom.Rounds = append(custom.Rounds, scenario.Round{Name: "message", Strength: p.Float("s")})
			}
			return sim.Study{Scenario: &custom, Network: ba, People: people, Steps: 6,
				Agents: theory.SAM{Rule: theory.BetaRule, Beta: p.Float("beta")}}, nil
		},
	})
	if table == nil {
		return // a shard writes only its tables
	}
	setup := fmt.Sprintf("SAM (beta rule), %s population\nBA(101, m=10), 5 rounds of message s", sc.Name)
	heat := func(value, title string, scale, hi float64) *plots.Figure {
		fig, err := plots.ParamFigure{Kind: "heatmap", Value: value, X: "s", Y: "beta", Scale: scale,
			XLabel: "s (dominant agent's message strength)", YLabel: "beta (rationality of sigma(beta (o - lambda)))",
			Title: title + "\n" + setup, Lo: 0, Hi: hi}.Draw(table)
		check(err)
		return fig
	}
	save(heat("final_adoption", "final adoption share", 1, 1), "sam_adoption")
	save(heat("final_opinion", "final mean opinion (answer 0-10)", 10, 10), "sam_opinion")
}

// Set in main: the experiment flags (-shard, -stream, -agents) and
// -from-tables.
var (
	shards     *experiment.Flags
	fromTables *bool
)

// sweepTable runs an experiment (its tables go to e.Out) and returns its
// runs table; with -from-tables it reads e.Out/runs.csv instead; nil for a
// shard of the experiment, which writes only its tables.
func sweepTable(e experiment.Experiment) *experiment.Table {
	if *fromTables {
		t, err := experiment.ReadCSV(filepath.Join(e.Out, "runs.csv"))
		check(err)
		return t
	}
	check(shards.Apply(&e))
	res, err := e.Run()
	check(err)
	fmt.Println("wrote", filepath.Join(e.Out, "runs.csv")+",", filepath.Join(e.Out, "metrics.csv"))
	if e.Shard.Count > 1 {
		return nil
	}
	return res.Runs
}

// chaosRows runs the Chaos 2020 sweep (fresh layers and innovator per run,
// from its seed; initial and final states recorded) through the experiment
// runner and returns its rows from the runs table, lambda outer, mu, run.
func chaosRows(dir string, base papers.Chaos2020, lambdas, mus []float64, runs int, seed uint64) []papers.Chaos2020Row {
	base.Steps = 2
	table := sweepTable(experiment.Experiment{
		Name: "chaos2020 lambda x mu", Out: dir, Replicates: runs, Seed: seed,
		Params: []experiment.Param{experiment.Values("lambda", lambdas...), experiment.Values("mu", mus...)},
		BuildRun: func(p experiment.Point, _ int, seed uint64) (sim.Study, error) {
			c := base
			c.Lambda, c.Mu = p.Float("lambda"), p.Float("mu")
			return c.Study(seed)
		},
	})
	if table == nil {
		return nil
	}
	col := func(name string) []float64 {
		v, err := table.Floats(name)
		check(err)
		return v
	}
	lambda, mu, rep, sd, adoption, opinion := col("lambda"), col("mu"), col("replicate"), col("seed"), col("final_adoption"), col("final_opinion")
	rows := make([]papers.Chaos2020Row, len(lambda))
	for i := range rows {
		rows[i] = papers.Chaos2020Row{Lambda: lambda[i], Mu: mu[i], Run: int(rep[i]), Seed: uint64(sd[i]),
			FinalAdoption: adoption[i], FinalOpinion: opinion[i]}
	}
	return rows
}
