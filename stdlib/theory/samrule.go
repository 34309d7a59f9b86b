package theory

import (
	"fmt"
	"math"

	"github.com/llmsam/llmsam/stdlib/pop"
)

// ActionRule is how SAM's agents choose their action from their opinion.
type ActionRule int

const (
	// LogisticRule (the default) is the free logistic fitted to the 495
	// real initial answers of the LLM-SAM release:
	// P[x = 1] = sigma(Logit.Intercept + Logit.Opinion o + Logit.Lambda lambda + Kappa (p - 1/2)),
	// with DataLogit's coefficients when Logit is nil. It is the rule that
	// produced the step-0 actions, so step 1 does not move for a change of
	// rule alone.
	LogisticRule ActionRule = iota
	// BetaRule is P[x = 1] = sigma(Beta (o - lambda + Kappa (p - 1/2))). The
	// real answers reject it against LogisticRule (LR chi2 = 43.6, 2 df,
	// p = 3.5e-10; best Beta 7.6 +/- 0.7).
	BetaRule
	// ThresholdRule is x = 1[o - lambda + Kappa (p - 1/2) > 0] (BetaRule as
	// Beta -> infinity); it matches 83.2% of the real initial actions
	// (86.3% with o >= lambda).
	ThresholdRule
)

// String names the rule as ParseActionRule reads it.
func (r ActionRule) String() string {
	switch r {
	case LogisticRule:
		return "logistic"
	case BetaRule:
		return "beta"
	case ThresholdRule:
		return "threshold"
	}
	return fmt.Sprintf("ActionRule(%d)", int(r))
}

// ParseActionRule reads "logistic", "beta" or "threshold".
func ParseActionRule(s string) (ActionRule, error) {
	for _, r := range []ActionRule{LogisticRule, BetaRule, ThresholdRule} {
		if s == r.String() {
			return r, nil
		}
	}
	return 0, fmt.Errorf("action rule %q: want logistic, beta or threshold", s)
}

// Logit holds the coefficients of LogisticRule: the logit of adopting is
// Intercept + Opinion o + Lambda lambda (plus Kappa (p - 1/2)).
type Logit struct {
	Intercept, Opinion, Lambda float64
}

// DataLogit is the logistic regression of the 495 real initial actions on
// the initial opinion (0-1) and the cost coefficient lambda (LLM-SAM
// release, three scenarios pooled): intercept -3.21 (standard error 0.73),
// opinion 10.46 (0.96), lambda -4.86 (0.87); it puts 85.5% of the actions
// (423 of 495) on the side its probability favours. calibrate's
// TestDataLogitMatchesRealAnswers recomputes it from the release's files.
var DataLogit = Logit{Intercept: -3.21, Opinion: 10.46, Lambda: -4.86}

// samOpinion is SAM's opinion update of one agent with coefficients c: own
// opinion self (o_i(t), or o_i(0) when anchored), the weighted mean
// influence infl of its friends (when it has any), the signal s; clamped to
// [0,1]. The model and package calibrate use this one definition.
func samOpinion(c *pop.Coef, self, infl float64, friends bool, s float64) float64 {
	var on float64
	if friends {
		on = c.Tau*self + c.A*infl + c.F*s
	} else {
		on = (c.Tau+c.A)*self + c.F*s
	}
	return min(max(on, 0), 1)
}

// SAMOpinion is SAM's opinion update for one agent: tau o + a infl + f s
// with friends, (tau + a) o + f s without (infl is sum_j w_ij ((1 - mu) o_j
// + mu x_j)), clamped to [0,1]. It is the function the model runs.
func SAMOpinion(c pop.Coef, self, infl float64, friends bool, s float64) float64 {
	return samOpinion(&c, self, infl, friends, s)
}

// ActionLogit returns the logit of P[x_i = 1] for an agent with opinion o,
// cost coefficient lambda, share p of adopting friends (1/2 without
// friends) and per-agent rationality beta and coordination kappa; +Inf or
// -Inf under ThresholdRule. It is the rule the model runs.
func (m SAM) ActionLogit(o, lambda, p, beta, kappa float64) float64 {
	switch m.Rule {
	case BetaRule:
		return beta * (o - lambda + kappa*(p-0.5))
	case ThresholdRule:
		if o-lambda+kappa*(p-0.5) > 0 {
			return math.Inf(1)
		}
		return math.Inf(-1)
	}
	l := DataLogit
	if m.Logit != nil {
		l = *m.Logit
	}
	return l.Intercept + l.Opinion*o + l.Lambda*lambda + kappa*(p-0.5)
}

// AdoptionProbability returns P[x = 1] under the model's rule for an agent
// with opinion o, cost lambda and adopting-friend share p, with the model's
// scalar Beta and Kappa.
func (m SAM) AdoptionProbability(o, lambda, p float64) float64 {
	return sigmoid(m.ActionLogit(o, lambda, p, m.Beta, m.Kappa))
}

// RuleAdoption returns the expected adoption share if every person's
// action followed the model's rule at their initial opinion (friends'
// share p = 1/2: no coordination term). Reported beside the real step-0
// adoption, it separates what a change of rule does at step 1 from the
// dynamics.
func (m SAM) RuleAdoption(people pop.Population) float64 {
	if len(people) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, p := range people {
		sum += m.AdoptionProbability(p.Opinion0, p.Lambda, 0.5)
	}
	return sum / float64(len(people))
}
