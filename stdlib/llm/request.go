package llm

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Message is one chat message.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Request is one prompt to send.
type Request struct {
	ID       string          // custom id, e.g. "run/r0/s1/a17/t0": for batch files and errors, not part of the cache key
	Agent    int             // the agent asking: requests of one agent go to the same endpoint
	Messages []Message       // chat mode
	Prompt   string          // completion mode
	Seed     int64           // this request's sampling seed
	Attempt  int             // which try of the agent this is (part of the cache key)
	Schema   json.RawMessage // JSON schema of the answer, for structured output in chat mode
}

// Usage counts tokens.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Response is the answer to a Request.
type Response struct {
	Text         string
	FinishReason string
	Usage        Usage
	Cached       bool  // answered from the cache
	Retries      int   // failed attempts before this answer
	Err          error // set when there is no answer
}

// keyData is everything that determines an answer: the cache key hashes it.
// The API key, the endpoint and the request id are not part of it.
type keyData struct {
	Model       string          `json:"model"`
	Mode        Mode            `json:"mode"`
	Messages    []Message       `json:"messages,omitempty"`
	Prompt      string          `json:"prompt,omitempty"`
	Temperature float64         `json:"temperature"`
	TopP        float64         `json:"top_p"`
	MaxTokens   int             `json:"max_tokens"`
	Stop        []string        `json:"stop,omitempty"`
	Seed        int64           `json:"seed"`
	Schema      json.RawMessage `json:"schema,omitempty"`
	Extra       map[string]any  `json:"extra,omitempty"`
	Attempt     int             `json:"attempt"`
}

// Key returns the cache key of a request under a configuration: the
// SHA-256 of the canonical JSON of everything that determines the answer.
func (c *Client) Key(r Request) string {
	d := keyData{
		Model: c.cfg.Model, Mode: c.cfg.Mode, Messages: r.Messages, Prompt: r.Prompt,
		Temperature: c.cfg.Temperature, TopP: c.cfg.TopP, MaxTokens: c.cfg.MaxTokens, Stop: c.cfg.Stop,
		Seed: r.Seed, Schema: c.schema(r), Extra: c.cfg.Extra, Attempt: r.Attempt,
	}
	b, _ := json.Marshal(d) // maps marshal with sorted keys: canonical
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (c *Client) schema(r Request) json.RawMessage {
	if c.cfg.NoSchema || c.cfg.Mode != Chat {
		return nil
	}
	return r.Schema
}
