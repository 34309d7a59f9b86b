package protocol

import (
	"context"
	"sync"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/history"
	"github.com/llmsam/llmsam/stdlib/sim"
)

// runAll runs studies in order, or all at once when their agents wait on
// servers (agent.IOBound: LLM agents), so that one window's requests do not
// wait for another's. It returns the runs in the order of the studies and
// the first error by that order; on an error the runs completed are kept.
func runAll(ctx context.Context, studies []sim.Study) ([]*history.Run, error) {
	runs := make([]*history.Run, len(studies))
	errs := make([]error, len(studies))
	if len(studies) > 0 {
		if m, ok := studies[0].Agents.(agent.IOBound); ok && m.IOBound() {
			var wg sync.WaitGroup
			for i := range studies {
				studies[i].Quiet = true // the client's progress line reports for all of them
				wg.Add(1)
				go func() {
					defer wg.Done()
					runs[i], errs[i] = sim.RunContext(ctx, studies[i])
				}()
			}
			wg.Wait()
		} else {
			for i := range studies {
				if runs[i], errs[i] = sim.RunContext(ctx, studies[i]); errs[i] != nil {
					break
				}
			}
		}
	}
	var out []*history.Run
	for i, r := range runs {
		if r != nil {
			out = append(out, r)
		}
		if errs[i] != nil {
			return out, errs[i]
		}
	}
	return out, nil
}
