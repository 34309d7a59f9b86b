package llm

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// Mode selects the wire protocol.
type Mode string

// The modes.
const (
	Chat       Mode = "chat"       // /v1/chat/completions (default)
	Completion Mode = "completion" // /v1/completions with a stop string (the release's vLLM mode)
)

// The defaults a zero Config field takes; AddFlags shows the same values.
const (
	DefaultMaxTokens      = 512
	DefaultConcurrency    = 64
	DefaultTimeout        = 2 * time.Minute
	DefaultMaxRetries     = 6
	DefaultRetryBase      = 500 * time.Millisecond
	DefaultFallbackBudget = 0.02
	DefaultStop           = "\n#" // completion mode's stop string
)

// Config configures a Client. Zero fields take the defaults noted.
type Config struct {
	Model     string    // model name, e.g. "Qwen/Qwen2.5-7B-Instruct" or "gpt-4o-mini"
	BaseURL   string    // default $OPENAI_BASE_URL, else https://api.openai.com/v1
	Endpoints []string  // further base URLs sharing the load (replicas of the same model)
	Weights   []float64 // capacity of BaseURL and each of Endpoints, in that order (nil: 1 each): an endpoint of weight w is home to a share of agents in proportion to w and takes up to w x Concurrency requests at once
	APIKey    string    // default $OPENAI_API_KEY; never stored
	Mode      Mode      // default Chat

	Temperature    float64        // sampling temperature, sent even when 0
	TopP           float64        // 0 leaves the server's default
	MaxTokens      int            // default 512
	Stop           []string       // default none in chat mode, "\n#" in completion mode
	Seed           int64          // shifts every request's seed (0: requests' own seeds are sent as they are)
	Extra          map[string]any // fields merged into every request body (vLLM: top_k, repetition_penalty, ...)
	NoSchema       bool           // do not ask for structured output (servers that reject response_format)
	Concurrency    int            // upper bound of requests in flight per endpoint; default 64 (the client adapts below it)
	Timeout        time.Duration  // per request; default 2 minutes
	MaxRetries     int            // retries of a failed request (429, 5xx, timeouts, dropped connections); default 6
	RetryBase      time.Duration  // first backoff; default 500 ms, doubling, with full jitter, capped at 30 s
	PriceInput     float64        // USD per million prompt tokens, for cost accounting
	PriceOutput    float64        // USD per million completion tokens
	BudgetTokens   int            // stop sending when this many tokens were spent (0: no limit)
	BudgetUSD      float64        // stop sending when this much was spent (0: no limit)
	FallbackBudget float64        // largest share of agent-steps that may keep their previous answer; default 0.02, negative: no limit
	CachePath      string         // response cache file; "" keeps answers in memory only
	Replay         bool           // answer only from the cache; a miss is an error
	BatchExport    string         // write cache misses to this OpenAI batch JSONL file instead of sending them
	Quiet          bool           // no progress bar
	AnswersLog     string         // stream every answer received to this JSONL file as it arrives ("" for none)
}

// fieldRole says whether a Config field can change what a server answers.
type fieldRole int

const (
	// answerField values reach every request body, and so the cache key.
	answerField fieldRole = iota + 1
	// sessionField values say where and how requests are sent and how the
	// run is accounted for; they never change an answer.
	sessionField
)

// fieldRoles classifies every Config field; a test fails when a field is
// missing, so that a new option cannot be left out of the cache key by
// accident.
var fieldRoles = map[string]fieldRole{
	"Model": answerField, "Mode": answerField, "Temperature": answerField, "TopP": answerField,
	"MaxTokens": answerField, "Stop": answerField, "Seed": answerField, "Extra": answerField, "NoSchema": answerField,

	"BaseURL": sessionField, "Endpoints": sessionField, "APIKey": sessionField, "Concurrency": sessionField,
	"Timeout": sessionField, "MaxRetries": sessionField, "RetryBase": sessionField, "PriceInput": sessionField,
	"PriceOutput": sessionField, "BudgetTokens": sessionField, "BudgetUSD": sessionField, "FallbackBudget": sessionField,
	"CachePath": sessionField, "Replay": sessionField, "BatchExport": sessionField, "Quiet": sessionField,
	"Weights": sessionField, "AnswersLog": sessionField,
}

// bodyFields are the request body's own fields, which Extra must not set.
var bodyFields = []string{"model", "messages", "prompt", "temperature", "top_p", "max_tokens", "stop", "seed", "n", "response_format"}

