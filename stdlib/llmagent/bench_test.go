package llmagent_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/llmsam/llmsam/internal/openaitest"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

// BenchmarkStudy101LLM runs the 101-agent BA study (3 rounds, 5 replicates:
// 1010 requests) against the test server with 50 ms latency and room for
// 256 requests at once, with llmsam's client and with the release's
// protocol (one request at a time), and reports each against the ideal
// bound requests x latency / capacity.
//
//	go test -run XXX -bench Study101LLM -benchtime 1x ./stdlib/llmagent
func BenchmarkStudy101LLM(b *testing.B) {
	const latency, capacity = 50 * time.Millisecond, 256
	g, _ := netw.BarabasiAlbert(101, 10, 1)
	people := pop.MustSynthetic(scenario.Dishwasher(), 101, 1)
	for _, tc := range []struct {
		name                 string
		concurrency, workers int
	}{{"llmsam", capacity, 0}, {"release-one-at-a-time", 1, 1}} {
		b.Run(tc.name, func(b *testing.B) {
			srv := openaitest.New(openaitest.Options{Latency: latency, Capacity: capacity})
			defer srv.Close()
			// One client for all iterations, as a long study keeps its
			// connections; each iteration uses another seed, so that no
			// answer comes from the client's cache.
			c, err := llm.New(llm.Config{Model: "test-model", BaseURL: srv.BaseURL(), Concurrency: tc.concurrency, Quiet: true})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			seed := uint64(0)
			for b.Loop() {
				seed += 1000 // replicates use seed, seed+1, ...
				_, err = sim.Run(sim.Study{Scenario: scenario.Dishwasher(), Network: g, People: people, Seed: seed,
					Agents: llmagent.New(c), Steps: 3, Replicates: 5, Workers: tc.workers, Quiet: true})
				if err != nil {
					b.Fatal(err)
				}
			}
			if cached := c.Stats().Cached.Load(); cached != 0 {
				b.Fatalf("%d answers came from the cache", cached)
			}
			requests := srv.Count() / b.N
			bound := time.Duration(requests) * latency / capacity
			b.ReportMetric(float64(requests), "requests/op")
			b.ReportMetric(bound.Seconds()*1000, "bound-ms")
			b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(bound), "x-bound")
		})
	}
}

// BenchmarkClientOverhead measures the client's own cost per request with
// a server that answers at once (loopback HTTP included), and per answer
// served from the cache.
func BenchmarkClientOverhead(b *testing.B) {
	srv := openaitest.New(openaitest.Options{})
	defer srv.Close()
	const n = 2000
	reqs := make([]llm.Request, n)
	for i := range reqs {
		reqs[i] = llm.Request{ID: fmt.Sprint(i), Agent: i, Seed: int64(i), Schema: llmagent.Schema,
			Messages: []llm.Message{{Role: "system", Content: "shared prompt"}, {Role: "user", Content: fmt.Sprintf("agent %d", i)}}}
	}
	b.Run("server", func(b *testing.B) {
		for b.Loop() {
			c, _ := llm.New(llm.Config{Model: "test-model", BaseURL: srv.BaseURL(), Quiet: true})
			for _, r := range c.Do(context.Background(), reqs) {
				if r.Err != nil {
					b.Fatal(r.Err)
				}
			}
			c.Close()
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "us/request")
	})
	b.Run("cache", func(b *testing.B) {
		c, _ := llm.New(llm.Config{Model: "test-model", BaseURL: srv.BaseURL(), Quiet: true})
		defer c.Close()
		c.Do(context.Background(), reqs)
		b.ResetTimer()
		for b.Loop() {
			c.Do(context.Background(), reqs)
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "us/request")
	})
}
