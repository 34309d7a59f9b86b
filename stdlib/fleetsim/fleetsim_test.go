package fleetsim

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
)

func TestReadPromptWeightsSummaryLines(t *testing.T) {
	body := []byte(`{"messages":[{"role":"user","content":"lambda = 0.35\n# Your answers so far\nRound 1: opinion 2, decision No.\n- 4 of them: opinion 8, decision Yes\n- friend 3: opinion 5, decision No\n- 50% of them: opinion 10, decision Yes\nyour opinion of the option"}]}`)
	mean, lambda := readPrompt(body, scanFields(body).user)
	if lambda != 0.35 || mean != (2+4*8+5+500)/56.0 {
		t.Fatalf("mean %g lambda %g, want %g and 0.35", mean, lambda, (2+4*8+5+500)/56.0)
	}
	// The agent's own lambda, not the worked examples' in the shared part,
	// also at the end of a sentence.
	own := []byte(`{"messages":[{"role":"system","content":"a participant with trade-off lambda = 0.9 said"},{"role":"user","content":"- trade-off lambda = 0.2.\nopinion 6"}]}`)
	if _, l := readPrompt(own, scanFields(own).user); l != 0.2 {
		t.Fatalf("lambda %g, want the user message's 0.2", l)
	}
	quoted := []byte(`{"messages":[{"role":"system","content":"{\"thought\": \"...\", \"opinion\": 2}"},{"role":"user","content":"- friend 4: {\"thought\": \"x\", \"opinion\": 9, \"decision\": \"Yes\"}\n- friend 5: {\"thought\": \"y\", \"opinion\": 7, \"decision\": \"No\"}"}]}`)
	if m, _ := readPrompt(quoted, scanFields(quoted).user); m != 8 {
		t.Fatalf("answers quoted as JSON in the user message: mean %g, want 8 (the system message's example left out)", m)
	}
	if m, l := readPrompt([]byte(`{"prompt":"nothing here"}`), -1); m != 5 || l != 0.5 {
		t.Fatalf("defaults: %g %g", m, l)
	}
}

func TestFleetAnswersTheAgentsFormat(t *testing.T) { forEachServer(t, testFleetAnswersTheAgentsFormat) }

