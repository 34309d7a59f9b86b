//go:build ignore

// Population (the study's figure group 1): the distributions of the four
// coefficients per scenario, and each scenario's opinion against cost
// coefficient scatter marked by decision, with the o = lambda boundary (the
// value-action gap); a table of the populations' statistics. From the
// built-in synthetic populations, or from the release's CSVs (-coeff DIR).
//
//	llmsam scripts/population.go -out out/population
//	llmsam scripts/population.go -coeff ../shared/reference/llmsam/coeff
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/llmsam/llmsam/plots"
	"github.com/llmsam/llmsam/stdlib/flagcheck"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "population:", err)
		os.Exit(1)
	}
}

func main() {
	out := flag.String("out", "out/population", "output folder")
	coeff := flag.String("coeff", "", "folder with the release's coeff{E}_{N}.csv files (default: built-in synthetic populations)")
	seed := flag.Uint64("seed", 1, "seed of the synthetic populations")
	formats := flag.String("formats", "png,pdf", "figure formats")
	flag.Parse()
	// Flag checks, before any work.
	if err := flagcheck.All(
		flagcheck.Formats("formats", *formats),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	exts := strings.Split(*formats, ",")

	source := "synthetic"
	if *coeff != "" {
		source = "release"
	}
	table := plots.Table{Title: "Populations (" + source + ")", Header: []string{"scenario", "people", "mean a", "mean tau", "mean f",
		"mean lambda", "mean opinion (0-10)", "adopters", "o >= 6 without adopting", "x = 1[o > lambda] holds", "x = 1[o >= lambda] holds"}}
	var labels []string
	var pops []pop.Population
	for _, sc := range scenario.Builtin() {
		people := pop.MustSynthetic(sc, 165, *seed+uint64(sc.ID))
		if *coeff != "" {
			var err error
			people, err = pop.LoadRelease(*coeff, sc)
			check(err)
		}
		s := people.Summarize()
		strict, weak := 0, 0
		for _, p := range people {
			if (p.Opinion0 > p.Lambda) == (p.Action0 == 1) {
				strict++
			}
			if (p.Opinion0 >= p.Lambda) == (p.Action0 == 1) {
				weak++
			}
		}
		table.Add(sc.Name, fmt.Sprint(s.N), f3(s.A), f3(s.Tau), f3(s.F), f3(s.Lambda), fmt.Sprintf("%.2f", 10*s.Opinion),
			fmt.Sprintf("%d/%d", s.Adopters, s.N), fmt.Sprint(s.GapHighOpinionNoAction), pct(strict, s.N), pct(weak, s.N))
		fmt.Printf("%s (%s): adoption %d/%d, mean opinion %.2f / 10, value-action gap %d\n", sc.Name, source, s.Adopters, s.N, 10*s.Opinion, s.GapHighOpinionNoAction)
		labels = append(labels, sc.Name)
		pops = append(pops, people)
		paths, err := plots.ValueActionGap(fmt.Sprintf("%s, round 1 (%s population)", sc.Title, source), people, nil).SaveAs(filepath.Join(*out, "gap_"+sc.Name), exts...)
		check(err)
		fmt.Println("wrote", strings.Join(paths, ", "))
	}
	fig := plots.Coefficients(labels, pops...)
	fig.Title = "Coefficient distributions per scenario (" + source + " populations, 165 people each)"
	paths, err := fig.SaveAs(filepath.Join(*out, "coefficients"), exts...)
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))
	paths, err = table.Save(filepath.Join(*out, "population"))
	check(err)
	fmt.Println("wrote", strings.Join(paths, ", "))
}

func f3(x float64) string { return fmt.Sprintf("%.3f", x) }

func pct(k, n int) string { return fmt.Sprintf("%.1f%%", 100*float64(k)/float64(n)) }
