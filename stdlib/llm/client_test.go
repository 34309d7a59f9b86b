package llm

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	srv := openaitest.New(openaitest.Options{APIKey: "sk-secret-123"})
	defer srv.Close()
	c := newClient(t, Config{Model: "Qwen/Qwen2.5-7B-Instruct", BaseURL: srv.BaseURL(), APIKey: "sk-secret-123",
		Temperature: 0, TopP: 0.9, MaxTokens: 256, Stop: []string{"# R"}, Extra: map[string]any{"top_k": 20, "repetition_penalty": 1.05}})
	mustAnswer(t, c.Do(context.Background(), requests(1)))
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
// request is answered and every retry is counted.
func TestFaultsAreRetried(t *testing.T) {
	srv := openaitest.New(openaitest.Options{HangFor: 2 * time.Second, Rules: []openaitest.Rule{
		{Fault: openaitest.TooMany, Rate: 0.2}, {Fault: openaitest.ServerError, Rate: 0.1},
		{Fault: openaitest.Hang, Rate: 0.05}, {Fault: openaitest.Drop, Rate: 0.05},
	}})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL(), Timeout: 300 * time.Millisecond, RetryBase: 5 * time.Millisecond})
	resps := c.Do(context.Background(), requests(200))
	mustAnswer(t, resps)
	injected := 0
	for _, n := range srv.Injected() {
		injected += n
	}
	retries := 0
	for _, r := range resps {
		retries += r.Retries
	}
	if injected == 0 || retries != injected || int(c.Stats().Retries.Load()) != injected {
		t.Fatalf("injected %d faults (%v), counted %d retries (stats %d)", injected, srv.Injected(), retries, c.Stats().Retries.Load())
	}
	if srv.Injected()[openaitest.TooMany] == 0 || srv.Injected()[openaitest.Hang] == 0 || srv.Injected()[openaitest.Drop] == 0 {
		t.Fatalf("fault mix not exercised: %v", srv.Injected())
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

func TestBadRequestIsNotRetried(t *testing.T) {
	srv := openaitest.New(openaitest.Options{})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL()})
	resps := c.Do(context.Background(), []Request{{ID: "bad", Messages: []Message{{Role: "wizard", Content: "x"}}}})
	if resps[0].Err == nil || !strings.Contains(resps[0].Err.Error(), "role") || srv.Count() != 1 {
		t.Fatalf("error %v after %d requests; want one 400 naming the role", resps[0].Err, srv.Count())
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
	if a.MaxInFlight() > 8 || b.MaxInFlight() > 8 || a.MaxInFlight() < 6 || b.MaxInFlight() < 6 {
		t.Fatalf("max in flight %d and %d, want close to the cap 8 and never above", a.MaxInFlight(), b.MaxInFlight())
	}
	if a.Count()+b.Count() != 100 || a.Count() < 30 || b.Count() < 30 {
		t.Fatalf("load %d / %d, want it shared", a.Count(), b.Count())
	}
	// Below the cap, agent k goes to endpoint k mod 2.
	a2 := openaitest.New(openaitest.Options{})
	b2 := openaitest.New(openaitest.Options{})
	defer a2.Close()
	defer b2.Close()
	c2 := newClient(t, Config{BaseURL: a2.BaseURL(), Endpoints: []string{b2.BaseURL()}})
	for i := range 10 {
		mustAnswer(t, c2.Do(context.Background(), []Request{requests(10)[i]}))
	}
	for _, r := range a2.Requests() {
		if !strings.Contains(string(r.Body), "agent 0") && !strings.Contains(string(r.Body), "agent 2") &&
			!strings.Contains(string(r.Body), "agent 4") && !strings.Contains(string(r.Body), "agent 6") && !strings.Contains(string(r.Body), "agent 8") {
			t.Fatalf("an odd agent went to endpoint 0: %s", r.Body)
		}
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

func TestKeyDependsOnEverythingThatMatters(t *testing.T) {
	c := newClient(t, Config{BaseURL: "http://127.0.0.1:1/v1"})
	base := requests(1)[0]
	k := c.Key(base)
	for name, r := range map[string]Request{
		"seed":    {ID: base.ID, Messages: base.Messages, Schema: base.Schema, Seed: 1},
		"attempt": {ID: base.ID, Messages: base.Messages, Schema: base.Schema, Seed: base.Seed, Attempt: 1},
		"message": {ID: base.ID, Messages: []Message{{Role: "user", Content: "other"}}, Schema: base.Schema, Seed: base.Seed},
	} {
		if c.Key(r) == k {
			t.Errorf("changing the %s kept the key", name)
		}
	}
	same := base
	same.ID, same.Agent = "another/id", 99
	if c.Key(same) != k {
		t.Error("the id and the agent must not change the key")
	}
	hot := newClient(t, Config{BaseURL: "http://127.0.0.1:1/v1", Temperature: 0.7})
	if hot.Key(base) == k {
		t.Error("the temperature must change the key")
	}
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
