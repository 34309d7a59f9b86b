// Package openaitest provides an OpenAI-compatible HTTP server for tests,
// in the spirit of net/http/httptest: it serves /v1/chat/completions and
// /v1/completions on loopback, validates requests as the real APIs do,
// answers deterministically from the request (the same request always gets
// the same answer), and injects on demand the faults a real deployment
// shows: latency, a concurrency limit, 429 with Retry-After, 500s, hangs,
// dropped connections, prose around the JSON, truncated JSON, out-of-range
// opinions, wrong keys and text without any JSON. It also serves
// /v1/models (the models it knows; others get 404), llama-server's /props
// (its slot count) when Options.Slots is set, a context limit answered
// with 400, and an in-flight limit answered with 429. It records every
// request for field-by-field checks.
package openaitest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a misbehaviour the server can inject.
type Fault int

// The faults.
const (
	None        Fault = iota
	TooMany           // 429 with retry-after-ms and Retry-After
	ServerError       // 500
	Hang              // no answer for Options.HangFor (a client timeout)
	Drop              // the connection is closed without an answer
	Prose             // prose around the JSON answer
	Truncated         // the JSON is cut off (finish_reason "length")
	OutOfRange        // opinion 14
	WrongKeys         // keys other than thought, opinion, decision
	Garbage           // text without any JSON object
	numFaults
)

var faultNames = [...]string{"none", "429", "500", "hang", "drop", "prose", "truncated", "out-of-range", "wrong-keys", "garbage"}

func (f Fault) String() string { return faultNames[f] }

// Rule injects a fault into a share of the distinct requests, for their
// first Times attempts (1 when 0). Which requests are hit depends only on
// their content, so a run hits the same ones whatever the concurrency.
type Rule struct {
	Fault Fault
	Rate  float64
	Times int
}

// Options configure a Server.
type Options struct {
	Latency    time.Duration // time to answer a request once admitted
	Capacity   int           // requests answered at once; more wait (0: unlimited)
	Rules      []Rule
	RetryAfter time.Duration // sent with 429s (default 20 ms)
	HangFor    time.Duration // how long Hang holds a request, unless the client gives up first (default 1 hour)
	APIKey     string        // when set, requests must send "Authorization: Bearer KEY"
	Models     []string      // models listed by /v1/models and accepted (default "test-model")
	Slots      int           // when > 0, /props answers {"total_slots": Slots} as llama-server does
	Context    int           // when > 0, a prompt longer than this many words gets llama-server's 400
	Limit      int           // when > 0, a request arriving with Limit others in flight gets a 429
	Addr       string        // listen on this address (default a free loopback port)
}

// Recorded is one request as received.
type Recorded struct {
	Path   string
	Header http.Header
	Body   []byte
	Fault  Fault
}

// Server is a running fake OpenAI-compatible server.
type Server struct {
	*httptest.Server
	opts Options
	sem  chan struct{}

	mu          sync.Mutex
	seen        map[uint64]int
	recorded    []Recorded
	inflight    int
	maxInflight int
	overLimit   int
	faults      [numFaults]int
}

// OverLimit returns how many requests got a 429 for arriving over Options.Limit.
func (s *Server) OverLimit() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.overLimit
}

func (s *Server) knows(model string) bool {
	for _, m := range s.opts.Models {
		if m == model {
			return true
		}
	}
	return false
}

// New starts a server; Close it when done.
func New(opts Options) *Server {
	if opts.RetryAfter == 0 {
		opts.RetryAfter = 20 * time.Millisecond
	}
	if opts.HangFor == 0 {
		opts.HangFor = time.Hour
	}
	if len(opts.Models) == 0 {
		opts.Models = []string{"test-model"}
	}
	s := &Server{opts: opts, seen: map[uint64]int{}}
	if opts.Capacity > 0 {
		s.sem = make(chan struct{}, opts.Capacity)
	}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.handle))
	if opts.Addr != "" {
		l, err := net.Listen("tcp", opts.Addr)
		if err != nil {
			panic(fmt.Sprintf("openaitest: listening on %s: %v", opts.Addr, err))
		}
		s.Server.Listener.Close()
		s.Server.Listener = l
	}
	s.Server.Start()
	return s
}

// BaseURL is the URL clients use, ending in /v1.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests returns every request received so far.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.recorded...)
}

// Count returns the number of requests received.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.recorded)
}

// MaxInFlight returns the most requests the server held at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInflight
}

// Injected returns how many times each fault was injected.
func (s *Server) Injected() map[Fault]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[Fault]int{}
	for f, n := range s.faults {
		if n > 0 {
			out[Fault(f)] = n
		}
	}
	return out
}

func hash64(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		io.WriteString(h, p)
		h.Write([]byte{0})
	}
	return h.Sum64()
}

