package history

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/llmsam/llmsam/stdlib/agent"
)

// HasUsage reports whether any replicate recorded usage (LLM agents).
func (r *Run) HasUsage() bool {
	for _, tr := range r.Replicates {
		if len(tr.Usage) > 0 {
			return true
		}
	}
	return false
}

// Totals sums usage records.
type Totals struct {
	AgentSteps       int     `json:"agent_steps"` // answers asked for
	Tries            int     `json:"tries"`       // prompts sent per answer, summed (a re-ask after an invalid answer is a try)
	Invalid          int     `json:"invalid"`     // answers that did not parse
	Fallbacks        int     `json:"fallbacks"`   // agents that kept their previous answer after every try failed
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	Requests         int     `json:"session_requests"` // requests sent to a server this session (retries included)
	Cached           int     `json:"session_cached"`   // answers found in the cache this session
	Retries          int     `json:"session_retries"`  // failed attempts retried (429, 5xx, timeouts, dropped connections)
	Cost             float64 `json:"session_cost_usd"`
}

// Add adds a usage record.
func (t *Totals) Add(u agent.Usage) {
	t.AgentSteps++
	t.Tries += u.Tries
	t.Requests += u.Requests
	t.Cached += u.Cached
	t.Retries += u.Retries
	t.Invalid += u.Invalid
	if u.Fallback {
		t.Fallbacks++
	}
	t.PromptTokens += u.PromptTokens
	t.CompletionTokens += u.CompletionTokens
	t.Cost += u.Cost
}

// UsageTotals returns the totals of every replicate and of the run.
func (r *Run) UsageTotals() (perReplicate []Totals, all Totals) {
	for _, tr := range r.Replicates {
		var t Totals
		for _, u := range tr.Usage {
			t.Add(u)
			all.Add(u)
		}
		perReplicate = append(perReplicate, t)
	}
	return perReplicate, all
}

// writeUsage writes the part of the usage that depends only on the study
// and its seed, so that a rerun from the cache writes the same file; how
// this session got the answers goes to report.json.
func (r *Run) writeUsage(w io.Writer) error {
	io.WriteString(w, "run,replicate,step,agent,tries,invalid,fallback,prompt_tokens,completion_tokens\n")
	for _, tr := range r.Replicates {
		for _, u := range tr.Usage {
			fb := 0
			if u.Fallback {
				fb = 1
			}
			_, err := fmt.Fprintf(w, "%s,%d,%d,%d,%d,%d,%d,%d,%d\n", csvField(r.Manifest.Name), tr.Replicate, u.Step, u.Agent,
				u.Tries, u.Invalid, fb, u.PromptTokens, u.CompletionTokens)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// writeReport writes the totals, including the session's own counts
// (requests sent, cache hits, retries, cost), which differ between a first
// run and a rerun from the cache.
func (r *Run) writeReport(w io.Writer) error {
	per, all := r.UsageTotals()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"total": all, "replicates": per,
		"note": "session_* fields describe how this run got its answers (sent, cached, retried) and differ between a first run and a rerun; the other fields depend only on the study and its seed"})
}
