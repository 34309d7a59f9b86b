package llm

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/llmsam/llmsam/internal/openaitest"
)

var schema = json.RawMessage(`{"type":"object","properties":{"opinion":{"type":"integer"}},"required":["opinion"]}`)

func requests(n int) []Request {
	out := make([]Request, n)
	for i := range out {
		out[i] = Request{ID: fmt.Sprintf("t/r0/s1/a%d/t0", i), Agent: i, Seed: int64(1000 + i), Schema: schema,
			Messages: []Message{{Role: "system", Content: "shared"}, {Role: "user", Content: fmt.Sprintf("agent %d", i)}}}
	}
	return out
}

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	cfg.Quiet = true
	if cfg.Model == "" {
		cfg.Model = "test-model"
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func mustAnswer(t *testing.T, resps []Response) {
	t.Helper()
	for i, r := range resps {
		if r.Err != nil || r.Text == "" {
			t.Fatalf("request %d: %q %v", i, r.Text, r.Err)
		}
	}
}

// TestRequestFields checks every field of the requests as the server
// receives them, in both wire modes.
func TestRequestFields(t *testing.T) {
	srv := openaitest.New(openaitest.Options{APIKey: "sk-secret-123", Models: []string{"Qwen/Qwen2.5-7B-Instruct"}})
	defer srv.Close()
	c := newClient(t, Config{Model: "Qwen/Qwen2.5-7B-Instruct", BaseURL: srv.BaseURL(), APIKey: "sk-secret-123",
		Temperature: 0, TopP: 0.9, MaxTokens: 256, Stop: []string{"# R"}, Extra: map[string]any{"top_k": 20, "repetition_penalty": 1.05}})
	mustAnswer(t, c.Do(context.Background(), requests(1)))
	if srv.Count() != 1 {
		t.Fatalf("%d requests for one", srv.Count())
	}
	rec := srv.Requests()[0]
	if rec.Path != "/v1/chat/completions" || rec.Header.Get("Authorization") != "Bearer sk-secret-123" {
		t.Fatalf("path %s, authorization %q", rec.Path, rec.Header.Get("Authorization"))
	}
	var body map[string]any
	json.Unmarshal(rec.Body, &body)
	want := map[string]any{"model": "Qwen/Qwen2.5-7B-Instruct", "temperature": 0.0, "top_p": 0.9, "max_tokens": 256.0,
		"seed": 1000.0, "top_k": 20.0, "repetition_penalty": 1.05}
	for k, v := range want {
		if fmt.Sprint(body[k]) != fmt.Sprint(v) {
			t.Errorf("%s = %v, want %v", k, body[k], v)
		}
	}
	if stop, _ := body["stop"].([]any); len(stop) != 1 || stop[0] != "# R" {
		t.Errorf("stop = %v", body["stop"])
	}
	msgs, _ := body["messages"].([]any)
	if len(msgs) != 2 || msgs[1].(map[string]any)["content"] != "agent 0" {
		t.Errorf("messages = %v", body["messages"])
	}
	rf, _ := body["response_format"].(map[string]any)
	js, _ := rf["json_schema"].(map[string]any)
	if rf["type"] != "json_schema" || js["name"] != "answer" || js["schema"] == nil {
		t.Errorf("response_format = %v", body["response_format"])
	}

	// Completion mode, no key: no Authorization header, prompt and stop sent.
	srv2 := openaitest.New(openaitest.Options{})
	defer srv2.Close()
	t.Setenv("OPENAI_API_KEY", "")
	c2 := newClient(t, Config{BaseURL: srv2.BaseURL(), Mode: Completion, Temperature: 1, Stop: []string{"# R"}})
	mustAnswer(t, c2.Do(context.Background(), []Request{{ID: "x", Prompt: "Hello", Seed: 7}}))
	rec = srv2.Requests()[0]
	body = map[string]any{}
	json.Unmarshal(rec.Body, &body)
	if rec.Path != "/v1/completions" || rec.Header.Get("Authorization") != "" || body["prompt"] != "Hello" || body["temperature"] != 1.0 {
		t.Fatalf("completion request: %s auth %q body %s", rec.Path, rec.Header.Get("Authorization"), rec.Body)
	}
	if _, ok := body["response_format"]; ok {
		t.Error("completion mode must not send response_format")
	}
}

// TestFaultsAreRetried injects every transport fault and checks that every
// request is answered and every retry is accounted for by kind. Hangs end
// in the client's timeout, which a slow machine may also hit on an
// ordinary request, so timeouts are checked as at least the hangs.
func TestFaultsAreRetried(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Rules: []openaitest.Rule{
		{Fault: openaitest.TooMany, Rate: 0.2}, {Fault: openaitest.ServerError, Rate: 0.1},
		{Fault: openaitest.Hang, Rate: 0.02}, {Fault: openaitest.Drop, Rate: 0.05},
	}})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL(), Timeout: 5 * time.Second, RetryBase: 5 * time.Millisecond})
	resps := c.Do(context.Background(), requests(200))
	mustAnswer(t, resps)
	kinds := map[string]int{}
	retries := 0
	for _, r := range resps {
		retries += r.Retries
		if len(r.Failures) != r.Retries {
			t.Fatalf("%d retries but %d failures recorded", r.Retries, len(r.Failures))
		}
		for _, f := range r.Failures {
			kinds[f.Kind]++
			if !strings.HasPrefix(f.Endpoint, srv.BaseURL()) {
				t.Fatalf("failure without its endpoint: %+v", f)
			}
		}
	}
	inj := srv.Injected()
	if kinds[KindRateLimited] != inj[openaitest.TooMany] || kinds[KindServer] != inj[openaitest.ServerError] ||
		kinds[KindDropped] != inj[openaitest.Drop] || kinds[KindTimeout] < inj[openaitest.Hang] ||
		int(c.Stats().Retries.Load()) != retries {
		t.Fatalf("injected %v, counted %v (%d retries, stats %d)", inj, kinds, retries, c.Stats().Retries.Load())
	}
	if inj[openaitest.TooMany] == 0 || inj[openaitest.Hang] == 0 || inj[openaitest.Drop] == 0 || inj[openaitest.ServerError] == 0 {
		t.Fatalf("fault mix not exercised: %v", inj)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	srv := openaitest.New(openaitest.Options{RetryAfter: 300 * time.Millisecond, Rules: []openaitest.Rule{{Fault: openaitest.TooMany, Rate: 1}}})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL(), RetryBase: time.Millisecond})
	start := time.Now()
	mustAnswer(t, c.Do(context.Background(), requests(1)))
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Fatalf("answered after %v: the 300 ms Retry-After was not honoured", d)
	}
}

