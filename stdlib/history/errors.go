package history

import (
	"encoding/json"
	"io"
	"sort"

	"github.com/llmsam/llmsam/stdlib/agent"
)

// errorLine is one line of errors.jsonl.
type errorLine struct {
	Run       string `json:"run"`
	Replicate int    `json:"replicate"`
	agent.ErrorRecord
}

// ErrorCount returns how many error records the run holds (LLM agents:
// retried requests, invalid answers, the error that stopped the run).
func (r *Run) ErrorCount() int {
	n := 0
	for _, tr := range r.Replicates {
		for _, u := range tr.Usage {
			n += len(u.Errors)
		}
	}
	return n
}

// writeErrors writes errors.jsonl: every error record of every replicate,
// ordered by replicate, step, agent, try and attempt. Retries depend on how
// the servers behaved in this session, so this file, like report.json,
// differs between a first run and a rerun from the cache.
func (r *Run) writeErrors(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, tr := range r.Replicates {
		var recs []agent.ErrorRecord
		for _, u := range tr.Usage {
			recs = append(recs, u.Errors...)
		}
		sort.SliceStable(recs, func(i, j int) bool {
			a, b := recs[i], recs[j]
			if a.Step != b.Step {
				return a.Step < b.Step
			}
			if a.Agent != b.Agent {
				return a.Agent < b.Agent
			}
			if a.Try != b.Try {
				return a.Try < b.Try
			}
			return a.Attempt < b.Attempt
		})
		for _, e := range recs {
			if err := enc.Encode(errorLine{Run: r.Manifest.Name, Replicate: tr.Replicate, ErrorRecord: e}); err != nil {
				return err
			}
		}
	}
	return nil
}
