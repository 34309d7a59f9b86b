package llm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// callKey carries a callInfo in a request's context to the transport.
type callKey struct{}

// callInfo is what the transport adds to and reads from one HTTP call.
type callInfo struct {
	extra      map[string]any // merged into the JSON body
	retryAfter time.Duration  // read from a 429 or 503
	body       []byte         // the body as sent, kept in the cache
}

// transport merges extra fields into request bodies (go-openai drops
// temperature 0 and has no field for vLLM's extras) and records the
// Retry-After of throttled answers.
type transport struct{ base http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	info, _ := r.Context().Value(callKey{}).(*callInfo)
	if info != nil && len(info.extra) > 0 && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		if body, err = mergeJSON(body, info.extra); err != nil {
			return nil, err
		}
		info.body = body
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := t.base.RoundTrip(r)
	if err == nil && info != nil && (resp.StatusCode == 429 || resp.StatusCode == 503) {
		info.retryAfter = retryAfter(resp.Header)
	}
	return resp, err
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
// that does not have them (go-openai omits temperature, which llmsam always
// sends this way, and has no field for the others). Splicing the text
// avoids decoding and re-encoding every body.
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
	empty := bytes.Equal(bytes.TrimSpace(body[1:len(body)-1]), nil)
	for i, k := range keys {
		v, err := json.Marshal(extra[k])
		if err != nil {
			return nil, fmt.Errorf("extra field %q: %w", k, err)
		}
		if i > 0 || !empty {
			out = append(out, ',')
		}
		kb, _ := json.Marshal(k)
		out = append(append(append(out, kb...), ':'), v...)
	}
	return append(out, '}'), nil
}
