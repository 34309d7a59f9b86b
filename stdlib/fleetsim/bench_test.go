package fleetsim

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
)

// The server under BenchmarkServerCPU runs in a child process (this test
// binary again, in TestServeForBenchmark), so that its CPU time is its own.
const (
	benchServerEnv = "FLEETSIM_BENCH_SERVER" // "fleetsim", "goroutines" (the portable server) or "net/http": run the child's server
	benchEndpoints = 8
	benchSlots     = 64
	benchLatency   = 50 * time.Millisecond
	benchRequests  = 20000 // per server and iteration
)

// BenchmarkServerCPU measures the server's CPU time per request under the
// load of LLM agents' requests (about 7 KB bodies, one keep-alive
// connection per request in flight, from the llm client) on 8 endpoints x
// 64 slots at 50 ms, for this package's server and, in the same run, for a
// plain net/http server doing the same: a handler that reads the body,
// holds a slot (a channel) for the latency with time.Sleep and writes
// answer's response. On Linux it measures the portable goroutine server
// too. Each server runs in its own process; the metrics are the CPU time
// each used per request, and the ratio of net/http's to fleetsim's.
//
//	go test -run XXX -bench ServerCPU -benchtime 1x ./stdlib/fleetsim
func BenchmarkServerCPU(b *testing.B) {
	reqs := benchRequestsOf(benchRequests)
	servers := []string{"net/http", "fleetsim"}
	if haveLoop {
		servers = append(servers, "goroutines")
	}
	cpu := make([]time.Duration, len(servers))
	served := make([]int, len(servers))
	for b.Loop() {
		for i, server := range servers {
			d, n := serveInChild(b, server, reqs)
			cpu[i] += d
			served[i] += n
		}
	}
	per := func(i int) float64 { return float64(cpu[i].Nanoseconds()) / 1e3 / float64(served[i]) }
	b.ReportMetric(per(0), "net/http-cpu-us/request")
	b.ReportMetric(per(1), "fleetsim-cpu-us/request")
	b.ReportMetric(per(0)/per(1), "x-less-cpu")
	if haveLoop {
		b.ReportMetric(per(2), "goroutines-cpu-us/request")
	}
}

// benchRequestsOf returns n requests shaped like the LLM agents': a shared
// system message of about 5 KB and a user message with friends' answers.
func benchRequestsOf(n int) []llm.Request {
	system := strings.Repeat("You play one person in an experiment; the participants' coefficients are a = 0.1, lambda = 0.6, and their opinion was 6. ", 45)
	reqs := make([]llm.Request, n)
	for i := range reqs {
		var user strings.Builder
		fmt.Fprintf(&user, "# Who you are\nYour coefficients: a = 0.40, trade-off lambda = 0.%02d.\n# Round 3\nYour friends' latest answers:\n", 10+i%80)
		for f := range 10 {
			fmt.Fprintf(&user, "- friend %d: {\"thought\": \"I see the benefits and I am ready to try it.\", \"opinion\": %d, \"decision\": \"Yes\"}\n", f, (i+f)%11)
		}
		user.WriteString("Give your opinion and your decision, as the JSON object only.")
		reqs[i] = llm.Request{Agent: i, Seed: int64(i), Schema: llmagent.Schema,
			Messages: []llm.Message{{Role: "system", Content: system}, {Role: "user", Content: user.String()}}}
	}
	return reqs
}

// serveInChild serves reqs with the named server in a child process and
// returns the CPU time the child used and the completions it served (a few
// more than len(reqs) when the client retried some).
func serveInChild(b *testing.B, server string, reqs []llm.Request) (time.Duration, int) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeForBenchmark$")
	cmd.Env = append(os.Environ(), benchServerEnv+"="+server)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	sc := bufio.NewScanner(stdout)
	var urls []string
	for sc.Scan() && sc.Text() != "ready" {
		urls = append(urls, sc.Text())
	}
	if len(urls) != benchEndpoints {
		b.Fatalf("%s server printed %q, want %d URLs", server, urls, benchEndpoints)
	}
	c, err := llm.New(llm.Config{Model: "sim", BaseURL: urls[0], Endpoints: urls[1:], Concurrency: benchSlots, MaxTokens: 64, Quiet: true})
	if err != nil {
		b.Fatal(err)
	}
	for i, resp := range c.Do(context.Background(), reqs) {
		if resp.Err != nil {
			b.Fatalf("%s server, request %d: %v", server, i, resp.Err)
		}
	}
	c.Close()
	stdin.Close()
	if !sc.Scan() {
		b.Fatalf("%s server ended without its CPU time", server)
	}
	var sec float64
	var served int
	if _, err := fmt.Sscanf(sc.Text(), "cpu %g served %d", &sec, &served); err != nil || served < len(reqs) {
		b.Fatalf("%s server: %q (%v), want %d served", server, sc.Text(), err, len(reqs))
	}
	return time.Duration(sec * float64(time.Second)), served
}

// TestServeForBenchmark is BenchmarkServerCPU's child process; it skips
// unless FLEETSIM_BENCH_SERVER names a server. It prints the servers'
// URLs and "ready", serves until its standard input closes, then prints
// its CPU time and the completions it served.
func TestServeForBenchmark(t *testing.T) {
	server := os.Getenv(benchServerEnv)
	if server == "" {
		t.Skip("the child process of BenchmarkServerCPU (set " + benchServerEnv + ")")
	}
	var urls []string
	var served func() int64
	switch server {
	case "fleetsim", "goroutines":
		goroutineServer = server == "goroutines"
		f, err := Start(Options{Endpoints: benchEndpoints, Slots: benchSlots, Latency: benchLatency})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		urls, served = f.URLs(), f.Served
	case "net/http":
		n := new(atomic.Int64)
		for range benchEndpoints {
			u, stop := serveNetHTTP(t, n)
			defer stop()
			urls = append(urls, u)
		}
		served = n.Load
	default:
		t.Fatalf("%s=%q: want fleetsim, goroutines or net/http", benchServerEnv, server)
	}
	for _, u := range urls {
		fmt.Println(u)
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("cpu %.6f served %d\n", float64(ru.Utime.Nano()+ru.Stime.Nano())/1e9, served())
}

// serveNetHTTP starts the baseline: one net/http endpoint with the same
// slots, latency and answers.
func serveNetHTTP(t *testing.T, served *atomic.Int64) (url string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	slots := make(chan struct{}, benchSlots)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		slots <- struct{}{}
		time.Sleep(benchLatency)
		<-slots
		out := answer(nil, body, r.URL.Path == "/v1/chat/completions", served.Add(1))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.Write(out)
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/v1", func() { srv.Close() }
}
