// Package pop holds populations: one Person per agent with the coefficients
// of the LLM-SAM study (a: susceptibility to friends, tau: stubbornness, f:
// susceptibility to external information, lambda: cost trade-off), the
// initial opinion and action, the initial reason and a private fact.
//
// Populations come from the release's coefficient CSV files (LoadCSV,
// LoadRelease) or from a synthetic sampler calibrated to the published
// statistics of each scenario (Synthetic), so that nothing outside the binary
// is needed for a default run.
package pop