// TestFailuresStopAtOnce checks that answers no retry can change fail
// after one request (or none, when the endpoint check fails) with a
// message naming the endpoint, the status and the server's own words, and
// never the key.
func TestFailuresStopAtOnce(t *testing.T) {
	long := requests(1)
	long[0].Messages[1].Content = strings.Repeat("word ", 100)
	for _, tc := range []struct {
		name  string
		opts  openaitest.Options
		cfg   Config
		reqs  []Request
		posts int
		want  []string
	}{
		{"bad request", openaitest.Options{}, Config{}, []Request{{ID: "bad", Messages: []Message{{Role: "wizard", Content: "x"}}}},
			1, []string{"HTTP 400", "role", "/v1/chat/completions", "[request bad]"}},
		{"wrong key", openaitest.Options{APIKey: "sk-right"}, Config{APIKey: "sk-wrong-key-42"}, requests(3),
			0, []string{"GET", "/v1/models", "HTTP 401", "Incorrect API key provided", "OPENAI_API_KEY"}},
		{"unknown model", openaitest.Options{Models: []string{"qwen", "llama"}}, Config{Model: "gpt"}, requests(3),
			0, []string{"/v1/models", `does not serve model "gpt"`, `"qwen", "llama"`}},
		{"context overflow", openaitest.Options{Context: 50}, Config{}, long,
			1, []string{"HTTP 400", "exceeds the available context size", "-max-tokens"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := openaitest.New(tc.opts)
			defer srv.Close()
			tc.cfg.BaseURL = srv.BaseURL()
			c := newClient(t, tc.cfg)
			for _, r := range c.Do(context.Background(), tc.reqs) {
				var e *Error
				if !errors.As(r.Err, &e) || e.Retryable() || r.Retries != 0 {
					t.Fatalf("error %v (retries %d), want a non-retryable *Error", r.Err, r.Retries)
				}
				for _, w := range append(tc.want, srv.URL) {
					if !strings.Contains(r.Err.Error(), w) {
						t.Errorf("%q lacks %q", r.Err, w)
					}
				}
				if strings.Contains(r.Err.Error(), "sk-wrong-key-42") {
					t.Errorf("the key is in the message: %s", r.Err)
				}
			}
			if srv.Count() != tc.posts {
				t.Fatalf("%d requests reached the server, want %d", srv.Count(), tc.posts)
			}
		})
	}
}

