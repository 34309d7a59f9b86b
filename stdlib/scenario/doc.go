// Package scenario describes what agents decide about: the topic, the agent's
// role, the option (action x = 1 means adopting it), the rounds with their new
// information and the dominant agent's message strength s(t), the private
// facts handed out to agents, and the statistics a synthetic population is
// calibrated to.
//
// The three scenarios of the LLM-SAM study are built in (Dishwasher,
// WasteSorting, FiveG), written in the project's own words from the study's
// facts; user scenarios are ordinary Scenario values built in a script.
package scenario
