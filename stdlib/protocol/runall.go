package protocol

import (
	"context"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/experiment"
	"github.com/llmsam/llmsam/stdlib/history"
)

// runAll runs a protocol's experiment (every point and replicate at once
// on the workers; for agents that wait on servers, agent.IOBound LLM
// agents, a goroutine per run, and the client's progress line instead of
// the bar). It returns the runs in the order of the points and, on an
// error, the runs that recorded a step with it.
func runAll(ctx context.Context, e experiment.Experiment, m agent.Model) ([]*history.Run, error) {
	if io, ok := m.(agent.IOBound); ok && io.IOBound() {
		e.Quiet = true
	}
	res, err := e.RunContext(ctx)
	if res == nil {
		return nil, err
	}
	var out []*history.Run
	for _, r := range res.History {
		if r != nil && len(r.Replicates) > 0 {
			out = append(out, r)
		}
	}
	return out, err
}
