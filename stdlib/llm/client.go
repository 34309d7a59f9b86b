package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Errors a request can end with.
var (
	ErrCacheMiss    = errors.New("llm: not in the cache (replay mode calls no server)")
	ErrBudget       = errors.New("llm: budget spent")
	ErrBatchPending = errors.New("llm: request written to the batch file; import the results and run again")
)

// Client sends requests to one or more OpenAI-compatible endpoints.
type Client struct {
	cfg       Config
	extra     map[string]any // extraFields(cfg), read-only
	endpoints []*endpoint
	cache     *cache
	stats     Stats
	batchFile *batchWriter
	progress  progress
}

// endpoint is one server with its own slots.
type endpoint struct {
	url      string
	api      *openai.Client
	slots    chan struct{}
	inflight atomic.Int64
}

// Stats are a client's running totals.
type Stats struct {
	Requests         atomic.Int64 // requests sent to a server (each retry counts)
	Answered         atomic.Int64 // answers received from a server
	Cached           atomic.Int64 // answers served from the cache
	Retries          atomic.Int64 // failed attempts that were retried
	Failed           atomic.Int64 // requests given up
	InFlight         atomic.Int64
	PromptTokens     atomic.Int64
	CompletionTokens atomic.Int64
}

// New returns a client for cfg, opening its cache.
func New(cfg Config) (*Client, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, extra: extraFields(cfg)}
	var err error
	if c.cache, err = openCache(cfg.CachePath); err != nil {
		return nil, err
	}
	httpClient := &http.Client{Transport: &transport{base: &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		MaxIdleConnsPerHost: cfg.Concurrency,
		IdleConnTimeout:     90 * time.Second,
	}}}
	for _, u := range append([]string{cfg.BaseURL}, cfg.Endpoints...) {
		oc := openai.DefaultConfig(cfg.APIKey)
		oc.BaseURL = strings.TrimRight(u, "/")
		oc.HTTPClient = httpClient
		c.endpoints = append(c.endpoints, &endpoint{url: u, api: openai.NewClientWithConfig(oc), slots: make(chan struct{}, cfg.Concurrency)})
	}
	if cfg.BatchExport != "" {
		c.batchFile = &batchWriter{path: cfg.BatchExport}
	}
	return c, nil
}

// Close closes the cache and the batch file.
func (c *Client) Close() error {
	c.stopProgress()
	var err error
	if c.batchFile != nil {
		err = c.batchFile.close()
	}
	if cerr := c.cache.close(); err == nil {
		err = cerr
	}
	return err
}

// Config returns the client's configuration (with defaults filled in).
func (c *Client) Config() Config { return c.cfg }

// Stats returns the client's running totals.
func (c *Client) Stats() *Stats { return &c.stats }

// Cost returns the money spent so far at the configured prices (answers
// from the cache cost nothing).
func (c *Client) Cost() float64 {
	return (float64(c.stats.PromptTokens.Load())*c.cfg.PriceInput + float64(c.stats.CompletionTokens.Load())*c.cfg.PriceOutput) / 1e6
}

func (c *Client) overBudget() bool {
	tokens := c.stats.PromptTokens.Load() + c.stats.CompletionTokens.Load()
	return (c.cfg.BudgetTokens > 0 && tokens >= int64(c.cfg.BudgetTokens)) ||
		(c.cfg.BudgetUSD > 0 && c.Cost() >= c.cfg.BudgetUSD)
}

// Do answers every request, concurrently, and returns the responses in the
// order of the requests. It returns when all are answered or given up, or
// ctx is done.
func (c *Client) Do(ctx context.Context, reqs []Request) []Response {
	c.startProgress()
	out := make([]Response, len(reqs))
	var wg sync.WaitGroup
	limit := make(chan struct{}, c.cfg.Concurrency*len(c.endpoints))
	for i := range reqs {
		if ctx.Err() != nil {
			out[i].Err = ctx.Err()
			continue
		}
		limit <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-limit }()
			out[i] = c.one(ctx, reqs[i])
		}()
	}
	wg.Wait()
	return out
}

