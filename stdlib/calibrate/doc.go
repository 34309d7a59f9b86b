// Package calibrate fits the SAM model's free parameters to observed
// trajectories (LLM agents' runs, or any run directory): the dominant
// agent's message s(t) per step and the weight of observed actions mu by
// least squares on the opinion update (the Gaussian maximum likelihood),
// and the rationality beta and coordination pressure kappa by maximum
// likelihood of the logistic action rule (Newton's method on a convex
// problem). It reports the fit against SAM's defaults on the same data.
package calibrate