func apiError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": typ}})
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	if s.opts.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+s.opts.APIKey {
		// Echo the key sent, as some servers do: clients must not store it.
		apiError(w, http.StatusUnauthorized, "invalid_request_error",
			"Incorrect API key provided: "+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/models":
		var data []any
		for _, m := range s.opts.Models {
			data = append(data, map[string]any{"id": m, "object": "model", "owned_by": "openaitest"})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
		return
	case r.Method == http.MethodGet && r.URL.Path == "/props" && s.opts.Slots > 0:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"total_slots": s.opts.Slots})
		return
	}
	chat := r.URL.Path == "/v1/chat/completions"
	if !chat && r.URL.Path != "/v1/completions" {
		apiError(w, http.StatusNotFound, "invalid_request_error", "unknown path "+r.URL.Path)
		return
	}
	if r.Method != http.MethodPost {
		apiError(w, http.StatusMethodNotAllowed, "invalid_request_error", "use POST")
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	req, err := validate(body, chat)
	if err != nil {
		s.record(r, body, None)
		apiError(w, http.StatusBadRequest, "invalid_request_error", err.Error())
		return
	}
	if !s.knows(req.Model) {
		s.record(r, body, None)
		apiError(w, http.StatusNotFound, "invalid_request_error", fmt.Sprintf("The model `%s` does not exist.", req.Model))
		return
	}
	if s.opts.Context > 0 && len(strings.Fields(req.Text)) > s.opts.Context {
		s.record(r, body, None)
		apiError(w, http.StatusBadRequest, "exceed_context_size_error", "the request exceeds the available context size, try increasing it")
		return
	}
	if s.opts.Limit > 0 {
		s.mu.Lock()
		over := s.inflight >= s.opts.Limit
		if over {
			s.overLimit++
		}
		s.mu.Unlock()
		if over {
			s.record(r, body, None)
			apiError(w, http.StatusTooManyRequests, "rate_limit_error", "too many requests in flight")
			return
		}
	}
	fault := s.decide(body)
	s.record(r, body, fault)
	switch fault {
	case TooMany:
		w.Header().Set("retry-after-ms", strconv.Itoa(int(s.opts.RetryAfter.Milliseconds())))
		w.Header().Set("Retry-After", strconv.FormatFloat(s.opts.RetryAfter.Seconds(), 'f', -1, 64))
		apiError(w, http.StatusTooManyRequests, "rate_limit_error", "too many requests")
		return
	case Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
	}
	if s.sem != nil {
		select {
		case s.sem <- struct{}{}:
			defer func() { <-s.sem }()
		case <-r.Context().Done():
			return
		}
	}
	s.mu.Lock()
	s.inflight++
	s.maxInflight = max(s.maxInflight, s.inflight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inflight--
		s.mu.Unlock()
	}()
	wait := s.opts.Latency
	if fault == Hang {
		wait = s.opts.HangFor
	}
	if wait > 0 {
		select {
		case <-time.After(wait):
		case <-r.Context().Done():
			return
		}
	}
	if fault == ServerError {
		apiError(w, http.StatusInternalServerError, "server_error", "the model crashed")
		return
	}
	s.answer(w, req, chat, fault)
}

// decide picks the fault for this attempt of a request.
func (s *Server) decide(body []byte) Fault {
	key := hash64(string(body))
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.seen[key]
	s.seen[key] = n + 1
	for i, rule := range s.opts.Rules {
		times := rule.Times
		if times == 0 {
			times = 1
		}
		u := float64(hash64(string(body), strconv.Itoa(i))%1_000_000) / 1_000_000
		if n < times && u < rule.Rate {
			s.faults[rule.Fault]++
			return rule.Fault
		}
	}
	return None
}

func (s *Server) record(r *http.Request, body []byte, f Fault) {
	s.mu.Lock()
	s.recorded = append(s.recorded, Recorded{Path: r.URL.Path, Header: r.Header.Clone(), Body: body, Fault: f})
	s.mu.Unlock()
}

// request is what validate keeps of a request.
type request struct {
	Model    string
	Text     string // the concatenated messages or the prompt
	Seed     *int64
	Schema   bool
	MaxToken int
}

// wireRequest is a request body as decoded once; fields whose type the
// API allows to vary stay raw.
type wireRequest struct {
	Model    *string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	Prompt         *string         `json:"prompt"`
	Temperature    *float64        `json:"temperature"`
	TopP           *float64        `json:"top_p"`
	MaxTokens      *int            `json:"max_tokens"`
	Seed           *int64          `json:"seed"`
	Stop           json.RawMessage `json:"stop"`
	ResponseFormat *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Name   string          `json:"name"`
			Schema json.RawMessage `json:"schema"`
		} `json:"json_schema"`
	} `json:"response_format"`
}

