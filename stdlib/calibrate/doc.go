// Package calibrate fits the SAM model's free parameters to observed
// trajectories (LLM agents' runs, or any run directory) and says how sure
// it is. It reads each run's recorded network (edge weights normalised by
// row), schedule of rounds and committed agents, and uses the model's own
// update (theory.SAMOpinion, theory.SAM.ActionLogit):
//
//   - the weight of observed actions mu and the dominant agent's message
//     s(t) per step by least squares in closed form (the opinion update is
//     linear in them), with standard errors and Student-t 95% intervals;
//   - the rationality beta and coordination pressure kappa of SAM's beta
//     rule by maximum likelihood (Newton's method with a line search and a
//     convergence check), with Wald intervals; separable actions (no finite
//     beta) and actions that do not rise with opinions are reported as
//     errors, never as a diverged or negative beta;
//   - goodness of fit against SAM's defaults on the same transitions, and
//     out of sample with Fit.Evaluate on held-out groups or replicates.
//
// Logistic and Linear are the two estimators, usable on their own. The
// package's tests check that the intervals contain the true parameters of
// synthetic runs about 95% of the time.
package calibrate
