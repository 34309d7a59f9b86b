package agent

import (
	"context"
	"math/rand/v2"

	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// Model computes the next step's state from the current one. Step reads cur,
// writes every agent of next (which arrives holding a copy of cur), and must
// not keep either after it returns. A Model value may be shared by replicates
// running concurrently, so Step must not mutate the model itself; all
// randomness must come from env (Rand, Global) so runs are reproducible.
// Long steps should return ctx.Err() soon after ctx is cancelled.
type Model interface {
	Step(ctx context.Context, env *Env, cur, next *State) error
}

// IOBound is implemented by models that spend their steps waiting on
// servers (LLM agents): the engine then runs all replicates at once instead
// of one per core.
type IOBound interface {
	IOBound() bool
}

// Thinker is implemented by models that write a thought with every answer
// (LLM agents). The engine clears the thoughts of the next state for models
// that do not, so that no step carries a thought its agent never had.
type Thinker interface {
	Thinks() bool
}

// Validator is implemented by models that can check their parameters against
// a population of n agents before a run starts.
type Validator interface {
	Validate(n int) error
}

// Env is everything a model sees at one step.
type Env struct {
	Run       string             // the study's name
	Labels    map[string]string  // the study's labels (group, window, topology, ...); read only
	Step      int                // the step being computed, 1..Steps-1 (step 0 is the initial state)
	Steps     int                // total steps of the run, including step 0
	Replicate int                // replicate index
	Seed      uint64             // the replicate's seed
	Graph     *netw.Graph        // the network in force at this step
	Network   netw.Network       // the whole network (Graph is Network.At(Step)); may be nil
	People    pop.Population     // agent profiles; People[i] is node i
	Coef      []pop.Coef         // People's coefficients packed for hot loops (set by the engine; may be nil)
	Scenario  *scenario.Scenario // may be nil for abstract models
	Round     scenario.Round     // this step's round (new information, strength)
	Initial   *State             // the state at step 0
	Past      []*State           // states of steps 0..Step-1 (Past[Step-1] is the current one)
	Committed []bool             // committed agents never change; nil when there are none
	Workers   int                // goroutines a model may use inside one step (>= 1)
	// Recorder receives usage records (LLM requests, tokens, fallbacks);
	// set by the engine, nil when nobody listens.
	Recorder func(Usage)
}

// Usage is what answering one agent at one step took (LLM agents). The
// first fields depend only on the study and its seed: how many tries the
// agent needed, how many answers did not parse, whether it fell back to its
// previous answer, and the tokens of its answers. The session fields say
// how this run obtained them: requests sent to a server (retries included),
// answers found in the cache, failed attempts retried, and money spent.
type Usage struct {
	Step             int  `json:"step"`
	Agent            int  `json:"agent"`
	Tries            int  `json:"tries"`
	Invalid          int  `json:"invalid"`
	Fallback         bool `json:"fallback"`
	PromptTokens     int  `json:"prompt_tokens"`
	CompletionTokens int  `json:"completion_tokens"`

	Requests int     `json:"requests"`
	Cached   int     `json:"cached"`
	Retries  int     `json:"retries"`
	Cost     float64 `json:"cost_usd"`

	// Errors is what went wrong while answering: retried requests,
	// invalid answers and the error that stopped the run, in order.
	Errors []ErrorRecord `json:"errors,omitempty"`
}

// ErrorRecord is one thing that went wrong while an agent answered a step:
// a request retried (429, 5xx, timeout, dropped connection), an answer
// that did not parse, or the error that stopped the run. It never holds
// the API key.
type ErrorRecord struct {
	Step     int    `json:"step"`
	Agent    int    `json:"agent"`
	Try      int    `json:"try"`                // the agent's try (a new prompt seed each)
	Attempt  int    `json:"attempt"`            // the request's attempt within the try (retries)
	Kind     string `json:"kind"`               // llm failure kinds (rate-limited, server-error, timeout, dropped, ...), "invalid" or "fatal: KIND"
	Endpoint string `json:"endpoint,omitempty"` // the URL requested
	Status   int    `json:"status,omitempty"`   // HTTP status, when one came
	Message  string `json:"message"`            // the server's own error text, or why the answer is invalid
	Raw      string `json:"raw,omitempty"`      // the answer's text, cut to 2 KB
}

// Record passes a usage record to the engine (the step is filled in).
func (e *Env) Record(u Usage) {
	if e.Recorder != nil {
		u.Step = e.Step
		e.Recorder(u)
	}
}

// Coefficients returns the packed coefficients of People, computing them
// when the engine did not.
func (e *Env) Coefficients() []pop.Coef {
	if len(e.Coef) != len(e.People) {
		e.Coef = e.People.Coefficients()
	}
	return e.Coef
}

// IsCommitted reports whether agent i is committed (fixed).
func (e *Env) IsCommitted(i int) bool { return e.Committed != nil && e.Committed[i] }

// Rand returns agent i's random stream at this step: a function of the
// replicate seed, the step and the agent only, so that results do not depend
// on the order or the number of goroutines agents are updated on.
func (e *Env) Rand(i int) Stream { return NewStream(e.Seed, e.Step, i) }

// Global returns the step's shared generator for asynchronous models that
// draw which agent moves next. It is a function of the replicate seed and the
// step; call it once per step.
func (e *Env) Global() *rand.Rand {
	return rand.New(rand.NewPCG(mix(e.Seed^0x676c6f62616c), uint64(e.Step)))
}
