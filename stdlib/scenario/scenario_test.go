package scenario

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestSchedule(t *testing.T) {
	s := Dishwasher().Schedule(3)
	if s[0].Name != "initial" || s[1].Name != "price cut" || s[2].Name != "ad campaign" {
		t.Fatalf("3-step schedule: %+v", s)
	}
	d := Dishwasher().Schedule(10)
	if d[1].Name != "price cut" || d[9].Name != "ad campaign" {
		t.Fatalf("10-step schedule ends: %q, %q", d[1].Name, d[9].Name)
	}
	for t2 := 2; t2 <= 8; t2++ {
		if !d[t2].FreeChat || d[t2].Strength != d[1].Strength || d[t2].Info != "" {
			t.Fatalf("step %d: %+v, want a free-chat round keeping strength %g", t2, d[t2], d[1].Strength)
		}
	}
}

func TestBuiltinValid(t *testing.T) {
	for _, s := range Builtin() {
		if err := s.Validate(); err != nil {
			t.Error(err)
		}
		sum := 0
		for _, c := range s.Calibration.OpinionCounts {
			sum += c
		}
		if sum != 165 || len(s.Facts) != 5 || len(s.Rounds) != 3 {
			t.Errorf("%s: %d opinions, %d facts, %d rounds", s.Name, sum, len(s.Facts), len(s.Rounds))
		}
		got, err := ByName(s.Name)
		if err != nil || got.ID != s.ID {
			t.Errorf("ByName(%q): scenario %d, %v", s.Name, got.ID, err)
		}
	}
}

// TestBuiltinsAreCopies checks that changing a built-in scenario handed to a
// cell leaves the next one unchanged.
func TestBuiltinsAreCopies(t *testing.T) {
	sc := *Dishwasher()
	sc.Rounds[1].Strength = 0
	sc.Facts[0] = "changed"
	byName, _ := ByName("dishwasher")
	for _, d := range []*Scenario{Dishwasher(), byName, Builtin()[0]} {
		if d.Rounds[1].Strength != 0.75 || d.Facts[0] == "changed" {
			t.Fatalf("a change to a copy reached the built-in: %+v", d.Rounds[1])
		}
	}
	if _, err := ByName("toaster"); err == nil {
		t.Fatal("unknown scenario accepted")
	}
	bad := *Dishwasher()
	bad.Rounds = []Round{{Strength: 2}}
	if bad.Validate() == nil {
		t.Fatal("strength 2 accepted")
	}
}

// TestReleaseFacts checks the built-in private facts' signs against the
// release's prompts (github.com/pzs19/LLM-SAM): dishwasher 2 favourable then 3 not; waste sorting
// +, +, -, -, +; 5G +, -, +, +, -.
func TestReleaseFacts(t *testing.T) {
	want := map[string][]bool{
		"dishwasher": {true, true, false, false, false},
		"waste":      {true, true, false, false, true},
		"5g":         {true, false, true, true, false},
	}
	for _, s := range Builtin() {
		if fmt.Sprint(s.Favours) != fmt.Sprint(want[s.Name]) || len(s.Facts) != 5 {
			t.Errorf("%s: signs %v, want %v", s.Name, s.Favours, want[s.Name])
		}
		if s.Opinion == "" || s.Source == "" || len(s.Examples) != 3 {
			t.Errorf("%s: opinion meaning %q, source %q, %d worked examples", s.Name, s.Opinion, s.Source, len(s.Examples))
		}
	}
	for _, want := range []string{"1,500", "10,000", "more than 7 people"} {
		if !strings.Contains(Dishwasher().Option, want) {
			t.Errorf("dishwasher option lacks %q", want)
		}
	}
	for _, want := range []string{"Enjoy Card", "5 CNY per GB", "0.1 CNY per minute", "free incoming calls"} {
		if !strings.Contains(FiveG().Role, want) {
			t.Errorf("5G role lacks %q", want)
		}
	}
}

// TestWorkedExamplesMatchRelease compares the built-in worked examples with
// the release's (examples.csv in the reference folder).
func TestWorkedExamplesMatchRelease(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "reference", "llmsam", "examples.csv")
	if d := os.Getenv("LLMSAM_REFERENCE"); d != "" {
		path = filepath.Join(d, "examples.csv")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("reference data not found (%v): expected ../shared/reference/llmsam beside the repository", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 10 {
		t.Fatalf("%d rows in %s, want a header and 9", len(rows), path)
	}
	for _, r := range rows[1:] {
		sc, err := ByName(r[0])
		if err != nil {
			t.Fatal(err)
		}
		k, _ := strconv.Atoi(r[1])
		e := sc.Examples[k-1]
		got := fmt.Sprintf("%d,%g,%g,%g,%g", e.PoolRow, e.Coef.A, e.Coef.Tau, e.Coef.F, e.Coef.Lambda)
		for i := range 3 {
			d := "No"
			if e.Decisions[i] {
				d = "Yes"
			}
			got += fmt.Sprintf(",%d,%s", e.Opinions[i], d)
		}
		if want := strings.Join(r[2:], ","); got != want {
			t.Errorf("scenario %s example %d: %s, want %s", r[0], k, got, want)
		}
	}
}
