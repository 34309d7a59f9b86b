// Package metrics computes what every run reports per step (docs/MODELS.md
// "Metrics"): adoption rate; mean, variance and 11-bin histogram of opinions;
// the value-action gap; the unpopular-norm index; paradigm-shift detection;
// polarization (variance, share at the extremes, bimodality coefficient,
// opinion assortativity across edges); and distances between two runs for
// validation (opinion MAE and RMSE on the 0-10 scale, action agreement,
// adoption-rate error, Jensen-Shannon divergence between opinion histograms
// and Wasserstein-1 between the raw opinions, which the histograms'
// answer-sized bins would blur).
//
// Functions take states and graphs, never engines: they are pure and cheap
// (O(n), or O(n + m) for assortativity).
package metrics