// TestNoKeySent: a server that wants a key and got none is answered with
// that, not with advice about a wrong key.
func TestNoKeySent(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	srv := openaitest.New(openaitest.Options{APIKey: "sk-right"})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL()})
	r := c.Do(context.Background(), requests(1))[0]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "HTTP 401") || !strings.Contains(r.Err.Error(), "no key was sent") {
		t.Fatalf("error %v, want a 401 saying no key was sent", r.Err)
	}
}

// TestRefusedAtFirstContact points the client at a port nothing listens on:
// it fails at once, naming the address.
func TestRefusedAtFirstContact(t *testing.T) {
	c := newClient(t, Config{BaseURL: "http://127.0.0.1:9/v1"})
	r := c.Do(context.Background(), requests(5))[0]
	var e *Error
	if !errors.As(r.Err, &e) || e.Kind != KindRefused || !strings.Contains(r.Err.Error(), "127.0.0.1:9") || c.Stats().Requests.Load() != 0 {
		t.Fatalf("error %v, want connection refused naming 127.0.0.1:9 before any request", r.Err)
	}
}

// TestServerRestartIsSurvived stops the server after the endpoint check
// and starts it again on the same port once the client has seen the
// refused connection: the requests are retried and answered.
func TestServerRestartIsSurvived(t *testing.T) {
	first := openaitest.New(openaitest.Options{})
	addr := first.Listener.Addr().String()
	c := newClient(t, Config{BaseURL: first.BaseURL(), RetryBase: 20 * time.Millisecond, MaxRetries: 30})
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	first.Close()
	done := make(chan []Response)
	go func() { done <- c.Do(context.Background(), requests(10)) }()
	for c.Stats().Retries.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	second := openaitest.New(openaitest.Options{Addr: addr})
	defer second.Close()
	resps := <-done
	mustAnswer(t, resps)
	refused := 0
	for _, r := range resps {
		for _, f := range r.Failures {
			if f.Kind == KindRefused {
				refused++
			}
		}
	}
	if refused == 0 || second.Count() != 10 {
		t.Fatalf("%d refused attempts recorded, %d answers from the restarted server", refused, second.Count())
	}
}

// TestRepeatedServerError answers the same 500 twice for a request: the
// client gives up after the second (ErrRepeated) instead of retrying it.
func TestRepeatedServerError(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Rules: []openaitest.Rule{{Fault: openaitest.ServerError, Rate: 1, Times: 2}}})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL(), RetryBase: time.Millisecond})
	r := c.Do(context.Background(), requests(1))[0]
	if !errors.Is(r.Err, ErrRepeated) || r.Retries != 1 || srv.Count() != 2 || !strings.Contains(r.Err.Error(), "the model crashed") {
		t.Fatalf("error %v after %d retries and %d requests, want ErrRepeated after 2", r.Err, r.Retries, srv.Count())
	}
}

