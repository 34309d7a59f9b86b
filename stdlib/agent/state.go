package agent

// State is the population's state at one step: agent i's opinion in [0,1]
// (1 fully supports the new option), action (1 adopts, 0 keeps the status
// quo) and, for agents that explain themselves (LLM agents), a thought.
type State struct {
	Opinion []float64
	Action  []uint8
	Thought []string // nil for models without thoughts
}

// NewState returns a state for n agents, all at opinion 0 and action 0.
func NewState(n int) *State {
	return &State{Opinion: make([]float64, n), Action: make([]uint8, n)}
}

// N returns the number of agents.
func (s *State) N() int { return len(s.Opinion) }

// Clone returns a deep copy.
func (s *State) Clone() *State {
	c := &State{
		Opinion: append([]float64(nil), s.Opinion...),
		Action:  append([]uint8(nil), s.Action...),
	}
	if s.Thought != nil {
		c.Thought = append([]string(nil), s.Thought...)
	}
	return c
}

// CopyFrom overwrites s with src, which must have the same size.
func (s *State) CopyFrom(src *State) {
	copy(s.Opinion, src.Opinion)
	copy(s.Action, src.Action)
	switch {
	case src.Thought == nil:
		s.Thought = nil
	case s.Thought == nil:
		s.Thought = append([]string(nil), src.Thought...)
	default:
		copy(s.Thought, src.Thought)
	}
}

// Adoption returns the share of agents with action 1.
func (s *State) Adoption() float64 {
	if len(s.Action) == 0 {
		return 0
	}
	n := 0
	for _, x := range s.Action {
		n += int(x)
	}
	return float64(n) / float64(len(s.Action))
}

// MeanOpinion returns the mean opinion.
func (s *State) MeanOpinion() float64 {
	if len(s.Opinion) == 0 {
		return 0
	}
	sum := 0.0
	for _, o := range s.Opinion {
		sum += o
	}
	return sum / float64(len(s.Opinion))
}
