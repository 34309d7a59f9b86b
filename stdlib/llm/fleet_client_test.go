package llm

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/llmsam/llmsam/stdlib/fleetsim"
)

func fleetRequests(n, from int) []Request {
	out := make([]Request, n)
	for i := range out {
		a := from + i
		out[i] = Request{ID: fmt.Sprintf("f/a%d", a), Agent: a, Seed: int64(a),
			Messages: []Message{{Role: "system", Content: "shared"}, {Role: "user", Content: fmt.Sprintf("agent %d: opinion 5", a)}}}
	}
	return out
}

// TestFleetWeightsAndAffinity: agents are sent to their home endpoints in
// the proportions of the weights. Eight requests at a time stay within
// every endpoint's starting limit, so none spills over to another endpoint
// (which requests do when their home is full, depending on timing).
func TestFleetWeightsAndAffinity(t *testing.T) {
	f, err := fleetsim.Start(fleetsim.Options{Endpoints: 3, Slots: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := f.URLs()
	c := newClient(t, Config{Model: "sim", BaseURL: u[0], Endpoints: u[1:], Weights: []float64{1, 1, 2}, Concurrency: 64})
	reqs := fleetRequests(4000, 0)
	for i := 0; i < len(reqs); i += initialLimit {
		mustAnswer(t, c.Do(context.Background(), reqs[i:i+initialLimit]))
	}
	for i, want := range []float64{0.25, 0.25, 0.5} {
		if got := float64(f.Endpoint(i).Served()) / 4000; math.Abs(got-want) > 0.08 {
			t.Fatalf("endpoint %d served %.3f of the requests, want about %.2f (weights 1, 1, 2)", i, got, want)
		}
	}
}

func TestCircuitBreakerTakesAnEndpointOutAndBack(t *testing.T) {
	f, err := fleetsim.Start(fleetsim.Options{Endpoints: 3, Slots: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := f.URLs()
	c := newClient(t, Config{Model: "sim", BaseURL: u[0], Endpoints: u[1:], Concurrency: 16, RetryBase: time.Millisecond, MaxRetries: 8})
	mustAnswer(t, c.Do(context.Background(), fleetRequests(300, 0)))
	before := f.Endpoint(1).Served()
	f.Endpoint(1).SetFault(fleetsim.Drop)
	// Every request is answered: the failing endpoint is taken out after 5
	// failures in a row and its agents go elsewhere.
	mustAnswer(t, c.Do(context.Background(), fleetRequests(300, 1000)))
	st := c.Endpoints()
	if !st[1].Out || st[0].Out || st[2].Out || st[1].Why == "" {
		t.Fatalf("endpoint states %+v: want only endpoint 1 out", st)
	}
	if got := f.Endpoint(1).Served(); got != before {
		t.Fatalf("the dropped endpoint answered %d requests", got-before)
	}
	// It recovers; a health check brings it back (checks back off from 1 s).
	f.Endpoint(1).SetFault(fleetsim.Healthy)
	deadline := time.Now().Add(30 * time.Second)
	for c.Endpoints()[1].Out {
		if time.Now().After(deadline) {
			t.Fatal("the endpoint did not come back within 30 s of answering again")
		}
		time.Sleep(50 * time.Millisecond)
	}
	mustAnswer(t, c.Do(context.Background(), fleetRequests(300, 2000)))
	if f.Endpoint(1).Served() == before {
		t.Fatal("the restored endpoint got no requests")
	}
}

func TestOneRouterURLTakesAFleetsLoad(t *testing.T) {
	f, err := fleetsim.Start(fleetsim.Options{Endpoints: 1, Slots: 512, Latency: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := newClient(t, Config{Model: "sim", BaseURL: f.URLs()[0], Concurrency: 512})
	mustAnswer(t, c.Do(context.Background(), fleetRequests(4000, 0)))
	if m := f.Endpoint(0).MaxInFlight(); m <= 64 || m > 512 {
		t.Fatalf("at most %d requests in flight on one router URL, want the limit to grow past 64 toward 512", m)
	}
}
