// Package theory provides the theory models of opinion-action coevolution
// as compiled agent.Models: SAM (the reconstruction matching LLM-SAM's
// per-person coefficients), the two-layer model of Zino, Ye and Cao (Chaos
// 2020), their best-response model with prejudice (IEEE CDC 2020), the
// payoff-based model of Aghbolagh, Ye, Zino, Chen and Cao (IEEE TAC 2023), and
// the classical opinion models DeGroot, Friedkin-Johnsen, Hegselmann-Krause,
// Deffuant-Weisbuch and the voter model.
//
// Every model takes scalar parameters with optional per-agent overrides (a
// slice field with a plural name, e.g. Lambda and Lambdas), leaves committed
// agents untouched, and draws randomness only from the agent.Env, so the
// same seed always gives the same run. Models that work on the {-1,+1}
// action scale and [-1,1] opinions convert at the boundary: states always
// hold opinions in [0,1] and actions in {0,1}.
//
// The papers' own set-ups (graphs, initial conditions, tick sequences) are
// presets in package papers, checked tick for tick against the authors'
// released code; docs/MODELS.md gives the equations and the evidence.
package theory
