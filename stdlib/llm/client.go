package llm

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Client sends requests to one or more OpenAI-compatible endpoints.
type Client struct {
	cfg       Config
	http      *http.Client
	endpoints []*endpoint
	router    *router
	cache     *cache
	prefixes  prefixes
	stats     Stats
	batchFile *batchWriter
	progress  progress

	checkMu  sync.Mutex
	checked  bool
	checkErr error
	checkOK  atomic.Bool // Check passed: the fast path of every request

	answers    *answerLog // Config.AnswersLog, or nil
	stopChecks context.CancelFunc

	// memKeys: keys are only for the in-memory cache (see memKey).
	memKeys  bool
	memSeeds [2]maphash.Seed
}

// Stats are a client's running totals.
type Stats struct {
	Requests         atomic.Int64 // requests sent to a server (each retry counts)
	Answered         atomic.Int64 // answers received from a server
	Cached           atomic.Int64 // answers served from the cache
	Retries          atomic.Int64 // failed attempts that were retried
	Repeated         atomic.Int64 // requests given up after the same server error twice in a row (ErrRepeated)
	Failed           atomic.Int64 // requests given up for another failure
	InFlight         atomic.Int64
	PromptTokens     atomic.Int64
	CompletionTokens atomic.Int64
}

// New returns a client for cfg, opening its cache. It contacts no server:
// Check (called by the first Do) does.
func New(cfg Config) (*Client, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg}
	var err error
	if c.cache, err = openCache(cfg.CachePath); err != nil {
		return nil, err
	}
	c.http = &http.Client{Transport: &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		MaxIdleConnsPerHost: cfg.Concurrency,
		IdleConnTimeout:     90 * time.Second,
	}}
	urls := append([]string{cfg.BaseURL}, cfg.Endpoints...)
	watch := &watchdog{}
	weights, err := weightsOf(len(urls), cfg.Weights)
	if err != nil {
		c.cache.close()
		return nil, err
	}
	for i, u := range urls {
		pool, err := newHTTPPool(u, cfg.APIKey, max(1, int(math.Ceil(float64(cfg.Concurrency)*weights[i]))))
		if err != nil {
			c.cache.close()
			return nil, err
		}
		pool.watchWith(watch)
		// An endpoint of weight w takes up to w x Concurrency requests at once.
		cap := max(1, int(math.Round(float64(cfg.Concurrency)*weights[i])))
		c.endpoints = append(c.endpoints, &endpoint{url: strings.TrimRight(u, "/"), weight: weights[i], limit: newLimiter(cap), pool: pool})
	}
	c.router = newRouter(c.endpoints)
	var stop context.CancelFunc
	c.router.ctx, stop = context.WithCancel(context.Background())
	c.router.check = c.healthy
	c.stopChecks = stop
	if cfg.AnswersLog != "" {
		if c.answers, err = openAnswerLog(cfg.AnswersLog); err != nil {
			c.cache.close()
			return nil, err
		}
	}
	if cfg.BatchExport != "" {
		c.batchFile = &batchWriter{path: cfg.BatchExport}
	}
	c.memKeys = cfg.CachePath == "" && c.answers == nil && c.batchFile == nil && !cfg.Replay
	c.memSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
	return c, nil
}

