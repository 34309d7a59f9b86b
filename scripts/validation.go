//go:build ignore

// Small-group validation (the study's figure group 2): the real groups of
// 3, 4 and 5 friends on complete graphs, 3 rounds. Round 1 is the people's
// real answers; rounds 2 and 3 come from SAM theory agents and, when a
// model is given (-model, or -replay with a cache), from LLM agents. With
// LLM agents the script also fits SAM to their trajectories (calibration)
// and reruns the theory with the fitted parameters. It writes adoption and
// mean opinion per round, opinion histograms per round, and tables of the
// distances between LLM agents and the theory per scenario and round.
//
//	llmsam scripts/validation.go -out out/validation
//	llmsam scripts/validation.go -coeff ../shared/reference/llmsam/coeff \
//	    -model Qwen/Qwen2.5-7B-Instruct -base-url http://localhost:8000/v1 -cache qwen.db
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/calibrate"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/protocol"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "validation:", err)
		os.Exit(1)
	}
}

func main() {
	llmCfg := llm.AddFlags(flag.CommandLine)
	out := flag.String("out", "out/validation", "output folder")
	coeff := flag.String("coeff", "", "folder with the release's coeff{E}_{N}.csv files (default: built-in synthetic groups)")
	scenarios := flag.String("scenarios", "dishwasher,waste,5g", "scenarios, comma separated")
	ngroups := flag.Int("groups", 0, "use only the first N groups of each scenario (0: all 40)")
	reps := flag.Int("replicates", 5, "simulations per group")
	seed := flag.Uint64("seed", 1, "seed")
	formats := flag.String("formats", "png,pdf", "figure formats")
	flag.Parse()
	exts := strings.Split(*formats, ",")

	var agents *llmagent.Agents
	if llmCfg.Model != "" {
		var err error
		agents, err = llmagent.Open(*llmCfg)
		check(err)
		defer agents.Close()
	}
	summary := plots.Table{Title: "Small groups per round (mean over simulations)", Header: []string{"scenario", "round", "agents", "adoption", "mean opinion (0-10)", "value-action gap"}}
	fits := plots.Table{Title: "SAM fitted to the LLM agents' small-group runs", Header: []string{"scenario", "transitions", "beta", "mu", "kappa",
		"s(round 2)", "s(round 3)", "opinion RMSE fitted (defaults)", "action log-likelihood fitted (defaults)", "action agreement fitted (defaults)"}}
	distances := plots.Table{Title: "LLM agents against SAM theory agents, small groups", Header: []string{"scenario", "round", "against",
		"opinion MAE (0-10)", "opinion RMSE (0-10)", "action agreement", "adoption error", "JS divergence (bits)", "Wasserstein-1 (0-10)", "gap LLM", "gap theory"}}
	for _, name := range strings.Split(*scenarios, ",") {
		sc, err := scenario.ByName(name)
		check(err)
		var groups []pop.Population
		if *coeff != "" {
			groups, err = protocol.ReleaseGroups(*coeff, sc)
		} else {
			groups, err = protocol.SyntheticGroups(sc, *seed)
		}
		check(err)
		if *ngroups > 0 && *ngroups < len(groups) {
			groups = groups[:*ngroups]
		}
		run := func(label string, s *scenario.Scenario, model agent.Model) *history.Run {
			runs, err := protocol.SmallGroups{Scenario: s, Groups: groups, Agents: model, Replicates: *reps, Seed: *seed}.Run()
			check(err)
			pooled, err := history.Pool(label, runs...)
			check(err)
			check(pooled.Save(filepath.Join(*out, "runs", sc.Name, strings.Fields(label)[0])))
			return pooled
		}
		th := run("theory (SAM defaults)", sc, theory.SAM{})
		runs := []*history.Run{th}
		first := th.Metrics()[0][0]
		source := "synthetic answers"
		if *coeff != "" {
			source = "real answers"
		}
		fmt.Printf("%s round 1 (%s, %d people): adoption %d/%d, mean opinion %.2f / 10\n",
			sc.Name, source, len(th.People), int(first.Adoption*float64(len(th.People))+0.5), len(th.People), 10*first.MeanOpinion)
		if agents != nil {
			lm := run("LLM ("+llmCfg.Model+")", sc, agents)
			check(llmagent.Check(agents)) // no calibration on runs over the fallback budget
			fit, err := calibrate.SAM(lm)
			check(err)
			fmt.Printf("%s: %s\n", sc.Name, fit)
			fits.Add(sc.Name, fmt.Sprint(fit.Transitions), f2(fit.Model.Beta), f2(fit.Model.Mu), f2(fit.Model.Kappa),
				f2(fit.Signals[1]), f2(fit.Signals[len(fit.Signals)-1]),
				f2(fit.OpinionRMSE)+" ("+f2(fit.DefaultOpinionRMSE)+")", f3(fit.ActionLogLik)+" ("+f3(fit.DefaultLogLik)+")",
				f3(fit.ActionAgreement)+" ("+f3(fit.DefaultAgree)+")")
			cal := run("theory (SAM fitted to the LLM)", fit.Scenario(sc), fit.Model)
			runs = append(runs, lm, cal)
			for _, against := range []*history.Run{th, cal} {
				ds, err := history.Compare(lm, against)
				check(err)
				for t := 1; t < len(ds); t++ {
					d := ds[t]
					distances.Add(sc.Name, fmt.Sprint(t+1), against.Manifest.Name, f2(d.OpinionMAE), f2(d.OpinionRMSE), f2(d.ActionAgreement),
						f2(d.AdoptionError), f3(d.JS), f2(d.W1), f2(d.GapA), f2(d.GapB))
				}
			}
		}
		var series []plots.Series
		for _, r := range runs {
			series = append(series, plots.SeriesOf(r.Manifest.Name, r))
			mean, _ := r.Band(history.MeanOpinion)
			adoption, _ := r.Band(history.Adoption)
			gap, _ := r.Band(history.Gap)
			for t := range mean {
				summary.Add(sc.Name, fmt.Sprint(t+1), r.Manifest.Name, f2(adoption[t]), f2(10*mean[t]), f2(gap[t]))
			}
		}
		fig := plots.TrajectoriesOf(series...)
		fig.Title = fmt.Sprintf("%s: small groups (%d people, %d simulations each); round 1 is the %s", sc.Title, len(th.People), *reps, source)
		paths, err := fig.SaveAs(filepath.Join(*out, "rounds_"+sc.Name), exts...)
		check(err)
		fmt.Println("wrote", strings.Join(paths, ", "))
		hist := plots.HistogramsOf(series...)
		hist.Title = sc.Title + ": opinions per round (step 0 = round 1)"
		paths, err = hist.SaveAs(filepath.Join(*out, "histograms_"+sc.Name), exts...)
		check(err)
		fmt.Println("wrote", strings.Join(paths, ", "))
	}
	llmSummary, err := llmagent.Finish(agents)
	fmt.Print(llmSummary)
	check(err)
	paths, err := summary.Save(filepath.Join(*out, "rounds"))
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))
	if agents != nil {
		paths, err = distances.Save(filepath.Join(*out, "distances"))
		check(err)
		fmt.Println("wrote", strings.Join(paths, ", "))
		paths, err = fits.Save(filepath.Join(*out, "calibration"))
		check(err)
		fmt.Println("wrote", strings.Join(paths, ", "))
	}
}

func f2(x float64) string { return fmt.Sprintf("%.2f", x) }
func f3(x float64) string { return fmt.Sprintf("%.3f", x) }
