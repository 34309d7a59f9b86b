package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// send posts one body to an endpoint and reads the answer. It returns the
// answer, or the failure and, for a 429 or 503, how long the server asked
// to wait.
func (c *Client) send(ctx context.Context, ep *endpoint, body []byte) (Response, *Failure, time.Duration) {
	url := ep.url + c.path()
	callCtx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	fail := func(f Failure) (Response, *Failure, time.Duration) {
		f.Endpoint = url
		f.Message = c.redact(f.Message)
		return Response{}, &f, 0
	}
	req, err := http.NewRequestWithContext(callCtx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fail(Failure{Kind: KindNetwork, Message: err.Error()})
	}
	req.Header.Set("Content-Type", "application/json")
	c.authorize(req)
	resp, err := c.http.Do(req)
	timedOut := func() bool { return ctx.Err() == nil && errors.Is(callCtx.Err(), context.DeadlineExceeded) }
	if err != nil {
		return fail(transportFailure(err, timedOut()))
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fail(transportFailure(err, timedOut()))
	}
	if resp.StatusCode != http.StatusOK {
		r, f, _ := fail(statusFailure(resp.StatusCode, data))
		var wait time.Duration
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			wait = retryAfter(resp.Header)
		}
		return r, f, wait
	}
	answer, err := parseAnswer(data)
	if err != nil {
		return fail(Failure{Status: resp.StatusCode, Kind: KindMalformed, Message: err.Error() + ": " + cut(string(data), 300)})
	}
	return answer, nil, 0
}

func (c *Client) authorize(r *http.Request) {
	if c.cfg.APIKey != "" {
		r.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
}

// redact removes the API key from a message (a server may echo it back).
func (c *Client) redact(s string) string {
	if len(c.cfg.APIKey) >= 4 {
		s = strings.ReplaceAll(s, c.cfg.APIKey, "[the key]")
	}
	return s
}

// wireAnswer is a chat completion or completion as answered.
type wireAnswer struct {
	Object  string `json:"object"`
	Choices []struct {
		Message *struct {
			Content *string `json:"content"`
		} `json:"message"`
		Text         *string `json:"text"`
		FinishReason string  `json:"finish_reason"`
	} `json:"choices"`
	Usage Usage `json:"usage"`
}

// parseAnswer reads the first choice of a chat completion or a completion.
func parseAnswer(data []byte) (Response, error) {
	var a wireAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		return Response{}, fmt.Errorf("the answer is not JSON (%v)", err)
	}
	if len(a.Choices) == 0 {
		return Response{}, fmt.Errorf("the answer has no choices")
	}
	ch := a.Choices[0]
	r := Response{FinishReason: ch.FinishReason, Usage: a.Usage}
	switch {
	case ch.Message != nil:
		if ch.Message.Content != nil {
			r.Text = *ch.Message.Content
		}
	case ch.Text != nil:
		r.Text = *ch.Text
	default:
		return Response{}, fmt.Errorf("the answer's choice has neither message nor text")
	}
	return r, nil
}

// retryAfter reads retry-after-ms (OpenAI) or Retry-After (seconds, possibly
// fractional, or an HTTP date), capped at 60 s.
func retryAfter(h http.Header) time.Duration {
	var d time.Duration
	if ms, err := strconv.ParseFloat(h.Get("retry-after-ms"), 64); err == nil && ms >= 0 {
		d = time.Duration(ms * float64(time.Millisecond))
	} else if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
			d = time.Duration(s * float64(time.Second))
		} else if t, err := http.ParseTime(v); err == nil {
			d = time.Until(t)
		}
	}
	return min(max(d, 0), time.Minute)
}

// mergeJSON adds the fields of extra, in sorted order, to a JSON object
// that does not have them (Config.defaults refuses extras that llmsam sets
// itself). Splicing the text avoids decoding and re-encoding every body.
func mergeJSON(body []byte, extra map[string]any) ([]byte, error) {
	if len(extra) == 0 {
		return body, nil
	}
	body = bytes.TrimRight(body, " \n\t\r")
	if len(body) < 2 || body[len(body)-1] != '}' {
		return nil, fmt.Errorf("request body is not a JSON object")
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := append([]byte(nil), body[:len(body)-1]...)
	empty := len(bytes.TrimSpace(body[1:len(body)-1])) == 0
	for i, k := range keys {
		v, err := json.Marshal(extra[k])
		if err != nil {
			return nil, fmt.Errorf("llm: Config.Extra[%q]: %w", k, err)
		}
		if i > 0 || !empty {
			out = append(out, ',')
		}
		kb, _ := json.Marshal(k)
		out = append(append(append(out, kb...), ':'), v...)
	}
	return append(out, '}'), nil
}
