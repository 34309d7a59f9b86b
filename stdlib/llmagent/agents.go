package llmagent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/llmsam/llmsam/internal/text"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/pop"
)

// Agents are LLM agents: an agent.Model that asks a model, through Client,
// for every agent's answer at every step.
type Agents struct {
	Client      *llm.Client
	Templates   *Templates     // nil: DefaultTemplates()
	Tries       int            // prompts per agent and step before keeping the previous answer; default 3
	Examples    int            // round-1 examples of people with a reason added to the scenario's worked examples; default 0
	ExamplePool pop.Population // where those come from (never the agent itself); default the study's people
	MaxFriends  int            // friends listed in a prompt (0: all), chosen at random per agent and step
	NoMemory    bool           // hide the agent's own earlier answers, as the release did
	NoThought   bool           // the prompts do not ask for a thought: answers without one are valid

	tally tally // the session's counts, for the fallback budget and the summary
}

// New returns agents on a client with the default prompts and 3 tries.
func New(c *llm.Client) *Agents { return &Agents{Client: c} }

// IOBound tells the engine to run every replicate at once: the agents wait
// on servers, not on cores.
func (a *Agents) IOBound() bool { return true }

// Name implements the engine's model naming.
func (a *Agents) Name() string { return "llm:" + a.Client.Config().Model }

// MarshalJSON describes the agents in a manifest: the client's public
// configuration (never the key) and the agents' own options.
func (a *Agents) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"llm": a.Client.Config().Public(), "tries": a.tries(), "examples": a.Examples,
		"max_friends": a.MaxFriends, "memory": !a.NoMemory, "custom_templates": a.Templates != nil,
		"thought_required": !a.NoThought, "request_seeds": a.seedRule(), "prompts": a.templates().Name,
	})
}

func (a *Agents) tries() int {
	if a.Tries <= 0 {
		return 3
	}
	return a.Tries
}

// defaultTemplates is parsed once; templates are safe for concurrent use.
var defaultTemplates = sync.OnceValue(DefaultTemplates)

func (a *Agents) templates() *Templates {
	if a.Templates == nil {
		return defaultTemplates()
	}
	return a.Templates
}

// Validate checks the agents before a run.
func (a *Agents) Validate(n int) error {
	if a.Client == nil {
		return fmt.Errorf("llmagent: Agents.Client is nil: create one with llm.New")
	}
	t := a.templates()
	if t.Shared == nil || t.Agent == nil || t.Round == nil {
		return fmt.Errorf("llmagent: Templates.Shared, Agent and Round must all be set")
	}
	return nil
}

