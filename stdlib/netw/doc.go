// Package netw provides the social networks agents live on: a compressed sparse
// row (CSR) adjacency for undirected and directed, optionally weighted graphs;
// seeded generators (complete, Erdos-Renyi, Barabasi-Albert, Watts-Strogatz,
// random regular, stochastic block model); dynamic networks as a sequence of snapshots or a
// rewiring process; readers and writers for NumPy .npy files (the LLM-SAM
// release's format), edge lists and CSV matrices; and structural statistics
// (degree, clustering, connected components).
//
// Every generator takes an explicit seed and is deterministic: the same
// arguments give the same graph on every machine.
package netw
