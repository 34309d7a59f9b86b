package llm

import (
	"encoding/json"
	"fmt"
	"sync"
)

// Message is one chat message.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
	// Quoted, when not nil, is the content already written as a JSON
	// string, quotes included, byte for byte as json.Marshal writes Content
	// (jsonenc's escapes): the body takes it as it is instead of encoding
	// Content, which may then be empty. For callers that render prompts
	// straight into JSON (llmagent), saving a pass and a copy per request.
	Quoted []byte `json:"-"`
}

// Request is one prompt to send.
type Request struct {
	ID       string          // custom id, e.g. "run/r0/s1/a17/t0": for batch files and errors, not part of the cache key
	Agent    int             // the agent asking: requests of one agent go to the same endpoint
	Messages []Message       // chat mode
	Prompt   string          // completion mode
	Seed     int64           // this request's sampling seed (shifted by Config.Seed)
	Attempt  int             // which try of the agent this is, for error records (the seed tells tries apart)
	Schema   json.RawMessage // JSON schema of the answer, for structured output in chat mode
	N        int             // answers wanted from this one prompt (the body's n; part of the cache key); 0 or 1 for one
}

// Usage counts tokens.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Response is the answer to a Request.
type Response struct {
	Text         string
	Choices      []string // every answer of a request with N > 1 (Text is the first)
	FinishReason string
	Usage        Usage
	Cached       bool      // answered from the cache
	Retries      int       // failed attempts before this answer (or before giving up)
	Failures     []Failure // what went wrong on each failed attempt, in order (nil when none)
	Err          error     // set when there is no answer: an *Error, ErrCacheMiss, ErrBudget, ErrBatchPending or the context's error
}

// wire is a request body as sent. Field order is fixed, Extra's fields
// follow in sorted order, and the same Request under the same Config
// always gives the same bytes.
type wire struct {
	Model          string          `json:"model"`
	Messages       []Message       `json:"messages,omitempty"`
	Prompt         string          `json:"prompt,omitempty"`
	Temperature    float64         `json:"temperature"`
	TopP           float64         `json:"top_p,omitempty"`
	MaxTokens      int             `json:"max_tokens"`
	Stop           []string        `json:"stop,omitempty"`
	Seed           int64           `json:"seed"`
	N              int             `json:"n,omitempty"`
	ResponseFormat *responseFormat `json:"response_format,omitempty"`
}

type responseFormat struct {
	Type       string     `json:"type"`
	JSONSchema jsonSchema `json:"json_schema"`
}

type jsonSchema struct {
	Name   string          `json:"name"`
	Schema json.RawMessage `json:"schema"`
	Strict bool            `json:"strict"`
}

// path returns the endpoint path of the client's mode.
func (c *Client) path() string {
	if c.cfg.Mode == Completion {
		return "/completions"
	}
	return "/chat/completions"
}

// Body returns the exact JSON body r is sent with under the client's
// configuration: the bytes the cache key is computed from and the batch
// file holds. It is built by appending (appendBody), byte for byte what
// json.Marshal writes for the wire struct (wireBody, checked by the tests).
func (c *Client) Body(r Request) ([]byte, error) {
	b, err := appendBody(make([]byte, 0, 512+len(r.Prompt)+messagesLen(r.Messages)), &c.cfg, &r, c.seed(r.Seed), nil)
	if err != nil {
		return nil, err
	}
	return mergeJSON(b, c.cfg.Extra)
}

// bodies recycles request bodies: a million requests would otherwise
// allocate gigabytes for the collector to sweep.
var bodies = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// pooledBody is Body in a recycled buffer, for Client.one, which returns
// its tail to bodies when the request is done: in chat mode, the cached
// start of the body (see prefixes) and the rest.
func (c *Client) pooledBody(r Request) (reqBody, error) {
	buf := bodies.Get().(*[]byte)
	var pre *prefix
	if c.cfg.Mode != Completion && len(r.Messages) > 0 {
		pre = c.prefixes.get(c, r.Messages[0])
	}
	b, err := appendBody((*buf)[:0], &c.cfg, &r, c.seed(r.Seed), pre)
	if err != nil {
		bodies.Put(buf)
		return reqBody{}, err
	}
	if len(c.cfg.Extra) > 0 {
		bodies.Put(buf)
		b, err = mergeJSON(b, c.cfg.Extra) // a fresh slice
		return plainBody(b), err
	}
	return reqBody{pre: pre, tail: b}, nil
}

func messagesLen(ms []Message) int {
	n := 0
	for _, m := range ms {
		n += len(m.Content) + len(m.Quoted) + 32
	}
	return n + len(ms)*16
}

// wireBody is Body through json.Marshal of the wire struct: the reference
// appendBody is checked against.
func (c *Client) wireBody(r Request) ([]byte, error) {
	w := wire{Model: c.cfg.Model, Temperature: c.cfg.Temperature, TopP: c.cfg.TopP, MaxTokens: c.cfg.MaxTokens,
		Stop: c.cfg.Stop, Seed: c.seed(r.Seed)}
	if r.N > 1 {
		w.N = r.N
	}
	if c.cfg.Mode == Completion {
		if r.Prompt == "" {
			return nil, fmt.Errorf("llm: request %s has no Prompt (completion mode)", r.ID)
		}
		w.Prompt = r.Prompt
	} else {
		if len(r.Messages) == 0 {
			return nil, fmt.Errorf("llm: request %s has no Messages (chat mode)", r.ID)
		}
		w.Messages = r.Messages
		if !c.cfg.NoSchema && len(r.Schema) > 0 {
			w.ResponseFormat = &responseFormat{Type: "json_schema", JSONSchema: jsonSchema{Name: "answer", Schema: r.Schema, Strict: true}}
		}
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("llm: request %s: %w", r.ID, err)
	}
	return mergeJSON(b, c.cfg.Extra)
}

// seed shifts a request's seed by Config.Seed. A shifted seed is kept in 31
// bits: llama.cpp reads seeds as 32-bit unsigned numbers and takes
// 0xFFFFFFFF for "random", and every server takes a positive int32.
func (c *Client) seed(s int64) int64 {
	if c.cfg.Seed == 0 {
		return s
	}
	return int64(splitmix(uint64(s)^splitmix(uint64(c.cfg.Seed))) >> 33)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Key returns the cache key of a request under the client's configuration:
// the SHA-256 of the endpoint path and the exact body sent, so that every
// option that reaches the server is part of it and nothing else is. The API
// key, the endpoint, the request id and the attempt are not part of it.
func (c *Client) Key(r Request) string {
	body, err := c.Body(r)
	if err != nil {
		return ""
	}
	return c.sum(plainBody(body)).String()
}
