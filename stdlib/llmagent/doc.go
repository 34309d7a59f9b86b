// Package llmagent provides LLM agents: each agent plays one person of the
// population with that person's coefficients, answering every step with a
// short thought, an opinion 0-10 and a Yes/No decision, through an
// llm.Client.
//
// Prompts are Go text/template values (a script may replace them). The
// default set (DefaultTemplates) tells an agent what the LLM-SAM release's
// prompts told it, in the project's own words: the task, the scenario with
// its facts, a note on critical thinking, the scenario's three real
// participants with their answers in all three rounds, each coefficient's
// value and meaning with no rule for combining them, the opinion's meaning,
// the private fact, the agent's own answers, the round's news, the friends'
// latest answers and the question, with the final-round framing and real
// free-chat steps. The release set (ReleaseTemplates) reproduces the
// release's prompts with their quirks, to rerun its experiment as it was.
// Both put the text shared by every agent first, the agent's own text next
// and the round's text last, so that vLLM's prefix cache hits.
//
// Answers are parsed by strict, deterministic rules (Parser). An answer
// that does not parse is asked again, with a new seed, up to Tries times
// before the agent keeps its previous answer, as the LLM-SAM release did,
// but counted; more fallbacks than llm.Config.FallbackBudget stop the run.
// A request that got no answer stops the run with the server's error; it
// is never taken for an invalid answer. Everything that went wrong is
// recorded per agent and step (agent.ErrorRecord, errors.jsonl in the run
// directory), and Finish gives scripts their one summary line.
package llmagent
