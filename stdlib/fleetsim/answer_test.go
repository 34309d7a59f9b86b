package fleetsim

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

var updateAnswers = flag.Bool("fleetsim.update", false, "rewrite testdata/answers.txt.gz: request bodies recorded from LLM agents' runs, with the toy responder's answers")

const answersFile = "testdata/answers.txt.gz"

// TestAnswersArePinned checks the toy responder's answers for a set of
// request bodies (recorded from LLM agents in chat and completion mode, per
// agent and with archetypes' "n", plus hand-written edge cases) against the
// answers recorded in testdata/answers.txt.gz, so that a change to how answer
// reads a body cannot change what it answers. The file holds pairs of lines:
// "chat BODY" or "completion BODY", then the answer.
func TestAnswersArePinned(t *testing.T) {
	if *updateAnswers {
		writeAnswers(t)
	}
	f, err := os.Open(answersFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", answersFile, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", answersFile, err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines)%2 != 0 || len(lines) < 40 {
		t.Fatalf("%s: %d lines, want pairs of request and answer lines", answersFile, len(lines))
	}
	for i := 0; i < len(lines); i += 2 {
		mode, body, ok := strings.Cut(lines[i], " ")
		if !ok || mode != "chat" && mode != "completion" {
			t.Fatalf("%s:%d: want \"chat BODY\" or \"completion BODY\"", answersFile, i+1)
		}
		got := answer(nil, []byte(body), mode == "chat", int64(i/2+1))
		if string(got) != lines[i+1] {
			t.Errorf("%s:%d: body %.80q...\n got %s\nwant %s", answersFile, i+1, body, got, lines[i+1])
		}
	}
}

// edgeBodies are hand-written bodies for the cases recorded runs do not
// show: no seed (the body's hash decides), n above 128, negative seeds,
// several user messages, no "model", escaped model names, three-digit
// opinions, lambda missing, weighted summary lines, fields in another
// order.
var edgeBodies = []string{
	`chat {"model":"x","messages":[{"role":"user","content":"lambda = 0.35\n# Your answers so far\nRound 1: opinion 2, decision No.\n- 4 of them: opinion 8, decision Yes\n- friend 3: opinion 5, decision No\n- 50% of them: opinion 10, decision Yes\nyour opinion of the option"}],"seed":3}`,
	`chat {"model":"x","messages":[{"role":"system","content":"{\"thought\": \"...\", \"opinion\": 2}"},{"role":"user","content":"- friend 4: {\"thought\": \"x\", \"opinion\": 9, \"decision\": \"Yes\"}\n- friend 5: {\"thought\": \"y\", \"opinion\": 7, \"decision\": \"No\"}"}],"seed":11}`,
	`completion {"prompt":"nothing here"}`,
	`chat {"model":"a\"b","n":4,"seed":7,"messages":[{"role":"user","content":"hi opinion 9"}]}`,
	`chat {"model":"x","seed":-12345,"n":200,"messages":[{"role":"user","content":"opinion 3 opinion 100 opinion 4"}]}`,
	`chat {"model":"x","messages":[{"role":"user","content":"opinion 1"},{"role":"assistant","content":"opinion 10"},{"role":"user","content":"lambda = 0.8 opinion 9"}],"seed":5,"n":3}`,
	`completion {"model":"m","prompt":"shared opinion 0\n# Who you are\nlambda = 0.2\n- 12 of them: opinion 6\n- 3 of them: opinion 1\nopinion ","max_tokens":64,"seed":99}`,
	`completion {"model":"m","prompt":"no agent part, opinion 8 and opinion 2","seed":1}`,
	`chat {"messages":[{"role":"user","content":"lambda = .7 opinion 7"}],"seed":42}`,
	`chat {"model":"x","messages":[{"role":"user","content":"opinion 7"}],"seed": 8, "n": 2}`,
	`chat {"model":"x","messages":[{"role":"user","content":"- 0 of them: opinion 9\n- 2% of them: opinion 4"}],"seed":0}`,
	`chat {}`,
	`chat {"model":"x","n":1,"seed":9223372036854775807,"messages":[{"role":"user","content":"lambda = 0.95 opinion 10"}]}`,
}

// writeAnswers records request bodies from LLM agents' runs against a
// server that answers with the current responder, and writes them with the
// responder's answers to answersFile.
func writeAnswers(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		chat := strings.HasSuffix(r.URL.Path, "/chat/completions")
		mu.Lock()
		if r.Method == http.MethodPost && len(bodies) < 1000 {
			mode := "completion"
			if chat {
				mode = "chat"
			}
			bodies = append(bodies, mode+" "+string(body))
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write(answer(nil, body, chat, 1))
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	const n = 40
	g, err := netw.BarabasiAlbert(n, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	people := pop.MustSynthetic(scenario.Dishwasher(), n, 1)
	for _, mode := range []llm.Mode{llm.Chat, llm.Completion} {
		for _, res := range []llmagent.Resolution{llmagent.Exact, {}} {
			c, err := llm.New(llm.Config{Model: "sim", BaseURL: "http://" + ln.Addr().String() + "/v1", Mode: mode, MaxTokens: 64, Quiet: true})
			if err != nil {
				t.Fatal(err)
			}
			agents := llmagent.New(c)
			agents.MaxFriends = 10
			if _, err := sim.Run(sim.Study{Network: g, People: people, Agents: &llmagent.Archetypes{Agents: agents, Resolution: res}, Steps: 3, Seed: 1, Workers: 1, Quiet: true}); err != nil {
				t.Fatal(err)
			}
			c.Close()
		}
	}
	mu.Lock()
	defer mu.Unlock()
	kept := append(bodies, edgeBodies...)
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	w := bufio.NewWriter(zw)
	for i, line := range kept {
		mode, body, _ := strings.Cut(line, " ")
		fmt.Fprintf(w, "%s\n%s\n", line, answer(nil, []byte(body), mode == "chat", int64(i+1)))
	}
	w.Flush()
	zw.Close()
	if err := os.WriteFile(answersFile, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %d bodies in %s", len(kept), answersFile)
}