// one answers one request: from the cache, or from a server with retries.
func (c *Client) one(ctx context.Context, r Request) Response {
	key := c.Key(r)
	if e, ok := c.cache.get(key); ok {
		c.stats.Cached.Add(1)
		return Response{Text: e.Text, Choices: e.Choices, FinishReason: e.FinishReason, Usage: e.Usage, Cached: true}
	}
	switch {
	case c.cfg.Replay:
		return Response{Err: fmt.Errorf("%w: request %s (key %s…)", ErrCacheMiss, r.ID, key[:12])}
	case c.batchFile != nil:
		body, path, err := c.body(r)
		if err != nil {
			return Response{Err: err}
		}
		if err := c.cache.putPending(r.ID, key); err != nil {
			return Response{Err: err}
		}
		if err := c.batchFile.add(r.ID, path, body); err != nil {
			return Response{Err: err}
		}
		return Response{Err: fmt.Errorf("%w (%s)", ErrBatchPending, c.cfg.BatchExport)}
	}
	var resp Response
	for attempt := 0; ; attempt++ {
		if c.overBudget() {
			return Response{Err: ErrBudget, Retries: attempt}
		}
		ep, release, err := c.acquire(ctx, r.Agent)
		if err != nil {
			return Response{Err: err, Retries: attempt}
		}
		info := &callInfo{extra: c.extra}
		callCtx, cancel := context.WithTimeout(context.WithValue(ctx, callKey{}, info), c.cfg.Timeout)
		c.stats.Requests.Add(1)
		resp, err = c.call(callCtx, ep, r)
		cancel()
		release()
		if err == nil {
			c.stats.Answered.Add(1)
			c.stats.PromptTokens.Add(int64(resp.Usage.PromptTokens))
			c.stats.CompletionTokens.Add(int64(resp.Usage.CompletionTokens))
			resp.Retries = attempt
			if err := c.cache.put(key, entry{ID: r.ID, Request: info.body, Text: resp.Text, Choices: resp.Choices, FinishReason: resp.FinishReason, Usage: resp.Usage}); err != nil {
				resp.Err = fmt.Errorf("llm: caching the answer to %s: %w", r.ID, err)
			}
			return resp
		}
		if ctx.Err() != nil {
			return Response{Err: ctx.Err(), Retries: attempt}
		}
		if !retryable(err) || attempt >= c.cfg.MaxRetries {
			c.stats.Failed.Add(1)
			return Response{Err: fmt.Errorf("llm: request %s to %s: %w", r.ID, ep.url, err), Retries: attempt}
		}
		c.stats.Retries.Add(1)
		wait := backoff(c.cfg.RetryBase, attempt)
		if info.retryAfter > 0 {
			wait = info.retryAfter
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return Response{Err: ctx.Err(), Retries: attempt + 1}
		}
	}
}

// backoff is exponential with full jitter (Brooker, "Exponential backoff
// and jitter", AWS Architecture Blog, 2015), capped at 30 s.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base << min(attempt, 10)
	d = min(d, 30*time.Second)
	return time.Duration(rand.Int64N(int64(d)) + 1)
}

// retryable reports whether an error may go away on a retry: rate limits,
// server errors, timeouts and broken connections.
func retryable(err error) bool {
	var api *openai.APIError
	if errors.As(err, &api) {
		return api.HTTPStatusCode == 429 || api.HTTPStatusCode >= 500
	}
	var re *openai.RequestError
	if errors.As(err, &re) {
		return re.HTTPStatusCode == 429 || re.HTTPStatusCode >= 500
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "EOF") || strings.Contains(msg, "connection reset") || strings.Contains(msg, "connection refused")
}

// acquire takes a slot: on the agent's own endpoint when it has one free
// (prefix-cache affinity), else on the least busy endpoint with a free
// slot, else waits for the first free slot anywhere.
func (c *Client) acquire(ctx context.Context, agent int) (*endpoint, func(), error) {
	take := func(ep *endpoint) (*endpoint, func(), error) {
		ep.inflight.Add(1)
		c.stats.InFlight.Add(1)
		return ep, func() {
			ep.inflight.Add(-1)
			c.stats.InFlight.Add(-1)
			<-ep.slots
		}, nil
	}
	own := c.endpoints[agent%len(c.endpoints)]
	select {
	case own.slots <- struct{}{}:
		return take(own)
	default:
	}
	if len(c.endpoints) > 1 {
		best := -1
		for i, ep := range c.endpoints {
			if ep != own && (best < 0 || ep.inflight.Load() < c.endpoints[best].inflight.Load()) {
				best = i
			}
		}
		select {
		case c.endpoints[best].slots <- struct{}{}:
			return take(c.endpoints[best])
		default:
		}
	}
	cases := make([]reflect.SelectCase, 0, len(c.endpoints)+1)
	for _, ep := range c.endpoints {
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectSend, Chan: reflect.ValueOf(ep.slots), Send: reflect.ValueOf(struct{}{})})
	}
	cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())})
	chosen, _, _ := reflect.Select(cases)
	if chosen == len(c.endpoints) {
		return nil, nil, ctx.Err()
	}
	return take(c.endpoints[chosen])
}

