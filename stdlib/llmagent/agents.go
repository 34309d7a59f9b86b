package llmagent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"text/template"

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
		"prompts": a.templates().Name,
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

// fatal reports errors that must stop the run rather than count as an
// invalid answer.
func fatal(err error) bool {
	return errors.Is(err, llm.ErrBudget) || errors.Is(err, llm.ErrCacheMiss) || errors.Is(err, llm.ErrBatchPending) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Step implements agent.Model: it asks every free agent for its answer,
// re-asks those whose answer does not parse, and keeps the previous answer
// of an agent after Tries failures.
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
		agent   int
		shared  string // the shared text (system message)
		prompt  string // agent and round text
		usage   agent.Usage
		done    bool
		stream  agent.Stream
		lastErr error
	}
	var jobs []*job
	for i := range n {
		if env.IsCommitted(i) {
			continue
		}
		shared, text, err := a.Prompt(env, cur, i)
		if err != nil {
			return err
		}
		jobs = append(jobs, &job{agent: i, shared: shared, prompt: text, usage: agent.Usage{Agent: i}, stream: agent.NewStream(env.Seed^0x6c6c6d, env.Step, i)})
	}
	for try := 0; try < a.tries(); try++ {
		var pending []*job
		var reqs []llm.Request
		for _, j := range jobs {
			if j.done {
				continue
			}
			pending = append(pending, j)
			r := llm.Request{
				ID:    fmt.Sprintf("%s/r%d/s%d/a%d/t%d", env.Run, env.Replicate, env.Step, j.agent, try),
				Agent: j.agent, Seed: int64(j.stream.Uint64() >> 33), Attempt: try,
			}
			if cfg.Mode == llm.Completion {
				r.Prompt = j.shared + "\n" + j.prompt + a.completionSuffix()
			} else {
				r.Messages = []llm.Message{{Role: "system", Content: j.shared}, {Role: "user", Content: j.prompt}}
				r.Schema = Schema
			}
			reqs = append(reqs, r)
		}
		if len(pending) == 0 {
			break
		}
		resps := a.Client.Do(ctx, reqs)
		for k, j := range pending {
			resp := resps[k]
			j.usage.Tries++
			j.usage.Retries += resp.Retries
			if resp.Cached {
				j.usage.Cached++
			} else {
				j.usage.Requests += 1 + resp.Retries
			}
			if resp.Err != nil {
				if fatal(resp.Err) {
					return fmt.Errorf("agent %d: %w", j.agent, resp.Err)
				}
				j.usage.Invalid++
				j.lastErr = resp.Err
				continue
			}
			j.usage.PromptTokens += resp.Usage.PromptTokens
			j.usage.CompletionTokens += resp.Usage.CompletionTokens
			if !resp.Cached {
				j.usage.Cost += (float64(resp.Usage.PromptTokens)*cfg.PriceInput + float64(resp.Usage.CompletionTokens)*cfg.PriceOutput) / 1e6
			}
			ans, err := Parse(resp.Text)
			if err != nil {
				j.usage.Invalid++
				j.lastErr = err
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
	}
	for _, j := range jobs {
		if !j.done {
			// Keep the previous answer, as the release does (next holds a copy of cur).
			j.usage.Fallback = true
		}
		env.Record(j.usage)
	}
	return nil
}

func (a *Agents) render(t *template.Template, d Data) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return "", fmt.Errorf("llmagent: prompt template: %w", err)
	}
	return b.String(), nil
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
