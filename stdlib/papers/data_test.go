package papers

import (
	"path/filepath"
	"testing"
)

// TestEmbeddedDataMatchesReference checks tacdata.go against the CSV
// copies of the authors' .mat files.
func TestEmbeddedDataMatchesReference(t *testing.T) {
	dir := filepath.Join(reference, "COEVOLUTIONARY")
	if _, err := readCSV(filepath.Join(dir, "sWA.A.csv")); err != nil {
		t.Skipf("reference folder absent (%v): the embedded TAC 2023 data are not checked", err)
	}
	for file, m := range map[string]sparseMatrix{"sWA.A.csv": sWAA, "sWA.W.csv": sWAW, "Wpol2.W.csv": wpol2} {
		want, err := readCSV(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		got := m.dense()
		for i, r := range want {
			for j, x := range r {
				if got[i*m.n+j] != x {
					t.Fatalf("%s (%d,%d): embedded %g, reference %g", file, i+1, j+1, got[i*m.n+j], x)
				}
			}
		}
	}
	for file, v := range map[string][]float64{"plig.xWsep1.csv": pligXW, "plig.xMsep1.csv": pligXM, "plig.yWsep1.csv": pligYW,
		"plig.yMsep1.csv": pligYM, "i.i.csv": ints(ticksPI, 0), "i_exam.i.csv": ints(ticksPolar, 0)} {
		want, err := readCSV(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if len(want[0]) != len(v) {
			t.Fatalf("%s: %d embedded values, %d in the reference", file, len(v), len(want[0]))
		}
		for k, x := range want[0] {
			if v[k] != x {
				t.Fatalf("%s entry %d: embedded %g, reference %g", file, k+1, v[k], x)
			}
		}
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
	pi, err := TAC2023PluralisticIgnorance()
	if err != nil {
		t.Fatal(err)
	}
	if g := pi.Network.At(0); !g.HasEdge(0, 0) && g.Edges() == 0 {
		t.Fatal("no self-loops in the pluralistic-ignorance W")
	}
	pol, err := TAC2023Polarization()
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
