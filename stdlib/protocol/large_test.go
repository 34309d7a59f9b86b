package protocol

import (
	"testing"

	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func TestLargeWindowsAndTopologies(t *testing.T) {
	pool := pop.MustSynthetic(scenario.WasteSorting(), 165, 3)
	res, err := Large{Scenario: scenario.WasteSorting(), Pool: pool, Agents: theory.SAM{}, Windows: []int{0, 64}, Replicates: 2, Seed: 5, Quiet: true}.Run()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Topologies) != 3 || res.Topologies[0] != "BA" {
		t.Fatalf("topologies %v", res.Topologies)
	}
	for _, top := range res.Topologies {
		g := res.Graphs[top]
		if g.N() != 101 {
			t.Fatalf("%s: %d nodes", top, g.N())
		}
		for k, w := range []int{0, 64} {
			r := res.Runs[top][k]
			if r.Manifest.Labels["window"] != map[int]string{0: "0", 64: "64"}[w] || len(r.Replicates) != 2 || r.Steps() != 3 {
				t.Fatalf("%s window %d: manifest %+v", top, w, r.Manifest)
			}
			for i, o := range r.Replicates[0].States[0].Opinion {
				if o != pool[w+i].Opinion0 {
					t.Fatalf("%s window %d agent %d: initial opinion %g, want pool[%d] = %g", top, w, i, o, w+i, pool[w+i].Opinion0)
				}
			}
		}
	}
	if _, err := (Large{Pool: pool, Agents: theory.SAM{}, Windows: []int{100}, Quiet: true}).Run(); err == nil {
		t.Fatal("a window past the pool must be refused")
	}
}