// Close closes the cache, the batch file, the answers log and the
// connections, and stops the health checks.
func (c *Client) Close() error {
	c.stopProgress()
	c.stopChecks()
	for _, ep := range c.endpoints {
		ep.pool.close()
	}
	var err error
	if c.batchFile != nil {
		err = c.batchFile.close()
	}
	if c.answers != nil {
		if aerr := c.answers.close(); err == nil {
			err = aerr
		}
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

// Limits returns each endpoint's current in-flight limit, in the order of
// BaseURL and Endpoints.
func (c *Client) Limits() []int { return c.router.limits() }

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
// ctx is done. A response without an answer has Err set: ErrRepeated
// (an answer to count as invalid) or an error that should stop the run.
func (c *Client) Do(ctx context.Context, reqs []Request) []Response {
	c.startProgress()
	out := make([]Response, len(reqs))
	var wg sync.WaitGroup
	limit := make(chan struct{}, c.capacity())
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
	body, err := c.pooledBody(r)
	if err != nil {
		return Response{Err: err}
	}
	defer bodies.Put(&body.tail) // nothing keeps the body once the request is done
	var key digest
	if c.memKeys {
		key = c.memKey(body)
	} else {
		key = c.sum(body)
	}
	if e, ok := c.cache.get(key); ok {
		c.stats.Cached.Add(1)
		return Response{Text: e.Text, Choices: e.Choices, FinishReason: e.FinishReason, Usage: e.Usage, Cached: true}
	}
	switch {
	case c.cfg.Replay:
		return Response{Err: fmt.Errorf("%w: request %s (key %s…)", ErrCacheMiss, r.ID, key.String()[:12])}
	case c.batchFile != nil:
		if err := c.cache.putPending(r.ID, key.String()); err != nil {
			return Response{Err: err}
		}
		if err := c.batchFile.add(r.ID, "/v1"+c.path(), body.bytes()); err != nil {
			return Response{Err: err}
		}
		return Response{Err: fmt.Errorf("%w (%s)", ErrBatchPending, c.cfg.BatchExport)}
	}
	if !c.checkOK.Load() {
		if err := c.Check(ctx); err != nil {
			return Response{Err: err}
		}
	}
	var fails []Failure
	for attempt := 0; ; attempt++ {
		if c.overBudget() {
			return Response{Err: ErrBudget, Retries: attempt, Failures: fails}
		}
		ep, epoch, err := c.router.acquire(ctx, r.Agent)
		if err != nil {
			return Response{Err: err, Retries: attempt, Failures: fails}
		}
		c.stats.InFlight.Add(1)
		c.stats.Requests.Add(1)
		resp, f, wait := c.send(ctx, ep, body)
		c.stats.InFlight.Add(-1)
		c.router.release(ep, epoch, f)
		if f == nil {
			c.stats.Answered.Add(1)
			c.stats.PromptTokens.Add(int64(resp.Usage.PromptTokens))
			c.stats.CompletionTokens.Add(int64(resp.Usage.CompletionTokens))
			resp.Retries, resp.Failures = attempt, fails
			if err := c.cache.put(key, entry{ID: r.ID, Request: c.cache.bodyToKeep(body), Text: resp.Text, Choices: resp.Choices, FinishReason: resp.FinishReason, Usage: resp.Usage}); err != nil {
				resp.Err = fmt.Errorf("llm: caching the answer to %s: %w", r.ID, err)
			}
			if c.answers != nil {
				if err := c.answers.add(r.ID, key.String(), resp); err != nil && resp.Err == nil {
					resp.Err = err
				}
			}
			return resp
		}
		if ctx.Err() != nil {
			return Response{Err: ctx.Err(), Retries: attempt, Failures: fails}
		}
		f.Attempt = attempt
		e := &Error{Failure: *f, Method: http.MethodPost, Request: r.ID, Retries: attempt}
		if n := len(fails); f.Kind == KindServer && n > 0 && fails[n-1].Attempt == attempt-1 &&
			fails[n-1].Status == f.Status && fails[n-1].Message == f.Message {
			e.Repeated = true
			c.stats.Repeated.Add(1)
			return Response{Err: e, Retries: attempt, Failures: fails}
		}
		if !f.Retryable() || attempt >= c.cfg.MaxRetries {
			e.Hint = c.hint(*f)
			c.stats.Failed.Add(1)
			return Response{Err: e, Retries: attempt, Failures: fails}
		}
		fails = append(fails, *f)
		c.stats.Retries.Add(1)
		if wait <= 0 {
			wait = backoff(c.cfg.RetryBase, attempt)
		}
		if err := sleep(ctx, wait); err != nil {
			return Response{Err: err, Retries: attempt + 1, Failures: fails}
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
