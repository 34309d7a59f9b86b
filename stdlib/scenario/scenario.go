package scenario

import (
	"fmt"
	"strings"
)

// Scenario is one decision problem of the study.
type Scenario struct {
	ID    int    // 1, 2, 3 for the study's scenarios; free for user scenarios
	Name  string // short key, e.g. "dishwasher"
	Title string // human title, e.g. "Buying a built-in dishwasher"

	Role   string // who the agent is, second person ("You are ...")
	Option string // the option and its facts
	Ask    string // the yes/no question; Yes means action x = 1
	Costs  string // what the trade-off coefficient lambda refers to

	// Opinion says what the 0-10 opinion means in this scenario (the
	// decision is asked separately), e.g. "how satisfied you are with this
	// dishwasher ...: 0 completely dissatisfied, 10 completely satisfied".
	Opinion string
	// Source names who brings the rounds' new information (the seller, the
	// community, the operator): the f coefficient is the weight of what it says.
	Source string
	// Examples are real participants of the scenario shown to LLM agents as
	// worked examples (their coefficients and their answers in every round).
	Examples []Example

	// Rounds[0] is the first round (initial answers, no new information);
	// later rounds bring new information from the dominant agent.
	Rounds []Round
	// Facts are short private facts, favourable or not; agent i receives
	// Facts[i % len(Facts)].
	Facts []string
	// Favours[k] tells whether Facts[k] speaks for the option (x = 1);
	// optional, for documentation and checks.
	Favours []bool

	// Calibration holds the statistics of the real population that the
	// synthetic sampler reproduces.
	Calibration Calibration
}

// Round is one round of a scenario.
type Round struct {
	Name string // e.g. "price cut"
	Info string // the new information given to agents this round ("" for none)
	// Strength is the dominant agent's message s(t) in [0,1] that enters the
	// SAM opinion update as f_i * s(t): how favourable the round's external
	// information is to the option.
	Strength float64
	// FreeChat marks a round without new information where agents only read
	// their friends and either change their mind or try to persuade them.
	FreeChat bool
}

// Calibration is a per-scenario summary of the released participants (165 per
// scenario), enough to sample a synthetic population: means and standard
// deviations of the coefficients, the counts of initial answers 0..10, and a
// logistic model of the initial action P(x=1) = sigma(c0 + c1 o + c2 lambda).
type Calibration struct {
	Mean, SD      Coefficients
	OpinionCounts [11]int
	ActionLogit   [3]float64
	// Adopters is the number of real initial adopters out of People.
	Adopters, People int
}

// Coefficients groups the four per-person coefficients.
type Coefficients struct{ A, Tau, F, Lambda float64 }

// Example is a real participant of a scenario: coefficients and the 0-10
// opinion and Yes/No decision given in each round.
type Example struct {
	PoolRow   int // 0-based row in the scenario's pooled population (coeff{E}_3, _4, _5 concatenated)
	Coef      Coefficients
	Opinions  []int  // per round, 0..10
	Decisions []bool // per round, true for Yes
}

// Schedule returns the round used at each of steps steps. With as many steps
// as rounds or fewer, step t uses Rounds[t]. With more steps (the dynamic
// protocol: 10 steps for 3 rounds), the first len(Rounds)-1 steps use the
// rounds in order, the last step uses the last round, and the steps between
// are free-chat rounds that keep the previous message strength.
func (s *Scenario) Schedule(steps int) []Round {
	out := make([]Round, steps)
	r := len(s.Rounds)
	for t := range out {
		switch {
		case steps <= r || t < r-1:
			out[t] = s.Rounds[t]
		case t == steps-1:
			out[t] = s.Rounds[r-1]
		default:
			out[t] = Round{Name: "free chat", FreeChat: true, Strength: out[t-1].Strength}
		}
	}
	return out
}

// Validate checks that the scenario can be simulated.
func (s *Scenario) Validate() error {
	if s == nil {
		return fmt.Errorf("scenario is nil")
	}
	if len(s.Rounds) == 0 {
		return fmt.Errorf("scenario %q: no rounds", s.Name)
	}
	for i, r := range s.Rounds {
		if r.Strength < 0 || r.Strength > 1 || r.Strength != r.Strength {
			return fmt.Errorf("scenario %q: round %d (%s): strength %g, want [0,1]", s.Name, i+1, r.Name, r.Strength)
		}
	}
	return nil
}

// Fact returns the private fact of agent i, or "" when there are none.
func (s *Scenario) Fact(i int) string {
	if len(s.Facts) == 0 {
		return ""
	}
	return s.Facts[i%len(s.Facts)]
}

// Builtin returns fresh copies of the study's three scenarios in order.
func Builtin() []*Scenario { return []*Scenario{Dishwasher(), WasteSorting(), FiveG()} }

// Clone returns a deep copy of s: its rounds and facts are new slices, so
// that changing the copy leaves s (and every study using s) as it was.
func (s *Scenario) Clone() *Scenario {
	c := *s
	c.Rounds = append([]Round(nil), s.Rounds...)
	c.Facts = append([]string(nil), s.Facts...)
	c.Favours = append([]bool(nil), s.Favours...)
	c.Examples = nil
	for _, e := range s.Examples {
		e.Opinions = append([]int(nil), e.Opinions...)
		e.Decisions = append([]bool(nil), e.Decisions...)
		c.Examples = append(c.Examples, e)
	}
	return &c
}

// ByName returns a fresh copy of a built-in scenario found by name
// ("dishwasher", "waste", "5g") or by number ("1", "2", "3").
func ByName(name string) (*Scenario, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	var names []string
	for _, s := range Builtin() {
		if key == s.Name || key == fmt.Sprint(s.ID) {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return nil, fmt.Errorf("unknown scenario %q: want one of %s (or 1, 2, 3)", name, strings.Join(names, ", "))
}
