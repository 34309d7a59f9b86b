package scenario

import "testing"

func TestSchedule(t *testing.T) {
	s := Dishwasher.Schedule(3)
	if s[0].Name != "initial" || s[1].Name != "price cut" || s[2].Name != "ad campaign" {
		t.Fatalf("3-step schedule: %+v", s)
	}
	d := Dishwasher.Schedule(10)
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
		if err != nil || got != s {
			t.Errorf("ByName(%q) = %v, %v", s.Name, got, err)
		}
	}
	if _, err := ByName("toaster"); err == nil {
		t.Fatal("unknown scenario accepted")
	}
	bad := *Dishwasher
	bad.Rounds = []Round{{Strength: 2}}
	if bad.Validate() == nil {
		t.Fatal("strength 2 accepted")
	}
}
