package llm

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkClientCPU measures the client's CPU time per request (this
// process's, from getrusage) against one simulated endpoint in another
// process (cmd/fleetsim, no latency), 256 requests in flight, chat
// requests shaped as the study's: a 5 KB system message every request
// shares, a 1.5 KB user message of the agent's own, and the answer schema. The baseline is
// the plain way: encoding/json for the body and the answer, net/http to
// send it, crypto/sha256 for a cache key; both rows come from the same run.
//
//	go test -run XXX -bench ClientCPU -benchtime 20000x ./stdlib/llm
func BenchmarkClientCPU(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "fleetsim")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/fleetsim").CombinedOutput(); err != nil {
		b.Fatalf("building cmd/fleetsim: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-endpoints", "1", "-slots", "256", "-latency", "0s")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	sc := bufio.NewScanner(stdout)
	sc.Scan()
	url := sc.Text()
	go io.Copy(io.Discard, stdout)

	shared := ""
	for len(shared) < 5000 {
		shared += "Example: a person with \"a = 0.31\" answered opinion 6, decision No.\n"
	}
	prompt := ""
	for len(prompt) < 1500 {
		prompt += "- friend 12: opinion 7, decision Yes, \"It saves water and time.\"\n"
	}
	schema := json.RawMessage(`{"type":"object","properties":{"thought":{"type":"string"},"opinion":{"type":"integer"},"decision":{"type":"string"}},"required":["thought","opinion","decision"]}`)
	reqs := func(n, seed int) []Request {
		out := make([]Request, n)
		for i := range out {
			out[i] = Request{ID: fmt.Sprint(i), Agent: i, Seed: int64(seed + i), Schema: schema,
				Messages: []Message{{Role: "system", Content: shared}, {Role: "user", Content: prompt}}}
		}
		return out
	}
	var baseline float64
	b.Run("net-http-encoding-json", func(b *testing.B) {
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
		seed := 0
		cpu0 := processCPU()
		for b.Loop() {
			seed += 1 << 20
			rs := reqs(1000, seed)
			var wg sync.WaitGroup
			sem := make(chan struct{}, 256)
			for _, r := range rs {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					body, _ := json.Marshal(wire{Model: "m", Messages: r.Messages, MaxTokens: 512, Seed: r.Seed,
						ResponseFormat: &responseFormat{Type: "json_schema", JSONSchema: jsonSchema{Name: "answer", Schema: r.Schema, Strict: true}}})
					keyOf(body)
					resp, err := hc.Post(url+"/chat/completions", "application/json", bytes.NewReader(body))
					if err != nil {
						b.Error(err)
						return
					}
					data, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					var a wireAnswer
					if json.Unmarshal(data, &a) != nil || len(a.Choices) == 0 {
						b.Errorf("bad answer %s", data)
					}
				}()
			}
			wg.Wait()
		}
		baseline = float64((processCPU() - cpu0).Microseconds()) / float64(b.N*1000)
		b.ReportMetric(baseline, "cpu-us/request")
	})
	b.Run("llmsam", func(b *testing.B) {
		c, err := New(Config{Model: "m", BaseURL: url, Concurrency: 256, Quiet: true})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		seed := 0
		cpu0 := processCPU()
		for b.Loop() {
			seed += 1 << 20
			c.Stream(context.Background(), 1000, func(i int) Request { return reqs(1, seed+i)[0] }, func(i int, r Response) {
				if r.Err != nil {
					b.Error(r.Err)
				}
			})
		}
		us := float64((processCPU() - cpu0).Microseconds()) / float64(b.N*1000)
		b.ReportMetric(us, "cpu-us/request")
		if baseline > 0 {
			b.ReportMetric(us/baseline, "x-baseline")
		}
	})
}

func keyOf(body []byte) string {
	c := &Client{}
	return c.sum(plainBody(body)).String()
}