// TestRetriesSpent keeps answering 429: after MaxRetries the request fails
// with the status and the server's message.
func TestRetriesSpent(t *testing.T) {
	srv := openaitest.New(openaitest.Options{RetryAfter: time.Millisecond, Rules: []openaitest.Rule{{Fault: openaitest.TooMany, Rate: 1, Times: 100}}})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL(), MaxRetries: 2})
	r := c.Do(context.Background(), requests(1))[0]
	var e *Error
	if !errors.As(r.Err, &e) || e.Status != 429 || r.Retries != 2 || srv.Count() != 3 || !strings.Contains(r.Err.Error(), "too many requests") {
		t.Fatalf("error %v after %d retries, %d requests", r.Err, r.Retries, srv.Count())
	}
}

// TestOllamaLatestAlias accepts a model listed with Ollama's ":latest".
func TestOllamaLatestAlias(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Models: []string{"llama3:latest"}})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL(), Model: "llama3"})
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrencyCapAndRouting checks the in-flight cap per endpoint and
// that agents stick to their endpoint while it has room.
func TestConcurrencyCapAndRouting(t *testing.T) {
	a := openaitest.New(openaitest.Options{Latency: 30 * time.Millisecond})
	b := openaitest.New(openaitest.Options{Latency: 30 * time.Millisecond})
	defer a.Close()
	defer b.Close()
	c := newClient(t, Config{BaseURL: a.BaseURL(), Endpoints: []string{b.BaseURL()}, Concurrency: 8})
	mustAnswer(t, c.Do(context.Background(), requests(100)))
	if a.MaxInFlight() > 8 || b.MaxInFlight() > 8 {
		t.Fatalf("max in flight %d and %d, want never above the cap 8", a.MaxInFlight(), b.MaxInFlight())
	}
	if a.Count()+b.Count() != 100 || a.Count() < 30 || b.Count() < 30 {
		t.Fatalf("load %d / %d, want it shared", a.Count(), b.Count())
	}
	// Below the cap, every request of an agent goes to its home endpoint,
	// and homes are spread over the endpoints.
	a2 := openaitest.New(openaitest.Options{})
	b2 := openaitest.New(openaitest.Options{})
	defer a2.Close()
	defer b2.Close()
	c2 := newClient(t, Config{BaseURL: a2.BaseURL(), Endpoints: []string{b2.BaseURL()}})
	for try := range 3 {
		for i := range 20 {
			r := requests(20)[i]
			r.Seed += int64(100 * try)
			mustAnswer(t, c2.Do(context.Background(), []Request{r}))
		}
	}
	home := map[string]string{}
	for name, srv := range map[string]*openaitest.Server{"a": a2, "b": b2} {
		for _, r := range srv.Requests() {
			var body struct {
				Messages []Message `json:"messages"`
			}
			json.Unmarshal(r.Body, &body)
			agent := body.Messages[1].Content
			if h, ok := home[agent]; ok && h != name {
				t.Fatalf("%s went to two endpoints", agent)
			}
			home[agent] = name
		}
	}
	if a2.Count() == 0 || b2.Count() == 0 || len(home) != 20 {
		t.Fatalf("homes: %v", home)
	}
}

