package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/llmsam/llmsam/internal/text"
)

// Errors a request can end with besides an *Error.
var (
	ErrCacheMiss    = errors.New("llm: not in the cache (replay mode calls no server)")
	ErrBudget       = errors.New("llm: budget spent")
	ErrBatchPending = errors.New("llm: request written to the batch file; import the results and run again")
	// ErrRepeated matches an *Error whose request got the same server error
	// (5xx, same message) twice in a row: the request itself seems to make
	// the server fail, so asking it again unchanged is pointless. Agents
	// count it as an invalid answer and ask again with a new seed.
	ErrRepeated = errors.New("llm: the same server error twice in a row")
)

// The kinds of Failure.
const (
	KindRateLimited = "rate-limited" // 429: retried, and the endpoint's in-flight limit halves
	KindServer      = "server-error" // 5xx: retried; the same one twice in a row is ErrRepeated
	KindTimeout     = "timeout"      // no answer within Config.Timeout (or 408): retried, the limit halves
	KindDropped     = "dropped"      // the connection closed without a complete answer: retried
	KindRefused     = "refused"      // nothing listens: fatal at the first contact, retried later (a restarting server)
	KindRejected    = "rejected"     // any other 4xx (400, 401, 403, 404, 422, ...): fatal
	KindNetwork     = "network"      // no such host, TLS failure, bad URL: fatal
	KindMalformed   = "malformed"    // a 200 whose body is not an answer: retried
)

// Failure is one attempt that got no usable answer: which endpoint, the
// HTTP status (0 when none came), the server's own error text (or what
// went wrong on the way) and what kind of failure it was.
type Failure struct {
	Attempt  int    `json:"attempt"`
	Endpoint string `json:"endpoint"`
	Status   int    `json:"status,omitempty"`
	Kind     string `json:"kind"`
	Message  string `json:"message"`
}

// Retryable reports whether the failure may go away when the request is
// sent again.
func (f Failure) Retryable() bool {
	switch f.Kind {
	case KindRateLimited, KindServer, KindTimeout, KindDropped, KindRefused, KindMalformed:
		return true
	}
	return false
}

// overload reports whether the failure says the endpoint has more work than
// it can take, so that fewer requests should be in flight.
func (f Failure) overload() bool {
	return f.Kind == KindRateLimited || f.Kind == KindTimeout || f.Kind == KindDropped || f.Status == http.StatusServiceUnavailable
}

// Error is a request that got no answer: the last failure, the request's
// id and how often it was retried. Its message names the endpoint URL, the
// HTTP status and the server's own error text.
type Error struct {
	Failure
	Method   string // GET or POST
	Request  string // the request's id ("" for the endpoint check)
	Retries  int    // failed attempts retried before this one
	Repeated bool   // the same server error twice in a row (see ErrRepeated)
	Hint     string // what to do about it, when known
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Endpoint)
	if e.Status != 0 {
		fmt.Fprintf(&b, "HTTP %d %s: ", e.Status, http.StatusText(e.Status))
	}
	b.WriteString(e.Message)
	if e.Repeated {
		b.WriteString(" (the same answer twice in a row)")
	} else if e.Retries > 0 {
		fmt.Fprintf(&b, " (after %d retries)", e.Retries)
	}
	if e.Request != "" {
		fmt.Fprintf(&b, " [request %s]", e.Request)
	}
	if e.Hint != "" {
		b.WriteString(": ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Is matches ErrRepeated for a repeated server error.
func (e *Error) Is(target error) bool { return target == ErrRepeated && e.Repeated }

// hint says what a failure of this client usually means: as hint does,
// and for a refused key whether one was sent at all.
func (c *Client) hint(f Failure) string {
	if (f.Status == 401 || f.Status == 403) && c.cfg.APIKey == "" {
		return "no key was sent (OPENAI_API_KEY is empty or unset): set it to a key the server accepts"
	}
	return hint(f)
}

// hint says what a failure usually means.
func hint(f Failure) string {
	switch {
	case f.Kind == KindRefused:
		return "nothing listens there: is the server running, and are -base-url (and -endpoints) right?"
	case f.Status == 401 || f.Status == 403:
		return "the server refused the key: set OPENAI_API_KEY to a key it accepts"
	case f.Status == 404:
		return "check -model against the server's /v1/models and that -base-url ends in /v1"
	case f.Status == 400 && strings.Contains(strings.ToLower(f.Message), "context"):
		return "the prompt and -max-tokens do not fit the model's context: start the server with a larger context or lower -max-tokens"
	case f.Kind == KindTimeout:
		return "the server is slower than -timeout allows: raise -timeout or lower -concurrency"
	case f.Kind == KindNetwork:
		return "check -base-url"
	}
	return ""
}

// transportFailure classifies an error of the HTTP round trip. timedOut
// says the attempt's own deadline passed.
func transportFailure(err error, timedOut bool) Failure {
	var dns *net.DNSError
	switch {
	case timedOut || errors.Is(err, context.DeadlineExceeded):
		return Failure{Kind: KindTimeout, Message: "no answer in time (-timeout)"}
	case errors.Is(err, syscall.ECONNREFUSED):
		return Failure{Kind: KindRefused, Message: "connection refused"}
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Failure{Kind: KindDropped, Message: "the connection was closed without an answer"}
	case errors.As(err, &dns):
		return Failure{Kind: KindNetwork, Message: "no such host " + dns.Name}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return Failure{Kind: KindTimeout, Message: "no answer in time (-timeout)"}
	}
	msg := err.Error()
	if strings.Contains(msg, "closed") || strings.Contains(msg, "reset") || strings.Contains(msg, "EOF") {
		return Failure{Kind: KindDropped, Message: "the connection was closed without an answer (" + msg + ")"}
	}
	return Failure{Kind: KindNetwork, Message: msg}
}

// statusFailure classifies an HTTP error answer.
func statusFailure(status int, body []byte) Failure {
	f := Failure{Status: status, Message: serverMessage(body)}
	switch {
	case status == http.StatusTooManyRequests:
		f.Kind = KindRateLimited
	case status == http.StatusRequestTimeout:
		f.Kind = KindTimeout
	case status >= 500:
		f.Kind = KindServer
	default:
		f.Kind = KindRejected
	}
	return f
}

// serverMessage extracts the server's own error text from an error body:
// {"error": {"message": ...}} (OpenAI, vLLM, llama.cpp), {"error": "..."}
// (Ollama), {"message": ...} (older vLLM), else the body itself, cut.
func serverMessage(body []byte) string {
	var v struct {
		Error   any    `json:"error"`
		Message string `json:"message"`
		Detail  any    `json:"detail"`
	}
	if json.Unmarshal(body, &v) == nil {
		switch e := v.Error.(type) {
		case string:
			return e
		case map[string]any:
			if m, ok := e["message"].(string); ok {
				return m
			}
		}
		if v.Message != "" {
			return v.Message
		}
		if v.Detail != nil {
			return fmt.Sprint(v.Detail)
		}
	}
	s := strings.TrimSpace(string(body))
	if s == "" {
		return "(empty body)"
	}
	return text.Cut(s, 500)
}
