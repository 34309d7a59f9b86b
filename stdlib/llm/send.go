package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/llmsam/llmsam/internal/text"
)

// send posts one body to an endpoint over the endpoint's own keep-alive
// connections and reads the answer. It returns the answer, or the failure
// and, for a 429 or 503, how long the server asked to wait.
func (c *Client) send(ctx context.Context, ep *endpoint, body reqBody) (Response, *Failure, time.Duration) {
	var (
		resp Response
		f    *Failure
		wait time.Duration
	)
	err := ep.pool.do(ctx, c.cfg.Timeout, http.MethodPost, c.path(), body, func(status int, h *respHeader, data []byte) error {
		if status != http.StatusOK {
			sf := statusFailure(status, data)
			f = &sf
			if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
				wait = retryAfter(http.Header{"Retry-After": {h.retryAfter}, "Retry-After-Ms": {h.retryAfterMS}})
			}
			return nil
		}
		a, err := parseAnswer(data)
		if err != nil {
			f = &Failure{Status: status, Kind: KindMalformed, Message: err.Error() + ": " + text.Cut(string(data), 300)}
			return nil
		}
		resp = a
		return nil
	})
	if err != nil {
		tf := transportFailure(err, errors.Is(err, errTimeout) && ctx.Err() == nil)
		f = &tf
	}
	if f != nil {
		f.Endpoint = ep.url + c.path()
		f.Message = c.redact(f.Message)
		return Response{}, f, wait
	}
	return resp, nil, 0
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

// parseAnswer reads a chat completion or a completion: the first choice as
// Text, and every choice in Choices when there are several. The one-pass
// scanner reads the common shape; anything else is decoded by
// encoding/json, which reads the same (TestScanAnswerMatchesEncodingJSON).
func parseAnswer(data []byte) (Response, error) {
	a, err := scanAnswer(data)
	if err != nil {
		if a, err = slowAnswer(data); err != nil {
			return Response{}, fmt.Errorf("the answer is not JSON (%v)", err)
		}
	}
	if a.n == 0 {
		return Response{}, fmt.Errorf("the answer has no choices")
	}
	if a.missing {
		return Response{}, fmt.Errorf("the answer's choice has neither message nor text")
	}
	r := Response{Text: a.text, FinishReason: a.finish, Usage: a.usage}
	if a.n > 1 {
		r.Choices = a.texts
	}
	return r, nil
}

// slowAnswer decodes an answer with encoding/json.
func slowAnswer(data []byte) (answerJSON, error) {
	var w wireAnswer
	if err := json.Unmarshal(data, &w); err != nil {
		return answerJSON{}, err
	}
	var a answerJSON
	for _, ch := range w.Choices {
		text, has := "", false
		switch {
		case ch.Message != nil:
			has = true
			if ch.Message.Content != nil {
				text = *ch.Message.Content
			}
		case ch.Text != nil:
			text, has = *ch.Text, true
		}
		a.add(text, ch.FinishReason, has)
	}
	a.usage = w.Usage
	return a, nil
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