// TestCacheReplayAndSecrets checks that a rerun asks nothing, that the cache
// survives the process, that replay works with the server gone and fails
// clearly on a miss, and that the key is never stored.
func TestCacheReplayAndSecrets(t *testing.T) {
	srv := openaitest.New(openaitest.Options{APIKey: "sk-never-store-me"})
	path := filepath.Join(t.TempDir(), "cache.db")
	c := newClient(t, Config{BaseURL: srv.BaseURL(), APIKey: "sk-never-store-me", CachePath: path})
	first := c.Do(context.Background(), requests(20))
	mustAnswer(t, first)
	again := c.Do(context.Background(), requests(20))
	if srv.Count() != 20 {
		t.Fatalf("a rerun sent requests: %d in all", srv.Count())
	}
	for i := range again {
		if !again[i].Cached || again[i].Text != first[i].Text {
			t.Fatalf("request %d: cached %v", i, again[i].Cached)
		}
	}
	c.Close()
	srv.Close()
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "sk-never-store-me") {
		t.Fatal("the API key is in the cache file")
	}
	r := newClient(t, Config{BaseURL: srv.BaseURL(), CachePath: path, Replay: true})
	replayed := r.Do(context.Background(), requests(21))
	for i := range 20 {
		if replayed[i].Err != nil || replayed[i].Text != first[i].Text {
			t.Fatalf("replay %d: %v", i, replayed[i].Err)
		}
	}
	if !errors.Is(replayed[20].Err, ErrCacheMiss) || !strings.Contains(replayed[20].Err.Error(), "t/r0/s1/a20/t0") {
		t.Fatalf("miss: %v, want ErrCacheMiss naming the request", replayed[20].Err)
	}
}

// TestKeyIsTheBody checks that every Config field is classified, that
// each field classified as changing the answer changes the body sent (and
// so the cache key), and that the others change neither.
func TestKeyIsTheBody(t *testing.T) {
	alt := map[string]any{ // a value other than the default for each answer field
		"Model": "other-model", "Mode": Completion, "Temperature": 0.7, "TopP": 0.9, "MaxTokens": 99,
		"Stop": []string{"END"}, "Seed": int64(5), "Extra": map[string]any{"top_k": 20}, "NoSchema": true,
	}
	session := map[string]any{
		"BaseURL": "http://127.0.0.1:2/v1", "Endpoints": []string{"http://127.0.0.1:3/v1"}, "APIKey": "sk-x", "Concurrency": 3,
		"Timeout": time.Second, "MaxRetries": 1, "RetryBase": time.Millisecond, "PriceInput": 1.0, "PriceOutput": 2.0,
		"BudgetTokens": 10, "BudgetUSD": 1.0, "FallbackBudget": 0.5, "CachePath": "", "Replay": true, "BatchExport": "", "Quiet": true,
		"Weights": []float64{2}, "AnswersLog": filepath.Join(t.TempDir(), "answers.jsonl"),
	}
	base := Config{Model: "m", BaseURL: "http://127.0.0.1:1/v1", Quiet: true}
	req := requests(1)[0]
	req.Prompt = "prompt"
	key := func(cfg Config) string {
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		k := c.Key(req)
		if k == "" {
			t.Fatalf("no key for %+v", cfg)
		}
		return k
	}
	k0 := key(base)
	typ := reflect.TypeOf(Config{})
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		role, ok := fieldRoles[name]
		if !ok {
			t.Errorf("Config.%s is not in fieldRoles: say whether it changes the answer (answerField) or not (sessionField)", name)
			continue
		}
		values := alt
		if role == sessionField {
			values = session
		}
		v, ok := values[name]
		if !ok {
			t.Errorf("Config.%s has no test value: add one to this test", name)
			continue
		}
		cfg := base
		reflect.ValueOf(&cfg).Elem().Field(i).Set(reflect.ValueOf(v))
		if changed := key(cfg) != k0; changed != (role == answerField) {
			t.Errorf("Config.%s (role %d): key changed %v", name, role, changed)
		}
	}
	// The request's own parts change the key; its id, agent and attempt do not.
	c := newClient(t, base)
	for name, r := range map[string]Request{
		"seed":    {Messages: req.Messages, Schema: req.Schema, Seed: 1},
		"message": {Messages: []Message{{Role: "user", Content: "other"}}, Schema: req.Schema, Seed: req.Seed},
		"schema":  {Messages: req.Messages, Seed: req.Seed},
	} {
		if c.Key(r) == c.Key(req) {
			t.Errorf("changing the %s kept the key", name)
		}
	}
	same := req
	same.ID, same.Agent, same.Attempt = "another/id", 99, 2
	if c.Key(same) != c.Key(req) {
		t.Error("the id, the agent and the attempt must not change the key")
	}
}