// Step implements agent.Model: it asks every free agent for its answer,
// re-asks those whose answer does not parse (with the next try's seed),
// and keeps the previous answer of an agent after Tries invalid answers,
// counted. A request that got no answer (a refused key, an unknown model,
// retries spent) stops the run with the server's error; it never becomes
// an invalid answer or a fallback. Everything that went wrong is recorded
// (errors.jsonl), and once 100 agent-steps were answered the run stops
// when the fallbacks exceed Config.FallbackBudget.
func (a *Agents) Step(ctx context.Context, env *agent.Env, cur, next *agent.State) error {
	if env.Scenario == nil {
		return fmt.Errorf("llmagent: the study needs a Scenario")
	}
	n := cur.N()
	if next.Thought == nil {
		next.Thought = make([]string, n)
	}
	cfg := a.Client.Config()
	type job struct {
		agent  int
		prompt prompt // in chat mode, the user message as its JSON string when it can be
		usage  agent.Usage
		done   bool
	}
	var jobs []*job
	prompts := newPromptCache(a, a.templates(), env, cur)
	for i := range n {
		if env.IsCommitted(i) {
			continue
		}
		var into *[]byte // a new buffer per job, held for every try
		if cfg.Mode != llm.Completion {
			into = new([]byte)
		}
		p, err := prompts.exact(i, into)
		if err != nil {
			return err
		}
		jobs = append(jobs, &job{agent: i, prompt: p, usage: agent.Usage{Agent: i}})
	}
	seeds := newSeeder(env)
	parser := Parser{ThoughtOptional: a.NoThought}
	for try := 0; try < a.tries(); try++ {
		var pending []*job
		var reqs []llm.Request
		for _, j := range jobs {
			if j.done {
				continue
			}
			pending = append(pending, j)
			r := llm.Request{
				ID:    requestID(env, 'a', j.agent, -1, try),
				Agent: j.agent, Seed: a.requestSeed(seeds, env, j.agent, try), Attempt: try,
			}
			if cfg.Mode == llm.Completion {
				r.Prompt = j.prompt.shared + "\n" + j.prompt.user + a.completionSuffix()
			} else {
				r.Messages = []llm.Message{{Role: "system", Content: j.prompt.shared}, j.prompt.message()}
				r.Schema = a.templates().Schema()
			}
			reqs = append(reqs, r)
		}
		if len(pending) == 0 {
			break
		}
		resps := a.Client.Do(ctx, reqs)
		var stop error
		var stopRecord *agent.ErrorRecord // the error that stops the run, recorded once
		var stopUsage *agent.Usage
		for k, j := range pending {
			resp := resps[k]
			u := &j.usage
			u.Tries++
			u.Retries += resp.Retries
			if resp.Cached {
				u.Cached++
			} else {
				u.Requests += 1 + resp.Retries
			}
			for _, f := range resp.Failures {
				u.Errors = append(u.Errors, failureRecord(env.Step, j.agent, try, f, f.Kind))
			}
			if resp.Err != nil {
				var le *llm.Error
				isLLM := errors.As(resp.Err, &le)
				if errors.Is(resp.Err, llm.ErrRepeated) {
					// The same server error twice for the same request:
					// the request itself makes the server fail, so it is
					// an invalid answer, asked again with a new seed.
					u.Invalid++
					u.Errors = append(u.Errors, failureRecord(env.Step, j.agent, try, le.Failure, "invalid: "+le.Kind))
					a.tally.sample(env.Step, j.agent, try, fmt.Sprintf("HTTP %d twice from %s: %s", le.Status, le.Endpoint, le.Message), "")
					continue
				}
				if stop == nil || (errors.Is(stop, context.Canceled) && !errors.Is(resp.Err, context.Canceled)) {
					stop = fmt.Errorf("agent %d: %w", j.agent, resp.Err)
					stopRecord = nil
					if isLLM {
						r := failureRecord(env.Step, j.agent, try, le.Failure, "fatal: "+le.Kind)
						stopRecord, stopUsage = &r, u
					}
				}
				continue
			}
			u.PromptTokens += resp.Usage.PromptTokens
			u.CompletionTokens += resp.Usage.CompletionTokens
			if !resp.Cached {
				u.Cost += (float64(resp.Usage.PromptTokens)*cfg.PriceInput + float64(resp.Usage.CompletionTokens)*cfg.PriceOutput) / 1e6
			}
			ans, err := parser.Parse(resp.Text)
			if err != nil {
				msg := err.Error()
				if resp.FinishReason == "length" {
					msg += fmt.Sprintf(" (the answer was cut at -max-tokens %d)", cfg.MaxTokens)
				}
				u.Invalid++
				u.Errors = append(u.Errors, agent.ErrorRecord{Step: env.Step, Agent: j.agent, Try: try, Kind: "invalid",
					Message: msg, Raw: text.Cut(resp.Text, 2048)})
				a.tally.sample(env.Step, j.agent, try, msg, resp.Text)
				continue
			}
			j.done = true
			next.Opinion[j.agent] = float64(ans.Opinion) / 10
			next.Action[j.agent] = 0
			if ans.Decision {
				next.Action[j.agent] = 1
			}
			next.Thought[j.agent] = ans.Thought
		}
		if stop != nil {
			// Keep the record of what went wrong; the step is not answered.
			if stopRecord != nil {
				stopUsage.Errors = append(stopUsage.Errors, *stopRecord)
			}
			for _, j := range jobs {
				if len(j.usage.Errors) > 0 {
					env.Record(j.usage)
				}
			}
			return stop
		}
	}
	var fallbacks, invalid, tries int
	for _, j := range jobs {
		if !j.done {
			// Keep the previous answer, as the release does (next holds a copy of cur).
			j.usage.Fallback = true
			fallbacks++
		}
		invalid += j.usage.Invalid
		tries += j.usage.Tries
		env.Record(j.usage)
	}
	a.tally.add(len(jobs), tries, invalid, fallbacks)
	return a.budgetError(false)
}

// requestID names a request in the client's records and cache:
// run/r<replicate>/s<step>/<kind><index>[/k<sub>]/t<try>, kind 'a' for an
// agent's own prompt and 'g' for an archetype's (index: its first member;
// sub: the request's number when each answer is asked on its own, else -1).
func requestID(env *agent.Env, kind byte, index, sub, try int) string {
	var buf [96]byte
	b := append(buf[:0], env.Run...)
	b = append(b, "/r"...)
	b = strconv.AppendInt(b, int64(env.Replicate), 10)
	b = append(b, "/s"...)
	b = strconv.AppendInt(b, int64(env.Step), 10)
	b = append(b, '/', kind)
	b = strconv.AppendInt(b, int64(index), 10)
	if sub >= 0 {
		b = append(b, "/k"...)
		b = strconv.AppendInt(b, int64(sub), 10)
	}
	b = append(b, "/t"...)
	b = strconv.AppendInt(b, int64(try), 10)
	return string(b)
}

// failureRecord turns a failed request into an error record.
func failureRecord(step, agentIdx, try int, f llm.Failure, kind string) agent.ErrorRecord {
	return agent.ErrorRecord{Step: step, Agent: agentIdx, Try: try, Attempt: f.Attempt, Kind: kind,
		Endpoint: f.Endpoint, Status: f.Status, Message: f.Message}
}

// Open creates a client for cfg and agents on it, with the default prompts
// and 3 tries; Close closes the client.
func Open(cfg llm.Config) (*Agents, error) {
	c, err := llm.New(cfg)
	if err != nil {
		return nil, err
	}
	return New(c), nil
}

// Close closes the agents' client (its cache and batch file).
func (a *Agents) Close() error { return a.Client.Close() }

// OrTheory returns LLM agents for cfg when it names a model, else the given
// theory model; label describes which, for titles; done closes what was
// opened. It is how scripts offer both paths behind the same flags.
func OrTheory(cfg llm.Config, theory agent.Model, theoryLabel string) (model agent.Model, label string, done func() error, err error) {
	if cfg.Model == "" {
		return theory, theoryLabel, func() error { return nil }, nil
	}
	a, err := Open(cfg)
	if err != nil {
		return nil, "", nil, err
	}
	return a, "LLM agents (" + cfg.Model + ")", a.Close, nil
}
