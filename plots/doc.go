// Package plots draws the figures of a study on gonum/plot: opinion and
// adoption trajectories with mean +/- sd bands over replicates, opinion
// histograms per step, heat maps of parameter sweeps, the value-action gap
// scatter, coefficient distributions, and network drawings with a
// force-directed layout (nodes coloured by opinion, shaped by action, sized
// by degree). Every function returns a *Figure whose Save writes PNG, SVG or
// PDF by the file's extension, sized to be readable in a paper.
//
// Plots read histories and metrics, never engines.
package plots
