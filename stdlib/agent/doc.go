// Package agent defines what every kind of agent implements and what it
// sees: the population State at a step (opinion, action and thought per
// agent), the Env of a step (network, people, scenario round, seeds,
// committed agents, earlier states) and the Model interface that theory
// models and LLM agents implement. The engine (package sim) drives Models;
// Models never import the engine.
package agent
