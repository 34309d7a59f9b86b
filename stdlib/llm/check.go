package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/llmsam/llmsam/internal/text"
)

// Check asks every endpoint which models it serves (GET /v1/models) before
// anything is sent, and returns an *Error when an endpoint cannot be
// reached, refuses the key or does not list Config.Model (the message lists
// what it does serve). Where the server is llama.cpp's llama-server, it
// also reads the slot count from /props and caps the endpoint's in-flight
// limit at it. Do calls Check before its first request (not in replay or
// batch-export mode); its result is kept.
func (c *Client) Check(ctx context.Context) error {
	c.checkMu.Lock()
	defer c.checkMu.Unlock()
	if c.checked {
		return c.checkErr
	}
	// Endpoints are checked 32 at a time (a fleet may have hundreds); the
	// error reported is the first endpoint's in the configured order.
	errs := make([]error, len(c.endpoints))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i, ep := range c.endpoints {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = c.checkEndpoint(ctx, ep)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err() // not kept: a later call may check again
			}
			c.checked, c.checkErr = true, err
			return err
		}
	}
	c.checked = true
	c.checkOK.Store(true)
	return nil
}

func (c *Client) checkEndpoint(ctx context.Context, ep *endpoint) error {
	url := ep.url + "/models"
	var body []byte
	for attempt := 0; ; attempt++ {
		var f *Failure
		body, f = c.get(ctx, url, c.cfg.Timeout)
		if f == nil {
			break
		}
		if f.Status == http.StatusNotFound || f.Status == http.StatusMethodNotAllowed || f.Status == http.StatusNotImplemented {
			// No model list here (some proxies): nothing to check against.
			// A wrong base URL then fails at the first request, with its URL.
			c.readSlots(ctx, ep)
			return nil
		}
		// A refused connection at the first contact is a wrong URL or a
		// server that is not running: fail now rather than after minutes.
		if ctx.Err() != nil || !f.Retryable() || f.Kind == KindRefused || attempt >= c.cfg.MaxRetries {
			f.Attempt = attempt
			return &Error{Failure: *f, Method: http.MethodGet, Retries: attempt, Hint: c.hint(*f)}
		}
		if err := sleep(ctx, backoff(c.cfg.RetryBase, attempt)); err != nil {
			return err
		}
	}
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return &Error{Failure: Failure{Endpoint: url, Kind: KindMalformed, Message: "the model list is not JSON: " + text.Cut(string(body), 200)},
			Method: http.MethodGet, Hint: "is -base-url an OpenAI-compatible API (ending in /v1)?"}
	}
	var ids []string
	for _, m := range list.Data {
		if m.ID == c.cfg.Model || m.ID == c.cfg.Model+":latest" { // Ollama serves "name" as "name:latest"
			c.readSlots(ctx, ep)
			return nil
		}
		ids = append(ids, fmt.Sprintf("%q", m.ID))
	}
	if len(ids) == 0 {
		c.readSlots(ctx, ep)
		return nil // an empty list (some proxies): nothing to check against
	}
	if len(ids) > 20 {
		ids = append(ids[:20], fmt.Sprintf("and %d more", len(ids)-20))
	}
	return &Error{Failure: Failure{Endpoint: url, Kind: KindRejected,
		Message: fmt.Sprintf("the server does not serve model %q; it lists %s", c.cfg.Model, strings.Join(ids, ", "))},
		Method: http.MethodGet, Hint: "set -model to one of them"}
}

// readSlots caps the endpoint's in-flight limit at llama-server's slot
// count; other servers have no /props, and nothing changes.
func (c *Client) readSlots(ctx context.Context, ep *endpoint) {
	body, f := c.get(ctx, strings.TrimSuffix(ep.url, "/v1")+"/props", min(c.cfg.Timeout, 10*time.Second))
	if f != nil {
		return
	}
	var props struct {
		TotalSlots int `json:"total_slots"`
	}
	if json.Unmarshal(body, &props) == nil && props.TotalSlots > 0 {
		c.router.mu.Lock()
		ep.limit.setSlots(props.TotalSlots)
		c.router.mu.Unlock()
	}
}

// get fetches url, returning the body of a 200 or the failure.
func (c *Client) get(ctx context.Context, url string, timeout time.Duration) ([]byte, *Failure) {
	callCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fail := func(f Failure) ([]byte, *Failure) {
		f.Endpoint = url
		f.Message = c.redact(f.Message)
		return nil, &f
	}
	req, err := http.NewRequestWithContext(callCtx, http.MethodGet, url, nil)
	if err != nil {
		return fail(Failure{Kind: KindNetwork, Message: err.Error()})
	}
	c.authorize(req)
	resp, err := c.http.Do(req)
	timedOut := ctx.Err() == nil && callCtx.Err() != nil
	if err != nil {
		return fail(transportFailure(err, timedOut))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fail(transportFailure(err, timedOut))
	}
	if resp.StatusCode != http.StatusOK {
		return fail(statusFailure(resp.StatusCode, data))
	}
	return data, nil
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
