package llm

import (
	"context"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHomeTableFollowsWeights(t *testing.T) {
	w := []float64{1, 2, 1, 4}
	tab := newHomeTable(w)
	for i, s := range tab.shares(len(w)) {
		if want := w[i] / 8; math.Abs(s-want) > 1e-3 {
			t.Fatalf("endpoint %d gets %.4f of the slots, want %.4f", i, s, want)
		}
	}
	// Keys spread like the weights, and a key always has the same home.
	hits := make([]int, len(w))
	for k := range uint64(80000) {
		hits[tab.home(k)]++
		if tab.home(k) != tab.home(k) {
			t.Fatal("home is not a function of the key")
		}
	}
	for i, h := range hits {
		if want := 80000 * w[i] / 8; math.Abs(float64(h)-want) > 0.05*want {
			t.Fatalf("endpoint %d is home to %d keys, want about %.0f", i, h, want)
		}
	}
}

func TestBreakerTakesOutAndRestores(t *testing.T) {
	var b breaker
	now := time.Now()
	for k := range breakAfter - 1 {
		if b.failed(now, "refused") {
			t.Fatalf("out after %d failures", k+1)
		}
	}
	b.succeeded() // an answer resets the count
	for k := range breakAfter {
		if out := b.failed(now, "refused"); out != (k == breakAfter-1) {
			t.Fatalf("failure %d: out = %v", k+1, out)
		}
	}
	if !b.out || b.last != "refused" || b.nextCheck() != time.Second {
		t.Fatalf("%+v", b)
	}
	b.checks = 10
	if b.nextCheck() != 30*time.Second {
		t.Fatalf("check backoff %v, want the 30 s cap", b.nextCheck())
	}
	b.restored()
	if b.out || b.failures != 0 {
		t.Fatalf("%+v", b)
	}
}

func TestReadEndpoints(t *testing.T) {
	dir := t.TempDir()
	write := func(text string) string {
		p := filepath.Join(dir, "fleet.txt")
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	got, err := ReadEndpoints(write("# fleet\nhttp://a:8000/v1 2\n\n  https://b/v1   # default weight\n"))
	if err != nil || len(got) != 2 || got[0] != (EndpointSpec{"http://a:8000/v1", 2}) || got[1] != (EndpointSpec{"https://b/v1", 1}) {
		t.Fatalf("%+v %v", got, err)
	}
	for text, want := range map[string]string{
		"http://a/v1\nftp://b\n": "fleet.txt:2",
		"http://a/v1 -1\n":       "weight \"-1\"",
		"http://a/v1 1 extra\n":  "3 fields",
		"# nothing\n":            "lists no endpoint",
		"http://a/v1 lots\n":     "weight \"lots\"",
	} {
		if _, err := ReadEndpoints(write(text)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error with %q", text, err, want)
		}
	}
}

func TestEndpointsFileFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.txt")
	os.WriteFile(path, []byte("http://a:1/v1 2\nhttp://b:1/v1\nhttp://c:1/v1 0.5\n"), 0o644)
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	cfg := AddFlags(fs)
	if err := fs.Parse([]string{"-endpoints-file", path, "-answers-log", "a.jsonl"}); err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "http://a:1/v1" || len(cfg.Endpoints) != 2 || cfg.Endpoints[1] != "http://c:1/v1" ||
		len(cfg.Weights) != 3 || cfg.Weights[0] != 2 || cfg.Weights[2] != 0.5 || cfg.AnswersLog != "a.jsonl" {
		t.Fatalf("%+v", cfg)
	}
	os.WriteFile(path, []byte("not a url\n"), 0o644)
	fs = flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	AddFlags(fs)
	if err := fs.Parse([]string{"-endpoints-file", path}); err == nil || !strings.Contains(err.Error(), "fleet.txt:1") {
		t.Fatalf("bad file: %v", err)
	}
}

// TestWaitersAreWokenInTurn: many requests wait for two slots; each gets
// one in turn, requests that give up waiting pass their wake-up on, and
// none is left waiting.
func TestWaitersAreWokenInTurn(t *testing.T) {
	ep := &endpoint{url: "x", weight: 1, limit: newLimiter(2)}
	ep.limit.setSlots(2)
	r := newRouter([]*endpoint{ep})
	var wg sync.WaitGroup
	var mu sync.Mutex
	got, gaveUp, most := 0, 0, 0
	for i := range 200 {
		ctx, cancel := context.WithCancel(context.Background())
		if i%7 == 3 {
			time.AfterFunc(time.Duration(i%5)*time.Millisecond, cancel)
		} else {
			defer cancel()
		}
		wg.Go(func() {
			e, epoch, err := r.acquire(ctx, i)
			mu.Lock()
			if err != nil {
				gaveUp++
				mu.Unlock()
				return
			}
			got++
			most = max(most, r.inFlight())
			mu.Unlock()
			time.Sleep(100 * time.Microsecond)
			r.release(e, epoch, nil)
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("requests still waiting after 20 s")
	}
	r.mu.Lock()
	queued := len(r.waiting)
	r.mu.Unlock()
	if got+gaveUp != 200 || got < 200-200/7-1 || most > 2 || queued != 0 {
		t.Fatalf("%d got a slot, %d gave up, at most %d in flight (limit 2), %d still queued", got, gaveUp, most, queued)
	}
}

// TestGivenUpRequestsTakeNoRoom: a request whose context is done gets no
// endpoint, neither when there is room nor when it is woken as room frees
// up (it would be sent to the server, which would work on it for nothing:
// thousands of queued agents after a Ctrl-C), and the wake-up it was given
// goes on to the next request waiting.
func TestGivenUpRequestsTakeNoRoom(t *testing.T) {
	ep := &endpoint{url: "a", weight: 1, limit: newLimiter(1)}
	r := newRouter([]*endpoint{ep})
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if got, _, err := r.acquire(done, 0); got != nil || err == nil {
		t.Fatalf("a given-up request with room: %v, %v", got, err)
	}
	for trial := range 50 {
		_, epoch, err := r.acquire(context.Background(), 0) // takes the only slot
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		got := make(chan error, 1)
		go func() {
			e, ep2, err := r.acquire(ctx, 0)
			if err == nil {
				r.release(e, ep2, nil)
			}
			got <- err
		}()
		other := make(chan error, 1)
		go func() {
			for { // queue behind the first waiter
				r.mu.Lock()
				n := len(r.waiting)
				r.mu.Unlock()
				if n == 1 {
					break
				}
				time.Sleep(time.Millisecond)
			}
			e, ep2, err := r.acquire(context.Background(), 0)
			if err == nil {
				r.release(e, ep2, nil)
			}
			other <- err
		}()
		for {
			r.mu.Lock()
			n := len(r.waiting)
			r.mu.Unlock()
			if n == 2 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		// The slot frees up and the first waiter is woken; its request is
		// given up before it runs (it needs r.mu to take the slot).
		r.mu.Lock()
		ep.limit.done(epoch, true, false)
		r.total--
		r.wakeOne()
		cancel()
		r.mu.Unlock()
		if err := <-got; err == nil {
			t.Fatalf("trial %d: a request given up while it waited got an endpoint", trial)
		}
		if err := <-other; err != nil {
			t.Fatalf("trial %d: the next request: %v", trial, err)
		}
		r.mu.Lock()
		ep.limit = newLimiter(1) // the answers grew it
		r.mu.Unlock()
	}
}
