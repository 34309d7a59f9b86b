package scenario

import "testing"

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
