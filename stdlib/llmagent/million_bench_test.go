package llmagent_test

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/llmsam/llmsam/stdlib/fleetsim"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/metrics"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
)

var (
	millionN         = flag.Int("million.n", 1_000_000, "agents in BenchmarkMillionAgents")
	millionEndpoints = flag.Int("million.endpoints", 64, "simulated endpoints in BenchmarkMillionAgents")
	millionSlots     = flag.Int("million.slots", 128, "slots per simulated endpoint")
	millionLatency   = flag.Duration("million.latency", 200*time.Millisecond, "latency of a simulated answer")
	millionSimProf   = flag.String("million.simprofile", "", "write the simulator's CPU profile to this file")
)

// fleetProcess runs cmd/fleetsim in its own process, so that the
// simulated servers' CPU is not counted as the client's.
type fleetProcess struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr strings.Builder
	urls   []string
}

func startFleet(b *testing.B, endpoints, slots int, latency time.Duration) *fleetProcess {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "fleetsim")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/fleetsim").CombinedOutput(); err != nil {
		b.Fatalf("building cmd/fleetsim: %v\n%s", err, out)
	}
	args := []string{"-endpoints", fmt.Sprint(endpoints), "-slots", fmt.Sprint(slots), "-latency", latency.String()}
	if *millionSimProf != "" {
		args = append(args, "-cpuprofile", *millionSimProf)
	}
	p := &fleetProcess{cmd: exec.Command(bin, args...)}
	p.cmd.Stderr = &p.stderr
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		b.Fatal(err)
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "ready" {
		p.urls = append(p.urls, sc.Text())
	}
	if len(p.urls) != endpoints {
		p.stop()
		b.Fatalf("fleetsim printed %d URLs, want %d: %s", len(p.urls), endpoints, p.stderr.String())
	}
	go io.Copy(io.Discard, out)
	return p
}

// stop ends the simulator and returns its summary line.
func (p *fleetProcess) stop() string {
	p.stdin.Close()
	p.cmd.Wait()
	return strings.TrimSpace(p.stderr.String())
}

func rusage() (cpu time.Duration, maxRSS int64) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Maxrss * 1024
}

// BenchmarkMillionAgents runs one step of -million.n LLM agents (10^6 by
// default) on a BA(m = 5) network with the synthetic dishwasher population,
// against a simulated fleet in another process (64 endpoints x 128 slots
// answering after 200 ms), and reports the wall time against the bound
// requests x latency / slots, the client's CPU time (this process: the
// engine, prompts, client, parsing) and its peak resident memory. Run one
// sub-benchmark per process, so that the peak memory is its own:
//
//	go test -run XXX -bench 'MillionAgents/per-agent' -benchtime 1x -timeout 30m ./stdlib/llmagent
//	go test -run XXX -bench 'MillionAgents/archetypes' -benchtime 1x -timeout 30m ./stdlib/llmagent
func BenchmarkMillionAgents(b *testing.B) {
	n := *millionN
	g, err := netw.BarabasiAlbert(n, 5, 1)
	if err != nil {
		b.Fatal(err)
	}
	people := pop.MustSynthetic(scenario.Dishwasher(), n, 1)
	for _, tc := range []struct {
		name string
		res  llmagent.Resolution
	}{{"per-agent", llmagent.Exact}, {"archetypes", llmagent.Resolution{}}} {
		b.Run(tc.name, func(b *testing.B) {
			fleet := startFleet(b, *millionEndpoints, *millionSlots, *millionLatency)
			c, err := llm.New(llm.Config{Model: "sim", BaseURL: fleet.urls[0], Endpoints: fleet.urls[1:],
				Concurrency: *millionSlots, MaxTokens: 64, Quiet: true})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			agents := llmagent.New(c)
			agents.MaxFriends = 10
			var mu sync.Mutex
			var reports []llmagent.StepReport
			model := &llmagent.Archetypes{Agents: agents, Resolution: tc.res, Report: func(r llmagent.StepReport) {
				mu.Lock()
				reports = append(reports, r)
				mu.Unlock()
			}}
			var wall, cpu time.Duration
			seed := uint64(0)
			for b.Loop() {
				seed++
				cpu0, _ := rusage()
				t0 := time.Now()
				_, err := sim.Run(sim.Study{Network: g, People: people, Agents: model, Steps: 2, Seed: seed, Quiet: true})
				wall += time.Since(t0)
				cpu1, _ := rusage()
				cpu += cpu1 - cpu0
				if err != nil {
					b.Fatal(err)
				}
			}
			_, peak := rusage()
			summary := fleet.stop()
			requests := 0
			for _, r := range reports {
				requests += r.Requests
			}
			requests /= b.N
			bound := time.Duration(requests) * *millionLatency / time.Duration(*millionEndpoints**millionSlots)
			perStep := wall / time.Duration(b.N)
			b.ReportMetric(float64(requests), "requests/step")
			b.ReportMetric(float64(reports[0].Groups), "archetypes")
			b.ReportMetric(bound.Seconds(), "bound-s")
			b.ReportMetric(perStep.Seconds(), "wall-s")
			b.ReportMetric(float64(perStep)/float64(bound), "x-bound")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "client-cpu-s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*requests), "client-cpu-us/request")
			b.ReportMetric(float64(peak)/(1<<20), "peak-rss-MB")
			b.Logf("%d agents, %d active, %d archetypes, %d requests; %s", n, reports[0].Active, reports[0].Groups, requests, summary)
		})
	}
}

