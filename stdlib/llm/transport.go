package llm

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// callKey carries a callInfo in a request's context to the transport.
type callKey struct{}

// callInfo is what the transport adds to and reads from one HTTP call.
type callInfo struct {
	extra      map[string]any // merged into the JSON body
	retryAfter time.Duration  // read from a 429 or 503
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

// mergeJSON sets the fields of extra in a JSON object.
func mergeJSON(body []byte, extra map[string]any) ([]byte, error) {
	if len(extra) == 0 {
		return body, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	for k, v := range extra {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		m[k] = b
	}
	return json.Marshal(m)
}