// TestFlagDefaults checks that AddFlags's defaults are the Config's.
func TestFlagDefaults(t *testing.T) {
	t.Setenv("LLMSAM_MODEL", "m")
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	cfg := AddFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	flags, zero := *cfg, FromEnv("m")
	if err := flags.defaults(); err != nil {
		t.Fatal(err)
	}
	if err := zero.defaults(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(flags, zero) {
		t.Fatalf("flag defaults %+v\nConfig defaults %+v", flags, zero)
	}
}

// TestSeedShift checks that Config.Seed shifts every request's seed, the
// same way each time, and keeps it in 31 bits.
func TestSeedShift(t *testing.T) {
	seedOf := func(cfg Config, r Request) int64 {
		c := newClient(t, cfg)
		b, err := c.Body(r)
		if err != nil {
			t.Fatal(err)
		}
		var w struct{ Seed int64 }
		json.Unmarshal(b, &w)
		return w.Seed
	}
	cfg := Config{BaseURL: "http://127.0.0.1:1/v1"}
	shifted := cfg
	shifted.Seed = 42
	seen := map[int64]bool{}
	for _, r := range requests(50) {
		s0, s1 := seedOf(cfg, r), seedOf(shifted, r)
		if s0 != r.Seed || s1 == s0 || s1 != seedOf(shifted, r) || s1 < 0 || s1 >= 1<<31 || seen[s1] {
			t.Fatalf("seed %d: sent %d unshifted, %d shifted", r.Seed, s0, s1)
		}
		seen[s1] = true
	}
}

// TestLimiter drives the in-flight limit through slow start, a halving
// per round of overloads, additive increase and the slot cap.
func TestLimiter(t *testing.T) {
	l := newLimiter(64)
	if l.current() != initialLimit {
		t.Fatalf("starts at %d", l.current())
	}
	for range 10 {
		l.done(l.start(), true, false)
	}
	if l.current() != initialLimit+10 {
		t.Fatalf("slow start: %d after 10 answers", l.current())
	}
	e := make([]uint64, 5)
	for i := range e {
		e[i] = l.start()
	}
	for i := range e { // five overloads of the same round halve once
		l.done(e[i], false, true)
	}
	if l.current() != (initialLimit+10)/2 {
		t.Fatalf("after a round of overloads: %d, want %d", l.current(), (initialLimit+10)/2)
	}
	before := l.limit
	l.done(l.start(), true, false)
	if l.limit <= before || l.limit >= before+1 {
		t.Fatalf("additive increase: %g -> %g", before, l.limit)
	}
	for range 10000 {
		l.done(l.start(), true, false)
	}
	if l.current() != 64 {
		t.Fatalf("grew to %d, want the cap 64", l.current())
	}
	for range 20 {
		l.done(l.start(), false, true)
	}
	if l.current() != 1 {
		t.Fatalf("never below 1: %d", l.current())
	}
	l.setSlots(2)
	if l.current() != 2 || l.max != 2 {
		t.Fatalf("slots: limit %d, max %d", l.current(), l.max)
	}
}

// TestSlotsFromProps reads llama-server's slot count: never more requests
// in flight than slots, whatever -concurrency says.
func TestSlotsFromProps(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Slots: 2, Latency: 5 * time.Millisecond})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL(), Concurrency: 64})
	mustAnswer(t, c.Do(context.Background(), requests(30)))
	if srv.MaxInFlight() > 2 || c.Limits()[0] != 2 {
		t.Fatalf("max in flight %d, limit %v; want at most the 2 slots", srv.MaxInFlight(), c.Limits())
	}
}

