package llamaserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
)

// chat asks n schema-constrained questions through llmsam's client.
func chat(t *testing.T, srv *Server, n int) []llm.Response {
	return ask(t, srv, n, false)
}

// ask asks n questions, with or without a JSON schema.
func ask(t *testing.T, srv *Server, n int, noSchema bool) []llm.Response {
	t.Helper()
	c, err := llm.New(llm.Config{Model: srv.Model(), BaseURL: srv.BaseURL(), MaxTokens: 128, Quiet: true, MaxRetries: 1, NoSchema: noSchema})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	reqs := make([]llm.Request, n)
	for i := range reqs {
		reqs[i] = llm.Request{ID: "q" + strings.Repeat("i", i), Agent: i, Seed: int64(i), Schema: llmagent.Schema,
			Messages: []llm.Message{{Role: "system", Content: "You decide whether to buy a dishwasher."},
				{Role: "user", Content: "Your friends bought one. Answer with the JSON object only."}}}
	}
	return c.Do(context.Background(), reqs)
}

// TestServer starts a server, asks it questions, kills it (the next
// question fails) and restarts it on the same port (the same question, one
// in flight, gets the same answer), and checks that the token counts llmsam reads from the
// answers are the server's own.
func TestServer(t *testing.T) {
	srv := Start(t, Options{Slots: 2})
	first := chat(t, srv, 4)
	completion := 0
	for i, r := range first {
		if r.Err != nil {
			t.Fatalf("answer %d: %v\nserver log:\n%s", i, r.Err, srv.Log())
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(r.Text), &v); err != nil {
			t.Errorf("answer %d is not JSON under a JSON schema: %q", i, r.Text)
		}
		if _, err := llmagent.Parse(r.Text); err != nil {
			t.Errorf("answer %d %q: %v", i, r.Text, err)
		}
		completion += r.Usage.CompletionTokens
	}
	// Without the schema the random model's answers are not JSON: the
	// valid answers above come from the server's schema grammar.
	parsed := 0
	for _, r := range ask(t, srv, 4, true) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if _, err := llmagent.Parse(r.Text); err == nil {
			parsed++
		}
		completion += r.Usage.CompletionTokens
	}
	t.Logf("%d of 4 answers without a schema parse", parsed)
	if parsed == 4 {
		t.Errorf("4 of 4 answers without a schema parse: the test cannot tell whether the schema was used")
	}
	predicted, err := srv.Metric("llamacpp:tokens_predicted_total")
	if err != nil {
		t.Fatal(err)
	}
	if int(predicted) != completion {
		t.Errorf("the answers count %d completion tokens, the server's /metrics %g", completion, predicted)
	}

	alone := chat(t, srv, 1)[0] // batched answers may differ slightly from one in flight
	if alone.Err != nil {
		t.Fatal(alone.Err)
	}
	srv.Kill()
	if r := chat(t, srv, 1)[0]; r.Err == nil {
		t.Fatalf("a killed server answered %q", r.Text)
	} else if !strings.Contains(r.Err.Error(), srv.BaseURL()) && !strings.Contains(r.Err.Error(), srv.URL()) {
		t.Errorf("the error does not name the endpoint %s: %v", srv.BaseURL(), r.Err)
	}
	srv.Restart()
	again := chat(t, srv, 1)[0]
	if again.Err != nil {
		t.Fatalf("after a restart: %v", again.Err)
	}
	if again.Text != alone.Text {
		t.Errorf("the same request at one in flight got %q before the restart and %q after", alone.Text, again.Text)
	}
}

// TestCompletionStop sends raw prompts in completion mode with a stop
// string the model emits often: the server stops there and leaves the stop
// string out of the answer.
func TestCompletionStop(t *testing.T) {
	srv := Start(t, Options{Slots: 2})
	c, err := llm.New(llm.Config{Model: srv.Model(), BaseURL: srv.BaseURL(), Mode: llm.Completion,
		Stop: []string{`"`}, Temperature: 1, MaxTokens: 64, Quiet: true, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var reqs []llm.Request
	for i := range 8 {
		reqs = append(reqs, llm.Request{ID: "c", Agent: i, Seed: int64(100 + i),
			Prompt: "# The decision\nQuestion: will you buy a dishwasher?\n\n# Answer\n"})
	}
	stopped := 0
	for i, r := range c.Do(context.Background(), reqs) {
		if r.Err != nil {
			t.Fatalf("answer %d: %v", i, r.Err)
		}
		if strings.Contains(r.Text, `"`) {
			t.Errorf("answer %d holds the stop string: %q", i, r.Text)
		}
		switch r.FinishReason {
		case "stop":
			stopped++
		case "length":
			if r.Usage.CompletionTokens != 64 {
				t.Errorf("answer %d cut by length after %d tokens, not 64", i, r.Usage.CompletionTokens)
			}
		default:
			t.Errorf("answer %d: finish reason %q", i, r.FinishReason)
		}
	}
	if stopped == 0 {
		t.Errorf("no answer of 8 ended at the stop string")
	}
	if n := c.Stats().Answered.Load(); n != 8 {
		t.Errorf("%d answers from the server, want 8", n)
	}
}

// post sends a JSON body and returns the status and the answer.
func post(t *testing.T, url string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}