// BenchmarkArchetypeFidelity compares archetype runs with per-agent runs of
// the same 1,000 agents (BA m = 5, synthetic dishwasher population, 3
// steps) against the simulated fleet, whose toy responder answers from the
// opinions its prompt mentions. It reports the run distances of the final
// states (metrics.Compare: opinion MAE on 0-10, action agreement, adoption
// error, JS divergence and Wasserstein-1 of the opinion histograms), averaged
// over 5 seeds, next to the noise floor: per-agent runs against per-agent
// runs with other seeds. Three resolutions: the default, a medium one (5
// coefficient bins, 6 opinion bins, shares in quarters) and a fine one (10
// coefficient bins, every opinion, shares in tenths).
//
//	go test -run XXX -bench ArchetypeFidelity -benchtime 1x ./stdlib/llmagent
func BenchmarkArchetypeFidelity(b *testing.B) {
	const n, seeds = 1000, 5
	f, err := fleetsim.Start(fleetsim.Options{Endpoints: 4, Slots: 64})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	c, err := llm.New(llm.Config{Model: "sim", BaseURL: f.URLs()[0], Endpoints: f.URLs()[1:], Quiet: true})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	g, _ := netw.BarabasiAlbert(n, 5, 1)
	people := pop.MustSynthetic(scenario.Dishwasher(), n, 1)
	for _, tc := range []struct {
		name string
		res  llmagent.Resolution
	}{{"default", llmagent.Resolution{}}, {"medium", llmagent.Resolution{Coefficients: 5, Opinions: 6, Shares: 4}},
		{"fine", llmagent.Resolution{Coefficients: 10, Opinions: 11, Shares: 10}}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				var arch, noise metrics.Distance
				requests := [2]int{}
				for s := range uint64(seeds) {
					per, err := sim.Run(sim.Study{Network: g, People: people, Agents: llmagent.New(c), Steps: 3, Seed: 100 + s, Quiet: true})
					if err != nil {
						b.Fatal(err)
					}
					other, err := sim.Run(sim.Study{Network: g, People: people, Agents: llmagent.New(c), Steps: 3, Seed: 200 + s, Quiet: true})
					if err != nil {
						b.Fatal(err)
					}
					var mu sync.Mutex
					var steps []llmagent.StepReport
					am := &llmagent.Archetypes{Agents: llmagent.New(c), Resolution: tc.res, Report: func(r llmagent.StepReport) {
						mu.Lock()
						steps = append(steps, r)
						mu.Unlock()
					}}
					ar, err := sim.Run(sim.Study{Network: g, People: people, Agents: am, Steps: 3, Seed: 100 + s, Quiet: true})
					if err != nil {
						b.Fatal(err)
					}
					for _, r := range steps {
						requests[1] += r.Requests
					}
					_, tot := per.UsageTotals()
					requests[0] += tot.Tries // prompts asked, from the server or the cache
					d1, _ := metrics.Compare(per.Final(), ar.Final())
					d2, _ := metrics.Compare(per.Final(), other.Final())
					add(&arch, d1, seeds)
					add(&noise, d2, seeds)
				}
				b.ReportMetric(float64(requests[0])/seeds, "per-agent-requests")
				b.ReportMetric(float64(requests[1])/seeds, "archetype-requests")
				for _, m := range []struct {
					name string
					a, b float64
				}{{"opinion-MAE", arch.OpinionMAE, noise.OpinionMAE}, {"action-agreement", arch.ActionAgreement, noise.ActionAgreement},
					{"adoption-error", arch.AdoptionError, noise.AdoptionError}, {"JS", arch.JS, noise.JS}, {"W1", arch.W1, noise.W1}} {
					b.ReportMetric(m.a, "archetypes-"+m.name)
					b.ReportMetric(m.b, "noise-"+m.name)
				}
			}
		})
	}
}

func add(sum *metrics.Distance, d metrics.Distance, k int) {
	f := float64(k)
	sum.OpinionMAE += d.OpinionMAE / f
	sum.OpinionRMSE += d.OpinionRMSE / f
	sum.ActionAgreement += d.ActionAgreement / f
	sum.AdoptionError += d.AdoptionError / f
	sum.JS += d.JS / f
	sum.W1 += d.W1 / f
}