// TestAdaptsToThrottling runs against a server that answers 429 above 4
// requests in flight: every request is answered.
func TestAdaptsToThrottling(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Limit: 4, Latency: 2 * time.Millisecond, RetryAfter: time.Millisecond})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL(), Concurrency: 64, MaxRetries: 50, RetryBase: time.Millisecond})
	mustAnswer(t, c.Do(context.Background(), requests(200)))
	t.Logf("%d throttled, limit now %v", srv.OverLimit(), c.Limits())
}

func TestBudget(t *testing.T) {
	srv := openaitest.New(openaitest.Options{})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL(), BudgetTokens: 100, Concurrency: 1})
	resps := c.Do(context.Background(), requests(50))
	var spent, refused int
	for _, r := range resps {
		if errors.Is(r.Err, ErrBudget) {
			refused++
		} else if r.Err == nil {
			spent++
		}
	}
	if refused == 0 || spent == 0 || srv.Count() != spent {
		t.Fatalf("%d answered, %d refused, %d sent", spent, refused, srv.Count())
	}
}

// TestBatchExportImport writes requests as batch JSONL, answers them as
// `vllm run-batch` would, imports the results and replays.
func TestBatchExportImport(t *testing.T) {
	dir := t.TempDir()
	cache, in, out := filepath.Join(dir, "cache.db"), filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "out.jsonl")
	c := newClient(t, Config{BaseURL: "http://127.0.0.1:1/v1", CachePath: cache, BatchExport: in})
	resps := c.Do(context.Background(), requests(5))
	for _, r := range resps {
		if !errors.Is(r.Err, ErrBatchPending) {
			t.Fatalf("error %v, want ErrBatchPending", r.Err)
		}
	}
	c.Close()
	f, _ := os.Open(in)
	sc := bufio.NewScanner(f)
	var lines []batchLine
	for sc.Scan() {
		var l batchLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	f.Close()
	if len(lines) != 5 || lines[0].Method != "POST" || lines[0].URL != "/v1/chat/completions" || !strings.HasPrefix(lines[0].CustomID, "t/r0/s1/a") {
		t.Fatalf("batch lines: %+v", lines)
	}
	var results strings.Builder
	failedID := lines[4].CustomID
	for k, l := range lines {
		var body struct {
			Messages []Message `json:"messages"`
			Seed     int64     `json:"seed"`
		}
		json.Unmarshal(l.Body, &body)
		op, dec, th := openaitest.Answer(body.Messages[1].Content, &body.Seed)
		content, _ := json.Marshal(map[string]any{"thought": th, "opinion": op, "decision": dec})
		resp := map[string]any{"custom_id": l.CustomID, "response": map[string]any{"status_code": 200, "body": map[string]any{
			"object": "chat.completion", "choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": string(content)}}},
			"usage": map[string]any{"prompt_tokens": 10, "completion_tokens": 5}}}, "error": nil}
		if k == 4 {
			resp = map[string]any{"custom_id": l.CustomID, "response": nil, "error": map[string]any{"message": "failed"}}
		}
		b, _ := json.Marshal(resp)
		results.Write(append(b, '\n'))
	}
	os.WriteFile(out, []byte(results.String()), 0o644)
	stored, failed, err := ImportBatch(Config{Model: "test-model", CachePath: cache}, out)
	if err != nil || stored != 4 || failed != 1 {
		t.Fatalf("import: %d stored, %d failed, %v", stored, failed, err)
	}
	r := newClient(t, Config{BaseURL: "http://127.0.0.1:1/v1", CachePath: cache, Replay: true})
	reqs := requests(5)
	got := r.Do(context.Background(), reqs)
	for i := range 5 {
		if reqs[i].ID == failedID {
			if !errors.Is(got[i].Err, ErrCacheMiss) {
				t.Fatalf("the failed line must stay a miss: %v", got[i].Err)
			}
			continue
		}
		if got[i].Err != nil || !strings.Contains(got[i].Text, "opinion") {
			t.Fatalf("replayed %d: %v", i, got[i].Err)
		}
	}
	r.Close()
	os.WriteFile(out, []byte("{\"custom_id\": \"nope\", \"response\": null}\n"), 0o644)
	if _, _, err := ImportBatch(Config{Model: "test-model", CachePath: cache}, out); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("unknown custom_id: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{},
		{Model: "m", BaseURL: "localhost:8000"},
		{Model: "m", BaseURL: "http://x/v1", Temperature: 3},
		{Model: "m", BaseURL: "http://x/v1", Mode: "stream"},
		{Model: "m", BaseURL: "http://x/v1", Replay: true, BatchExport: "b.jsonl"},
		{Model: "m", BaseURL: "http://x/v1", Timeout: -time.Second},
		{Model: "m", BaseURL: "http://x/v1", RetryBase: -time.Second},
		{Model: "m", BaseURL: "http://x/v1", MaxRetries: -1},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	cfg := Config{Model: "m", APIKey: "sk-hidden"}
	if strings.Contains(cfg.String(), "sk-hidden") {
		t.Error("Config.String shows the key")
	}
}