// extraFields returns the fields go-openai cannot express, merged into the
// body by the transport: the temperature (go-openai's omitempty drops 0)
// and Config.Extra.
func extraFields(cfg Config) map[string]any {
	m := map[string]any{"temperature": cfg.Temperature}
	for k, v := range cfg.Extra {
		m[k] = v
	}
	return m
}

// call sends one request to an endpoint.
func (c *Client) call(ctx context.Context, ep *endpoint, r Request) (Response, error) {
	if c.cfg.Mode == Completion {
		resp, err := ep.api.CreateCompletion(ctx, c.completionRequest(r))
		if err != nil {
			return Response{}, err
		}
		if len(resp.Choices) == 0 {
			return Response{}, fmt.Errorf("answer without choices")
		}
		out := Response{Text: resp.Choices[0].Text, FinishReason: resp.Choices[0].FinishReason,
			Usage: Usage{resp.Usage.PromptTokens, resp.Usage.CompletionTokens}}
		if r.N > 1 {
			for _, ch := range resp.Choices {
				out.Choices = append(out.Choices, ch.Text)
			}
		}
		return out, nil
	}
	req := c.chatRequest(r)
	resp, err := ep.api.CreateChatCompletion(ctx, req)
	if err != nil {
		return Response{}, err
	}
	if len(resp.Choices) == 0 {
		return Response{}, fmt.Errorf("answer without choices")
	}
	out := Response{Text: resp.Choices[0].Message.Content, FinishReason: string(resp.Choices[0].FinishReason),
		Usage: Usage{resp.Usage.PromptTokens, resp.Usage.CompletionTokens}}
	if r.N > 1 {
		for _, ch := range resp.Choices {
			out.Choices = append(out.Choices, ch.Message.Content)
		}
	}
	return out, nil
}

func (c *Client) chatRequest(r Request) openai.ChatCompletionRequest {
	seed := int(r.Seed)
	msgs := make([]openai.ChatCompletionMessage, len(r.Messages))
	for i, m := range r.Messages {
		msgs[i] = openai.ChatCompletionMessage{Role: m.Role, Content: m.Content}
	}
	// Temperature is left out here and sent by the transport, which also
	// sends 0 (go-openai's omitempty would drop it).
	req := openai.ChatCompletionRequest{
		Model: c.cfg.Model, Messages: msgs, MaxTokens: c.cfg.MaxTokens,
		TopP: float32(c.cfg.TopP), Stop: c.cfg.Stop, Seed: &seed, N: nChoices(r),
	}
	if s := c.schema(r); s != nil {
		req.ResponseFormat = &openai.ChatCompletionResponseFormat{
			Type:       openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: "answer", Schema: s, Strict: true},
		}
	}
	return req
}

func (c *Client) completionRequest(r Request) openai.CompletionRequest {
	seed := int(r.Seed)
	return openai.CompletionRequest{Model: c.cfg.Model, Prompt: r.Prompt, MaxTokens: c.cfg.MaxTokens,
		TopP: float32(c.cfg.TopP), Stop: c.cfg.Stop, Seed: &seed, N: nChoices(r)}
}

// body returns the JSON body and path a request is sent with, for batch
// files: the same bytes the transport sends.
func (c *Client) body(r Request) (json.RawMessage, string, error) {
	var v any
	path := "/v1/chat/completions"
	if c.cfg.Mode == Completion {
		v = c.completionRequest(r)
		path = "/v1/completions"
	} else {
		v = c.chatRequest(r)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, "", err
	}
	b, err = mergeJSON(b, c.extra)
	return b, path, err
}
