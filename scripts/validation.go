//go:build ignore

// Small-group validation (the study's figure group 2): the real groups of
// 3, 4 and 5 friends on complete graphs, 3 rounds. Round 1 is the people's
// real answers; rounds 2 and 3 come from SAM theory agents and, when a
// model is given (-model, or -replay with a cache), from LLM agents. With
// LLM agents the script also fits SAM to their trajectories (calibration)
// and reruns the theory with the fitted parameters. It writes adoption and
// mean opinion per round, opinion histograms per round, and tables of the
// distances between LLM agents and the theory per scenario and round. With
// -models, further models served at the same endpoint (such as a LoRA
// adapter served by vLLM beside its base model) are run and compared in
// the same tables. Every run is also written in the release's layout under
// out/release/<scenario>/<agents>.
//
//	llmsam scripts/validation.go -out out/validation
//	llmsam scripts/validation.go -model Qwen/Qwen2.5-7B-Instruct -models sam-lora -base-url http://localhost:8000/v1 -cache qwen.db
//	llmsam scripts/validation.go -coeff ../shared/reference/llmsam/coeff \
//	    -model Qwen/Qwen2.5-7B-Instruct -base-url http://localhost:8000/v1 -cache qwen.db
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/calibrate"
	"github.com/llmsam/llmsam/stdlib/flagcheck"
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
	prompts := flag.String("prompts", "default", "LLM prompt set: "+llmagent.PromptSets)
	more := flag.String("models", "", "further models on the same endpoint to compare, comma separated (each with its own cache file CACHE.MODEL)")
	flag.Parse()
	// Flag checks, before any work.
	_, promptsErr := llmagent.TemplatesByName(*prompts)
	if err := flagcheck.All(
		flagcheck.Range("groups", *ngroups, 0, 40),
		flagcheck.Count("replicates", *reps),
		flagcheck.Formats("formats", *formats),
		flagcheck.Value("prompts", promptsErr),
		flagcheck.Want("models", *more == "" || llmCfg.Model != "", *more, "-model (the base model) and -base-url too"),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	exts := strings.Split(*formats, ",")

	var models []*llmagent.Agents
	if llmCfg.Model != "" {
		names := []string{llmCfg.Model}
		for _, m := range strings.Split(*more, ",") {
			if m = strings.TrimSpace(m); m != "" {
				names = append(names, m)
			}
		}
		for k, name := range names {
			cfg := *llmCfg
			cfg.Model = name
			if k > 0 && cfg.CachePath != "" {
				cfg.CachePath += "." + safeName(name)
			}
			agents, err := llmagent.Open(cfg)
			check(err)
			defer agents.Close()
			check(llmagent.UsePrompts(agents, *prompts))
			models = append(models, agents)
		}
	}
	summary := plots.Table{Title: "Small groups per round (mean over simulations)", Header: []string{"scenario", "round", "agents", "adoption", "mean opinion (0-10)", "value-action gap"}}
	fits := plots.Table{Title: "SAM (beta rule) fitted to the LLM agents' small-group runs: estimates [95% intervals]; scores in sample, and out of sample (fitted on the even groups, scored on the odd ones); defaults = theory.SAM{}",
		Header: []string{"scenario", "model", "transitions", "beta", "mu", "kappa", "s(round 2)", "s(round 3)",
			"opinion RMSE 0-10 fitted (defaults)", "action log-likelihood fitted (defaults)", "action agreement fitted (defaults)",
			"out of sample: opinion RMSE fitted (defaults)", "out of sample: action log-likelihood fitted (defaults)"}}
	var failed []string
	// The run directories of each model's LLM runs and of the theory fitted
	// to them, marked failed if the model's fallback budget is spent.
	llmDirs := map[string][]string{}
	budgetFailed := func(model string, err error) error {
		for _, dir := range llmDirs[model] {
			check(history.MarkFailed(dir, err))
		}
		return fmt.Errorf("%s: %w\n(its runs in %s are marked failed: history.Load refuses them)", model, err, filepath.Join(*out, "runs"))
	}
	distances := plots.Table{Title: "LLM agents against SAM theory agents, small groups", Header: []string{"scenario", "round", "model", "against",
		"opinion MAE (0-10)", "opinion RMSE (0-10)", "action agreement", "adoption error", "JS divergence (bits)", "Wasserstein-1 (0-10)", "gap LLM", "gap theory"}}
	for _, name := range strings.Split(*scenarios, ",") {
		sc, err := scenario.ByName(name)
		check(err)
		var groups []pop.Population
		var inputs []history.InputFile // the files the runs read, for their manifests
		if *coeff != "" {
			inputs, err = history.Inputs("population", pop.ReleaseFiles(*coeff, sc)...)
			check(err)
			groups, err = protocol.ReleaseGroups(*coeff, sc)
		} else {
			groups, err = protocol.SyntheticGroups(sc, *seed)
		}
		check(err)
		if *ngroups > 0 && *ngroups < len(groups) {
			groups = groups[:*ngroups]
		}
		var perGroup []*history.Run
		// run runs the small groups with model and saves them; llm names the
		// LLM the runs depend on ("" for theory agents).
		run := func(label, dir string, s *scenario.Scenario, model agent.Model, llm string) *history.Run {
			runs, err := protocol.SmallGroups{Scenario: s, Groups: groups, Agents: model, Replicates: *reps, Seed: *seed}.Run()
			check(err)
			perGroup = runs
			pooled, err := history.Pool(label, runs...)
			check(err)
			pooled.Manifest.Inputs = inputs
			path := filepath.Join(*out, "runs", sc.Name, dir)
			check(pooled.Save(path))
			if llm != "" {
				llmDirs[llm] = append(llmDirs[llm], path)
				// No calibration, release files or figures from runs over
				// the fallback budget.
				if err := llmagent.Check(model); err != nil {
					check(budgetFailed(llm, err))
				}
			}
			rr, err := history.ReleaseRuns(sc.ID, runs)
			check(err)
			check(history.SaveRelease(filepath.Join(*out, "release", sc.Name, dir), rr))
			return pooled
		}
		th := run("theory (SAM defaults)", "theory", sc, theory.SAM{}, "")
		runs := []*history.Run{th}
		first := th.Metrics()[0][0]
		source := "synthetic answers"
		if *coeff != "" {
			source = "real answers"
		}
		fmt.Printf("%s round 1 (%s, %d people): adoption %d/%d, mean opinion %.2f / 10; adoption these opinions give under SAM's own action rule: %.3f (a step-1 change by the rule alone, not dynamics)\n",
			sc.Name, source, len(th.People), int(first.Adoption*float64(len(th.People))+0.5), len(th.People), 10*first.MeanOpinion,
			theory.SAM{}.RuleAdoption(th.People))
		for _, agents := range models {
			model := agents.Client.Config().Model
			lm := run("LLM ("+model+")", "llm-"+safeName(model), sc, agents, model)
			lmGroups := perGroup
			against := []*history.Run{th}
			fit, err := calibrate.SAM(lm)
			if err != nil {
				fmt.Fprintf(os.Stderr, "validation: %s, %s: %v\n", sc.Name, model, err)
				failed = append(failed, sc.Name+" ("+model+")")
				fits.Add(sc.Name, model, "fit failed: "+err.Error())
				runs = append(runs, lm)
			} else {
				fmt.Printf("%s, %s: %s\n", sc.Name, model, fit)
				var even, odd []*history.Run
				for g, r := range lmGroups {
					if g%2 == 0 {
						even = append(even, r)
					} else {
						odd = append(odd, r)
					}
				}
				oosRMSE, oosLL := "n/a", "n/a"
				if half, err := calibrate.SAM(even...); err == nil && len(odd) > 0 {
					fo, do, err := half.Evaluate(odd...)
					check(err)
					oosRMSE, oosLL = f2(fo.OpinionRMSE)+" ("+f2(do.OpinionRMSE)+")", f3(fo.ActionLogLik)+" ("+f3(do.ActionLogLik)+")"
					fmt.Printf("%s, %s out of sample (fitted on %d groups, scored on %d): fitted %v; defaults %v\n", sc.Name, model, len(even), len(odd), fo, do)
				} else if err != nil {
					oosRMSE = "fit on the even groups failed: " + err.Error()
				}
				ci := func(name string) string {
					p, _ := fit.Param(name)
					return fmt.Sprintf("%.2f [%.2f, %.2f]", p.Estimate, p.Lo, p.Hi)
				}
				fits.Add(sc.Name, model, fmt.Sprint(fit.Transitions), ci("beta"), ci("mu"), ci("kappa"),
					ci("s(1)"), ci(fmt.Sprintf("s(%d)", len(fit.Signals)-1)),
					f2(fit.Fitted.OpinionRMSE)+" ("+f2(fit.Default.OpinionRMSE)+")", f3(fit.Fitted.ActionLogLik)+" ("+f3(fit.Default.ActionLogLik)+")",
					f3(fit.Fitted.ActionAgreement)+" ("+f3(fit.Default.ActionAgreement)+")", oosRMSE, oosLL)
				cal := run("theory (SAM fitted to "+model+")", "fitted-"+safeName(model), fit.Scenario(sc), fit.Model, model)
				runs = append(runs, lm, cal)
				against = append(against, cal)
			}
			for _, against := range against {
				ds, err := history.Compare(lm, against)
				check(err)
				for t := 1; t < len(ds); t++ {
					d := ds[t]
					distances.Add(sc.Name, fmt.Sprint(t+1), model, against.Manifest.Name, f2(d.OpinionMAE), f2(d.OpinionRMSE), f2(d.ActionAgreement),
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
	var budgetErrs []error
	for _, agents := range models {
		llmSummary, err := llmagent.Finish(agents)
		fmt.Print(llmSummary)
		if err != nil {
			budgetErrs = append(budgetErrs, budgetFailed(agents.Client.Config().Model, err))
		}
	}
	check(errors.Join(budgetErrs...))
	paths, err := summary.Save(filepath.Join(*out, "rounds"))
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))
	if len(models) > 0 {
		paths, err = distances.Save(filepath.Join(*out, "distances"))
		check(err)
		fmt.Println("wrote", strings.Join(paths, ", "))
		paths, err = fits.Save(filepath.Join(*out, "calibration"))
		check(err)
		fmt.Println("wrote", strings.Join(paths, ", "))
	}
	if len(failed) > 0 {
		check(fmt.Errorf("the SAM fit failed for %s (see above); the other outputs were written", strings.Join(failed, ", ")))
	}
}

// safeName turns a model name into a file or folder name.
func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

func f2(x float64) string { return fmt.Sprintf("%.2f", x) }
func f3(x float64) string { return fmt.Sprintf("%.3f", x) }