// TestBodyIsWhatJSONMarshalWrites checks that bodies built by appending are
// byte for byte those json.Marshal writes for the wire struct, so that the
// cache keys of existing caches stay valid.
func TestBodyIsWhatJSONMarshalWrites(t *testing.T) {
	texts := []string{"", "plain", "quote \" backslash \\ <tag> & amp", "line\nbreak\ttab\u2028", "caf\u00e9 \U0001F600", "bad \xff utf8"}
	for _, cfg := range []Config{
		{Model: "m", BaseURL: "http://127.0.0.1:1/v1"},
		{Model: "m<&>", BaseURL: "http://127.0.0.1:1/v1", Temperature: 0.7, TopP: 0.95, MaxTokens: 99, Stop: []string{"END", "\n#"}, Seed: 77},
		{Model: "m", BaseURL: "http://127.0.0.1:1/v1", Mode: Completion, Temperature: 1e-7},
		{Model: "m", BaseURL: "http://127.0.0.1:1/v1", NoSchema: true, Extra: map[string]any{"top_k": 20, "repetition_penalty": 1.1}},
	} {
		c := newClient(t, cfg)
		for i, text := range texts {
			for _, n := range []int{0, 1, 8} {
				r := Request{ID: "x", Seed: int64(i * 1234567), N: n, Schema: schema, Prompt: text + "p",
					Messages: []Message{{Role: "system", Content: "shared " + text}, {Role: "user", Content: text}}}
				got, gerr := c.Body(r)
				want, werr := c.wireBody(r)
				if gerr != nil || werr != nil || string(got) != string(want) {
					t.Fatalf("%+v, text %q, n %d:\n got %s (%v)\nwant %s (%v)", cfg, text, n, got, gerr, want, werr)
				}
			}
		}
	}
}

// TestNoModelList accepts a server without /v1/models; a wrong base URL
// then fails at the first request with a 404 naming the URL.
func TestNoModelList(t *testing.T) {
	srv := openaitest.New(openaitest.Options{})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.URL + "/api"})
	r := c.Do(context.Background(), requests(1))[0]
	var e *Error
	if !errors.As(r.Err, &e) || e.Status != 404 || !strings.Contains(r.Err.Error(), srv.URL+"/api/chat/completions") || !strings.Contains(r.Err.Error(), "ends in /v1") {
		t.Fatalf("error %v, want a 404 naming the URL", r.Err)
	}
}