func testFleetAnswersTheAgentsFormat(t *testing.T) {
	f, err := Start(Options{Endpoints: 3, Slots: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, mode := range []llm.Mode{llm.Chat, llm.Completion} {
		c, err := llm.New(llm.Config{Model: "m", BaseURL: f.URLs()[0], Endpoints: f.URLs()[1:], Mode: mode, Quiet: true})
		if err != nil {
			t.Fatal(err)
		}
		var reqs []llm.Request
		for i := range 30 {
			text := "lambda = 0.90\nRound 1: opinion 9, decision Yes.\n- friend 1: opinion 9, decision Yes"
			r := llm.Request{Agent: i, Seed: int64(i), Schema: llmagent.Schema}
			if mode == llm.Chat {
				r.Messages = []llm.Message{{Role: "system", Content: "shared"}, {Role: "user", Content: text}}
			} else {
				r.Prompt = text + "\n# Answer\n"
			}
			reqs = append(reqs, r)
		}
		yes := 0
		for i, resp := range c.Do(context.Background(), reqs) {
			if resp.Err != nil {
				t.Fatalf("%s request %d: %v", mode, i, resp.Err)
			}
			a, err := llmagent.Parse(resp.Text)
			if err != nil {
				t.Fatalf("%s answer %q: %v", mode, resp.Text, err)
			}
			if a.Opinion < 8 || a.Opinion > 10 || a.Thought == "" {
				t.Fatalf("%s answer %+v: want an opinion within 1.5 of 9", mode, a)
			}
			if a.Decision {
				yes++
			}
			if resp.Usage.PromptTokens == 0 || resp.Usage.CompletionTokens == 0 {
				t.Fatalf("%s: no usage in %+v", mode, resp)
			}
		}
		if yes == 0 || yes == 30 {
			t.Fatalf("%s: %d of 30 said yes at opinion ~9 and lambda 0.9: the seed should decide", mode, yes)
		}
		c.Close()
	}
	for i := range 3 {
		if f.Endpoint(i).Served() == 0 {
			t.Fatalf("endpoint %d served nothing", i)
		}
	}
}

// forEachServer runs test against the fleet's servers: the event loop
// (where it exists) and the portable goroutine server.
func forEachServer(t *testing.T, test func(t *testing.T)) {
	if haveLoop {
		t.Run("loop", test)
	}
	t.Run("goroutines", func(t *testing.T) {
		goroutineServer = true
		defer func() { goroutineServer = false }()
		test(t)
	})
}

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFleetChoicesAndFaults(t *testing.T) { forEachServer(t, testFleetChoicesAndFaults) }

func testFleetChoicesAndFaults(t *testing.T) {
	f, err := Start(Options{Endpoints: 1, Slots: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ep := f.Endpoint(0)
	status, body := post(t, ep.URL()+"/chat/completions", `{"model":"x","n":4,"seed":7,"messages":[{"role":"user","content":"hi"}]}`)
	if status != 200 || strings.Count(body, `"index":`) != 4 || !strings.Contains(body, `"model":"x"`) {
		t.Fatalf("n=4: %d %s", status, body)
	}
	if status, body := post(t, ep.URL()+"/nowhere", `{}`); status != 404 {
		t.Fatalf("unknown path: %d %s", status, body)
	}
	ep.SetFault(ServerError)
	if status, _ := post(t, ep.URL()+"/chat/completions", `{}`); status != 500 {
		t.Fatalf("ServerError: status %d", status)
	}
	ep.SetFault(Drop)
	if status, msg := post(t, ep.URL()+"/chat/completions", `{}`); status != 0 {
		t.Fatalf("Drop: status %d %s", status, msg)
	}
	ep.SetFault(Healthy)
	resp, err := http.Get(ep.URL() + "/models")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("models after recovery: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestSlotsHoldForTheLatency checks the slots and the latency as lower
// bounds only (a busy machine may answer late, never early): 7 requests on
// one endpoint with 2 slots all wait at once, none is answered before the
// latency, and the last one waits for three rounds of slots.
func TestSlotsHoldForTheLatency(t *testing.T) { forEachServer(t, testSlotsHoldForTheLatency) }

func testSlotsHoldForTheLatency(t *testing.T) {
	const latency = 40 * time.Millisecond
	f, err := Start(Options{Endpoints: 2, Slots: 2, Latency: latency})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ep := f.Endpoint(1)
	start := time.Now()
	var wg sync.WaitGroup
	took := make([]time.Duration, 7)
	for i := range took {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			if status, body := post(t, ep.URL()+"/chat/completions", `{"model":"x","seed":1,"messages":[{"role":"user","content":"opinion 4"}]}`); status != 200 {
				t.Errorf("request %d: %d %s", i, status, body)
			}
			took[i] = time.Since(t0)
		}()
	}
	wg.Wait()
	for i, d := range took {
		if d < latency {
			t.Errorf("request %d answered after %v, before the latency %v", i, d, latency)
		}
	}
	if all := time.Since(start); all < 4*latency {
		t.Errorf("7 requests on 2 slots took %v, want at least 4 latencies (%v)", all, 4*latency)
	}
	if ep.Served() != 7 || ep.MaxInFlight() != 7 || f.Endpoint(0).Served() != 0 {
		t.Errorf("served %d with %d at once (want 7 and 7), other endpoint %d", ep.Served(), ep.MaxInFlight(), f.Endpoint(0).Served())
	}
	// The fleet idles and wakes again.
	time.Sleep(latency)
	t0 := time.Now()
	if status, _ := post(t, f.Endpoint(0).URL()+"/chat/completions", `{"seed":2,"messages":[{"role":"user","content":"x"}]}`); status != 200 || time.Since(t0) < latency {
		t.Errorf("after idling: status %d after %v", status, time.Since(t0))
	}
}

// TestRawHTTP speaks HTTP/1.1 over a raw connection: a request cut into
// pieces, a body larger than a connection's first buffer, two requests
// sent at once, Connection: close, and a malformed request.
func TestRawHTTP(t *testing.T) { forEachServer(t, testRawHTTP) }

func testRawHTTP(t *testing.T) {
	f, err := Start(Options{Slots: 4, Latency: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	addr := strings.TrimSuffix(strings.TrimPrefix(f.URLs()[0], "http://"), "/v1")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	request := func(body string, extra string) string {
		return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n" + extra + "\r\n" + body
	}
	readAnswer := func(what string) *http.Response {
		t.Helper()
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"choices":[`) {
			t.Fatalf("%s: %d %s", what, resp.StatusCode, b)
		}
		return resp
	}
	big := `{"model":"m","seed":3,"messages":[{"role":"user","content":"` + strings.Repeat("opinion 8 ", 4000) + `"}]}`
	req := request(big, "")
	for _, piece := range []string{req[:10], req[10:70], req[70:5000], req[5000:]} {
		if _, err := io.WriteString(c, piece); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	readAnswer("a request in pieces")
	small := `{"seed":4,"messages":[{"role":"user","content":"opinion 2"}]}`
	io.WriteString(c, request(small, "")+request(big, ""))
	readAnswer("first of two")
	readAnswer("second of two")
	io.WriteString(c, request(small, "Connection: close\r\n"))
	if resp := readAnswer("closing"); !resp.Close {
		t.Fatal("no Connection: close in the answer to a closing request")
	}
	if n, err := br.ReadByte(); err == nil {
		t.Fatalf("connection still open after Connection: close (read %q)", n)
	}
	if f.Served() != 4 {
		t.Fatalf("served %d, want 4", f.Served())
	}
	c2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	io.WriteString(c2, "POST /v1/completions HTTP/1.1\r\nContent-Length: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c2), nil)
	if err != nil || resp.StatusCode != 400 {
		t.Fatalf("malformed request: %v %v", resp, err)
	}
}

// TestSlowReader sends large answers (128 choices) to a client with a
// small receive buffer that sends 100 requests at once and waits before
// reading: the socket cannot take them all, and the server must finish
// them in order once the client reads, and keep serving the connection.
func TestSlowReader(t *testing.T) { forEachServer(t, slowReader) }

func slowReader(t *testing.T) {
	f, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	addr := strings.TrimSuffix(strings.TrimPrefix(f.URLs()[0], "http://"), "/v1")
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 1024) })
		return nil
	}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	body := `{"model":"m","seed":5,"n":128,"messages":[{"role":"user","content":"opinion 6"}]}`
	req := "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
	br := bufio.NewReader(c)
	io.WriteString(c, strings.Repeat(req, 100))
	time.Sleep(50 * time.Millisecond)
	for i := range 101 {
		if i == 100 {
			io.WriteString(c, req)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 || strings.Count(string(b), `"index":`) != 128 || len(b) < 16<<10 {
			t.Fatalf("answer %d: %d, %d bytes, %v", i, resp.StatusCode, len(b), err)
		}
	}
}