// validate checks a request body as the OpenAI API does, for the fields
// llmsam sends.
func validate(body []byte, chat bool) (request, error) {
	var w wireRequest
	if err := json.Unmarshal(body, &w); err != nil {
		return request{}, fmt.Errorf("body is not a valid request: %v", err)
	}
	var req request
	if w.Model == nil || *w.Model == "" {
		return req, fmt.Errorf("model: want a non-empty string")
	}
	req.Model = *w.Model
	if chat {
		if len(w.Messages) == 0 {
			return req, fmt.Errorf("messages: want a non-empty array of {role, content}")
		}
		parts := make([]string, len(w.Messages))
		for i, m := range w.Messages {
			switch m.Role {
			case "system", "user", "assistant", "developer":
			default:
				return req, fmt.Errorf("messages[%d].role %q: want system, user or assistant", i, m.Role)
			}
			parts[i] = m.Content
		}
		req.Text = strings.Join(parts, "\n")
	} else {
		if w.Prompt == nil || *w.Prompt == "" {
			return req, fmt.Errorf("prompt: want a non-empty string")
		}
		req.Text = *w.Prompt
	}
	if t := w.Temperature; t != nil && (*t < 0 || *t > 2) {
		return req, fmt.Errorf("temperature: want a number in [0, 2]")
	}
	if p := w.TopP; p != nil && (*p <= 0 || *p > 1) {
		return req, fmt.Errorf("top_p: want a number in (0, 1]")
	}
	if m := w.MaxTokens; m != nil {
		if *m <= 0 {
			return req, fmt.Errorf("max_tokens: want a positive integer")
		}
		req.MaxToken = *m
	}
	req.Seed = w.Seed
	if len(w.Stop) > 0 {
		var one string
		var many []string
		if json.Unmarshal(w.Stop, &one) != nil && json.Unmarshal(w.Stop, &many) != nil {
			return req, fmt.Errorf("stop: want a string or an array of strings")
		}
	}
	if rf := w.ResponseFormat; rf != nil {
		switch rf.Type {
		case "text", "json_object":
		case "json_schema":
			if rf.JSONSchema == nil || rf.JSONSchema.Name == "" || len(rf.JSONSchema.Schema) == 0 || rf.JSONSchema.Schema[0] != '{' {
				return req, fmt.Errorf("response_format.json_schema: want a name and a schema object")
			}
			req.Schema = true
		default:
			return req, fmt.Errorf("response_format.type %q: want text, json_object or json_schema", rf.Type)
		}
	}
	return req, nil
}

// Answer returns the deterministic answer the server gives to a request
// text and seed: an opinion 0-10, a decision and a thought.
func Answer(text string, seed *int64) (opinion int, decision, thought string) {
	s := ""
	if seed != nil {
		s = strconv.FormatInt(*seed, 10)
	}
	h := hash64(text, s)
	opinion = int(h % 11)
	decision = "No"
	if opinion >= 6 || (opinion == 5 && h&(1<<20) != 0) {
		decision = "Yes"
	}
	thought = fmt.Sprintf("I weighed the cost against what my friends said (%04x).", h>>48)
	return
}

func (s *Server) answer(w http.ResponseWriter, req request, chat bool, fault Fault) {
	seed := req.Seed
	op, dec, thought := Answer(req.Text, seed)
	finish := "stop"
	var content string
	switch fault {
	case Prose:
		content = fmt.Sprintf("Sure! Here is what I think.\n{\"thought\": %q, \"opinion\": %d, \"decision\": %q}\nThat is my answer.", thought, op, dec)
	case Truncated:
		content = fmt.Sprintf("{\"thought\": %q, \"opin", thought[:len(thought)/2])
		finish = "length"
	case OutOfRange:
		content = fmt.Sprintf("{\"thought\": %q, \"opinion\": 14, \"decision\": %q}", thought, dec)
	case WrongKeys:
		content = fmt.Sprintf("{\"idea\": %q, \"score\": %d, \"choice\": %q}", thought, op, dec)
	case Garbage:
		content = fmt.Sprintf("I am not sure what to answer (%04x).", hash64(req.Text)>>48)
	default:
		content = fmt.Sprintf("{\"thought\": %q, \"opinion\": %d, \"decision\": %q}", thought, op, dec)
	}
	usage := map[string]int{
		"prompt_tokens":     len(strings.Fields(req.Text)),
		"completion_tokens": len(strings.Fields(content)),
	}
	usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
	id := fmt.Sprintf("cmpl-%x", hash64(req.Text))
	var resp map[string]any
	if chat {
		resp = map[string]any{
			"id": id, "object": "chat.completion", "created": 1700000000, "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": finish,
				"message": map[string]any{"role": "assistant", "content": content}}},
			"usage": usage,
		}
	} else {
		resp = map[string]any{
			"id": id, "object": "text_completion", "created": 1700000000, "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": finish, "text": " " + content + "\n"}},
			"usage":   usage,
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}
