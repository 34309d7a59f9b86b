// Package llmagent provides LLM agents: each agent plays one person of the
// population with that person's coefficients, answering every step with a
// short thought, an opinion 0-10 and a Yes/No decision, through an
// llm.Client. Prompts are Go text/template values (a script may replace
// them) written in the project's own words; they put the text shared by
// every agent first, the agent's own text next and the round's text last,
// so that vLLM's prefix cache hits. Agents see their own earlier answers
// and their friends' latest ones, and free-chat rounds really ask them to
// persuade or be persuaded.
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