// FromEnv returns a configuration for model with OPENAI_BASE_URL and
// OPENAI_API_KEY from the environment, like the OpenAI SDKs.
func FromEnv(model string) Config {
	return Config{Model: model, BaseURL: getenv("OPENAI_BASE_URL"), APIKey: getenv("OPENAI_API_KEY")}
}

var getenv = os.Getenv

func (c *Config) defaults() error {
	if c.Model == "" {
		return fmt.Errorf("llm: Config.Model is empty: name the model the server serves (-model)")
	}
	if c.BaseURL == "" {
		c.BaseURL = os.Getenv("OPENAI_BASE_URL")
	}
	if c.BaseURL == "" {
		c.BaseURL = "https://api.openai.com/v1"
	}
	if c.APIKey == "" {
		c.APIKey = os.Getenv("OPENAI_API_KEY")
	}
	if c.Mode == "" {
		c.Mode = Chat
	}
	if c.Mode == Completion && len(c.Stop) == 0 {
		c.Stop = []string{DefaultStop}
	}
	if c.Mode != Chat && c.Mode != Completion {
		return fmt.Errorf("llm: Config.Mode %q: want %q or %q", c.Mode, Chat, Completion)
	}
	if c.MaxTokens == 0 {
		c.MaxTokens = DefaultMaxTokens
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	if c.RetryBase == 0 {
		c.RetryBase = DefaultRetryBase
	}
	if c.FallbackBudget == 0 {
		c.FallbackBudget = DefaultFallbackBudget
	}
	switch {
	case c.Temperature < 0 || c.Temperature > 2:
		return fmt.Errorf("llm: Config.Temperature %g: want [0, 2]", c.Temperature)
	case c.TopP < 0 || c.TopP > 1:
		return fmt.Errorf("llm: Config.TopP %g: want (0, 1], or 0 for the server's default", c.TopP)
	case c.MaxTokens < 0:
		return fmt.Errorf("llm: Config.MaxTokens %d: must not be negative (-max-tokens)", c.MaxTokens)
	case c.Concurrency < 0:
		return fmt.Errorf("llm: Config.Concurrency %d: must not be negative (-concurrency)", c.Concurrency)
	case c.MaxRetries < 0:
		return fmt.Errorf("llm: Config.MaxRetries %d: must not be negative (-max-retries)", c.MaxRetries)
	case c.Timeout < 0:
		return fmt.Errorf("llm: Config.Timeout %v: must not be negative (-timeout)", c.Timeout)
	case c.RetryBase < 0:
		return fmt.Errorf("llm: Config.RetryBase %v: must not be negative", c.RetryBase)
	case c.FallbackBudget > 1:
		return fmt.Errorf("llm: Config.FallbackBudget %g: want a share in [0, 1], or a negative value for no limit", c.FallbackBudget)
	case c.Replay && c.BatchExport != "":
		return fmt.Errorf("llm: Replay and BatchExport exclude each other")
	}
	for _, k := range bodyFields {
		if _, ok := c.Extra[k]; ok {
			return fmt.Errorf("llm: Config.Extra sets %q, which llmsam sends itself: use the Config field instead", k)
		}
	}
	for _, u := range append([]string{c.BaseURL}, c.Endpoints...) {
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return fmt.Errorf("llm: endpoint %q: want an http:// or https:// base URL such as http://localhost:8000/v1", u)
		}
	}
	return nil
}

// String describes the configuration without the key, for manifests.
func (c Config) String() string {
	b, _ := json.Marshal(c.Public())
	return string(b)
}

// Public returns what determines the answers, as written to a run's
// manifest: the model, the wire mode and the sampling parameters, and the
// accounting settings. Where the answers came from (endpoints, cache,
// replay) and the key are left out, so that a rerun from the cache or
// against another replica writes the same manifest.
func (c Config) Public() map[string]any {
	return map[string]any{
		"model": c.Model, "mode": c.Mode,
		"temperature": c.Temperature, "top_p": c.TopP, "max_tokens": c.MaxTokens, "stop": c.Stop,
		"seed": c.Seed, "extra": c.Extra, "structured_output": !c.NoSchema && c.Mode == Chat,
		"concurrency": c.Concurrency, "timeout_s": c.Timeout.Seconds(), "max_retries": c.MaxRetries,
		"price_input_per_mtok": c.PriceInput, "price_output_per_mtok": c.PriceOutput,
		"budget_tokens": c.BudgetTokens, "budget_usd": c.BudgetUSD, "fallback_budget": c.FallbackBudget,
	}
}
