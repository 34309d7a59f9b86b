package llmagent

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/llmsam/llmsam/internal/text"
	"github.com/llmsam/llmsam/stdlib/agent"
)

// ErrFallbackBudget is matched by the error a run stops with when more
// agent-steps kept their previous answer than Config.FallbackBudget allows.
var ErrFallbackBudget = errors.New("llmagent: over the fallback budget")

// budgetMinSteps is how many agent-steps must be answered before the
// budget is checked during a run; Check and Finish check it at any count.
const budgetMinSteps = 100

// tally counts a session's answers across every study the agents ran.
type tally struct {
	mu                               sync.Mutex
	steps, tries, invalid, fallbacks int
	samples                          []string // the first three invalid answers, described
}

func (t *tally) add(steps, tries, invalid, fallbacks int) {
	t.mu.Lock()
	t.steps += steps
	t.tries += tries
	t.invalid += invalid
	t.fallbacks += fallbacks
	t.mu.Unlock()
}

// sample keeps one of the first three invalid answers.
func (t *tally) sample(step, agentIdx, try int, why, raw string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.samples) < 3 {
		s := fmt.Sprintf("step %d, agent %d, try %d: %s", step, agentIdx, try, why)
		if raw != "" {
			s += fmt.Sprintf(": %q", text.Cut(raw, 300))
		}
		t.samples = append(t.samples, s)
	}
}

// Counts are a session's LLM agent totals.
type Counts struct {
	AgentSteps int // answers asked for (each agent at each step)
	Tries      int // prompts sent for them (re-asks included)
	Invalid    int // answers that did not parse (or a repeated server error)
	Fallbacks  int // agent-steps that kept the previous answer
}

// Counts returns the agents' totals so far, over every study they ran.
func (a *Agents) Counts() Counts {
	a.tally.mu.Lock()
	defer a.tally.mu.Unlock()
	return Counts{a.tally.steps, a.tally.tries, a.tally.invalid, a.tally.fallbacks}
}

// budgetError returns an error matching ErrFallbackBudget when the share of
// fallbacks exceeds the budget; during a run (final false) only once
// budgetMinSteps agent-steps were answered.
func (a *Agents) budgetError(final bool) error {
	budget := a.Client.Config().FallbackBudget
	a.tally.mu.Lock()
	defer a.tally.mu.Unlock()
	t := &a.tally
	if budget < 0 || t.steps == 0 || (!final && t.steps < budgetMinSteps) || float64(t.fallbacks) <= budget*float64(t.steps) {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d agent-steps (%.1f%%) kept their previous answer after %d invalid answers each, over the fallback budget of %g%% (-fallback-budget); %d of %d answers were invalid",
		t.fallbacks, t.steps, 100*float64(t.fallbacks)/float64(t.steps), a.tries(), 100*budget, t.invalid, t.tries)
	if len(t.samples) > 0 {
		fmt.Fprintf(&b, ". The first %d:", len(t.samples))
		for _, s := range t.samples {
			b.WriteString("\n  ")
			b.WriteString(s)
		}
		b.WriteString("\n")
	} else {
		b.WriteString(". ")
	}
	b.WriteString("The results would show the agents' earlier answers, not the model's: fix the prompts, -max-tokens or the server, or raise -fallback-budget")
	return fmt.Errorf("%w: %s", ErrFallbackBudget, b.String())
}

// Summary returns the session's one-line summary: requests sent, answers
// from the cache, retries, invalid answers, fallbacks and tokens.
func (a *Agents) Summary() string {
	c := a.Counts()
	s := a.Client.Stats()
	cfg := a.Client.Config()
	share := 0.0
	if c.AgentSteps > 0 {
		share = 100 * float64(c.Fallbacks) / float64(c.AgentSteps)
	}
	budget := "no budget"
	if cfg.FallbackBudget >= 0 {
		budget = fmt.Sprintf("budget %g%%", 100*cfg.FallbackBudget)
	}
	pt, ct := s.PromptTokens.Load(), s.CompletionTokens.Load()
	return fmt.Sprintf("LLM summary (%s): %d requests, %d cached, %d retries, %d invalid, %d fallbacks of %d agent-steps (%.1f%%, %s), %d tokens (%d prompt + %d completion)",
		cfg.Model, s.Requests.Load(), s.Cached.Load(), s.Retries.Load(), c.Invalid, c.Fallbacks, c.AgentSteps, share, budget, pt+ct, pt, ct)
}

// Check returns an error when the agents went over the fallback budget,
// whatever the number of agent-steps so far; scripts call it before they
// calibrate or compare on LLM runs. For a model without LLM agents (see
// agentsOf) it returns nil.
func Check(m agent.Model) error {
	a := agentsOf(m)
	if a == nil {
		return nil
	}
	return a.budgetError(true)
}

// Finish ends a script's LLM session: it returns the one-line summary
// (with its newline) and Check's error, so that no figure or table is made
// from a run over the fallback budget. For a model without LLM agents it
// returns "" and nil. Scripts print the line, then stop on the error:
//
//	summary, err := llmagent.Finish(agents)
//	fmt.Print(summary)
//	check(err)
func Finish(m agent.Model) (string, error) {
	a := agentsOf(m)
	if a == nil {
		return "", nil
	}
	return a.Summary() + "\n", a.budgetError(true)
}

// agentsOf returns the LLM agents behind a model: *Agents, the agents of
// *Archetypes, or either wrapped in agent.Activation; nil for others.
func agentsOf(m agent.Model) *Agents {
	switch v := m.(type) {
	case *Agents:
		return v
	case *Archetypes:
		if v != nil {
			return v.Agents
		}
	case agent.Activation:
		return agentsOf(v.Model)
	case *agent.Activation:
		if v != nil {
			return agentsOf(v.Model)
		}
	}
	return nil
}
