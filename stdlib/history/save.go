package history

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
)

// Save writes the run directory dir (created if needed):
//
//	manifest.json         every parameter, seed and version
//	trajectories.csv      run,replicate,seed,step,agent,opinion,action (tidy: one row per agent per step)
//	history.jsonl         the same rows as JSON objects, with the agent's thought
//	metrics.csv           per replicate and step: adoption, opinion moments, gap, indices, histogram
//	people.csv            the population in the release's coefficient format
//	facts.csv             agent,fact: the private fact each agent was given (when any was)
//	network.edges         the static network as an edge list (network/step_T.edges when dynamic)
//	release/seed_K.json   replicate K as one simulation of the release's files: agents by name, profile and answers (see SaveRelease)
//	usage.csv             LLM agents: tries, invalid answers, fallbacks and tokens per replicate, step and agent
//	report.json           LLM agents: their totals, and this session's requests, cache hits, retries and cost
//	errors.jsonl          LLM agents: what went wrong this session, one JSON object per line (retries, invalid answers, the error that stopped the run)
//
// Each file is written to a temporary name and renamed, so a crash never
// leaves a half-written file under a final name.
func (r *Run) Save(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "release"), 0o755); err != nil {
		return err
	}
	steps := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"manifest.json", r.writeManifest},
		{"trajectories.csv", r.writeCSV},
		{"history.jsonl", r.writeJSONL},
		{"metrics.csv", r.writeMetrics},
		{"people.csv", func(w io.Writer) error { return pop.WriteCSV(w, r.People) }},
	}
	for _, s := range steps {
		if err := WriteFileAtomic(filepath.Join(dir, s.name), s.write); err != nil {
			return err
		}
	}
	if r.hasFacts() {
		if err := WriteFileAtomic(filepath.Join(dir, "facts.csv"), r.writeFacts); err != nil {
			return err
		}
	}
	if err := r.saveNetwork(dir); err != nil {
		return err
	}
	if r.HasUsage() {
		if err := WriteFileAtomic(filepath.Join(dir, "usage.csv"), r.writeUsage); err != nil {
			return err
		}
		if err := WriteFileAtomic(filepath.Join(dir, "report.json"), r.writeReport); err != nil {
			return err
		}
		if err := WriteFileAtomic(filepath.Join(dir, "errors.jsonl"), r.writeErrors); err != nil {
			return err
		}
	}
	for k, tr := range r.Replicates {
		name := filepath.Join(dir, "release", fmt.Sprintf("seed_%d.json", k))
		if err := writeIndented(name, releaseSimulation(r.People, tr)); err != nil {
			return err
		}
	}
	return nil
}

// WriteFileAtomic writes a file through a buffered writer into a temporary
// file beside path and renames it into place once complete.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 1<<16)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

func ftoa(x float64) string {
	if math.IsNaN(x) {
		return "NaN"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func (r *Run) writeManifest(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.Manifest)
}

func (r *Run) writeCSV(w io.Writer) error {
	io.WriteString(w, "run,replicate,seed,step,agent,opinion,action\n")
	name := csvField(r.Manifest.Name)
	buf := make([]byte, 0, 128)
	for _, tr := range r.Replicates {
		for t, s := range tr.States {
			for i, o := range s.Opinion {
				buf = append(buf[:0], name...)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(tr.Replicate), 10)
				buf = append(buf, ',')
				buf = strconv.AppendUint(buf, tr.Seed, 10)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(t), 10)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(i), 10)
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, o, 'g', -1, 64)
				buf = append(buf, ',', '0'+s.Action[i], '\n')
				if _, err := w.Write(buf); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// csvField quotes a field when it holds a comma, quote or newline.
func csvField(s string) string {
	for _, c := range s {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			return strconv.Quote(s)
		}
	}
	return s
}

type jsonRow struct {
	Replicate int     `json:"replicate"`
	Step      int     `json:"step"`
	Agent     int     `json:"agent"`
	Opinion   float64 `json:"opinion"`
	Action    uint8   `json:"action"`
	Thought   string  `json:"thought,omitempty"`
}

func (r *Run) writeJSONL(w io.Writer) error {
	enc := json.NewEncoder(w)
	for _, tr := range r.Replicates {
		for t, s := range tr.States {
			for i, o := range s.Opinion {
				row := jsonRow{Replicate: tr.Replicate, Step: t, Agent: i, Opinion: o, Action: s.Action[i]}
				if s.Thought != nil {
					row.Thought = s.Thought[i]
				}
				if err := enc.Encode(row); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (r *Run) writeMetrics(w io.Writer) error {
	io.WriteString(w, "run,replicate,step,adoption,mean_opinion,var_opinion,support,gap,gap_high,gap_low,unpopular_norm,extremes,bimodality,assortativity")
	for k := range 11 {
		fmt.Fprintf(w, ",hist_%d", k)
	}
	io.WriteString(w, "\n")
	for k, rep := range r.Metrics() {
		for t, m := range rep {
			fmt.Fprintf(w, "%s,%d,%d", csvField(r.Manifest.Name), r.Replicates[k].Replicate, t)
			for _, v := range []float64{m.Adoption, m.MeanOpinion, m.VarOpinion, m.Support, m.Gap, m.GapHigh, m.GapLow, m.UnpopularNorm, m.Extremes, m.Bimodality, m.Assortativity} {
				io.WriteString(w, ","+ftoa(v))
			}
			for _, h := range m.Hist {
				io.WriteString(w, ","+ftoa(h))
			}
			io.WriteString(w, "\n")
		}
	}
	return nil
}

func (r *Run) saveNetwork(dir string) error {
	switch nw := r.Network.(type) {
	case nil:
		return nil
	case netw.Snapshots:
		if err := os.MkdirAll(filepath.Join(dir, "network"), 0o755); err != nil {
			return err
		}
		for t, g := range nw {
			name := filepath.Join(dir, "network", fmt.Sprintf("step_%d.edges", t))
			if err := WriteFileAtomic(name, func(w io.Writer) error { return netw.WriteEdgeList(w, g) }); err != nil {
				return err
			}
		}
		return nil
	default:
		return WriteFileAtomic(filepath.Join(dir, "network.edges"), func(w io.Writer) error {
			return netw.WriteEdgeList(w, nw.At(0))
		})
	}
}

func (r *Run) hasFacts() bool {
	for _, p := range r.People {
		if p.Fact != "" {
			return true
		}
	}
	return false
}

func (r *Run) writeFacts(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"agent", "fact"})
	for i, p := range r.People {
		cw.Write([]string{strconv.Itoa(i), p.Fact})
	}
	cw.Flush()
	return cw.Error()
}
