package papers

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/stdlib/sim"
)

// TestMissingDataNamesTheFile: without the paper's data the presets say
// which file is missing and where to get it.
func TestMissingDataNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []func(string) (sim.Study, error){TAC2023PluralisticIgnorance, TAC2023Polarization} {
		_, err := f(dir)
		if !errors.Is(err, ErrNoData) {
			t.Fatalf("got %v, want ErrNoData", err)
		}
		for _, want := range []string{filepath.Join(dir, "COEVOLUTIONARY"), "github.com/lzino90/coevolutionary", "FILE.VARIABLE.csv"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%v: does not say %q", err, want)
			}
		}
	}
	// A malformed file is an error naming the file and the place, not ErrNoData.
	if err := os.WriteFile(filepath.Join(dir, "Wpol2.W.csv"), []byte("0,1\n0,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := TAC2023Polarization(dir)
	if err == nil || errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "row 2 column 2") {
		t.Fatalf("malformed Wpol2.W.csv: got %v", err)
	}
}

// TestPresetsHaveThePapersSetups checks what the presets promise.
func TestPresetsHaveThePapersSetups(t *testing.T) {
	c := Chaos2020Defaults(0.5, 0.004)
	seen := map[int]bool{}
	for seed := range uint64(20) {
		s, err := c.Study(seed)
		if err != nil {
			t.Fatal(err)
		}
		innov := s.Committed[0].Agent
		seen[innov] = true
		for i, p := range s.People {
			if i != innov && (p.Opinion0 != 0 || p.Action0 != 0) {
				t.Fatalf("agent %d starts at o %g x %d, want the status quo", i, p.Opinion0, p.Action0)
			}
		}
		g := s.Network.At(0)
		if g.Degree(7) != 4 || s.Steps != 801 {
			t.Fatalf("W degree %d, %d steps", g.Degree(7), s.Steps)
		}
	}
	if len(seen) < 10 {
		t.Fatalf("the innovator sat on only %d distinct nodes in 20 runs", len(seen))
	}
	pi, err := TAC2023PluralisticIgnorance(reference)
	if errors.Is(err, ErrNoData) {
		t.Skipf("the TAC 2023 presets are not checked: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if g := pi.Network.At(0); !g.HasEdge(0, 0) && g.Edges() == 0 {
		t.Fatal("no self-loops in the pluralistic-ignorance W")
	}
	pol, err := TAC2023Polarization(reference)
	if err != nil {
		t.Fatal(err)
	}
	adopt := 0
	for _, p := range pol.People[:10] {
		adopt += int(p.Action0)
	}
	if adopt != 9 || !pol.Network.At(0).Directed() {
		t.Fatalf("polarization: %d of the first community adopt, want 9 (one dissenter); directed %v", adopt, pol.Network.At(0).Directed())
	}
}
