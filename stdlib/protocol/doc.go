// Package protocol runs the LLM-SAM study's protocols with any agents:
// larger networks (101 agents on Barabasi-Albert, Watts-Strogatz and
// Erdos-Renyi graphs, windows of the pooled population, 3 rounds, 5 seeds),
// the dynamic network (50 agents, rewired every step, 10 steps with free
// chat, and its static control) and the small groups (3, 4 and 5 friends on
// complete graphs). Each returns the history.Runs of every window and
// topology, ready to save and plot.
package protocol
