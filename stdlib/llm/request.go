package llm

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
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
	N        int             // answers wanted from this one prompt (the request's n); 0 or 1 for one
}

// Usage counts tokens.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Response is the answer to a Request.
type Response struct {
	Text         string
	Choices      []string // every answer when Request.N > 1 (Text is the first)
	FinishReason string
	Usage        Usage
	Cached       bool  // answered from the cache
	Retries      int   // failed attempts before this answer
	Err          error // set when there is no answer
}

// Key returns the cache key of a request under the client's configuration:
// the SHA-256 of everything that determines the answer (model, mode,
// messages or prompt, sampling parameters, seed, schema, extra fields, the
// attempt), each field length-prefixed so that no two requests share an
// encoding. The API key, the endpoint and the request id are not part of it.
func (c *Client) Key(r Request) string {
	h := sha256.New()
	var num [8]byte
	write := func(b []byte) {
		binary.LittleEndian.PutUint64(num[:], uint64(len(b)))
		h.Write(num[:])
		h.Write(b)
	}
	str := func(s string) { write([]byte(s)) }
	str("llmsam-key-v1")
	str(c.cfg.Model)
	str(string(c.cfg.Mode))
	str(strconv.Itoa(len(r.Messages)))
	for _, m := range r.Messages {
		str(m.Role)
		str(m.Content)
	}
	str(r.Prompt)
	str(strconv.FormatFloat(c.cfg.Temperature, 'g', -1, 64))
	str(strconv.FormatFloat(c.cfg.TopP, 'g', -1, 64))
	str(strconv.Itoa(c.cfg.MaxTokens))
	str(strings.Join(c.cfg.Stop, "\x00"))
	str(strconv.FormatInt(r.Seed, 10))
	write(c.schema(r))
	extra, _ := json.Marshal(c.cfg.Extra) // maps marshal with sorted keys
	write(extra)
	str(strconv.Itoa(r.Attempt))
	if r.N > 1 { // keys of single answers are unchanged
		str("n=" + strconv.Itoa(r.N))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Client) schema(r Request) json.RawMessage {
	if c.cfg.NoSchema || c.cfg.Mode != Chat {
		return nil
	}
	return r.Schema
}
