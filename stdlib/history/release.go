package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/llmsam/llmsam/stdlib/pop"
)

// ReleaseRun places one run (one small group, or one window of the pooled
// population) in the LLM-SAM release's output layout.
type ReleaseRun struct {
	Exp   int  // the scenario's number E (1 dishwasher, 2 waste sorting, 3 5G)
	Start int  // a: the first person of the group or window in the release's coefficient file
	Run   *Run // replicate k is the release's seed k
}

// ReleaseRuns places runs of one scenario in the release's layout: a run
// labelled with a "window" (the larger-network and dynamic protocols)
// starts at that window; otherwise (the small groups) the runs of each
// group size are taken as consecutive groups of the coefficient file
// coeff{E}_{N}.csv, the k-th starting at k*N.
func ReleaseRuns(exp int, runs []*Run) ([]ReleaseRun, error) {
	out := make([]ReleaseRun, len(runs))
	seen := map[int]int{}
	for k, r := range runs {
		n := len(r.People)
		out[k] = ReleaseRun{Exp: exp, Run: r, Start: seen[n] * n}
		seen[n]++
		if w, ok := r.Manifest.Labels["window"]; ok {
			start, err := strconv.Atoi(w)
			if err != nil {
				return nil, fmt.Errorf("run %q: window label %q is not a number", r.Manifest.Name, w)
			}
			out[k].Start = start
		}
	}
	return out, nil
}

// SaveRelease writes runs in the release's folder layout under dir, so that
// analysis code written for the release reads them as they are:
//
//	exp{E}/simulations_n{N}/seed/result_seed{K}_person{a}-{b}.json  one simulation
//	exp{E}/simulations_n{N}/result_person{a}-{b}.json               the list of those over seeds K
//	exp{E}/result_all.jsonl                                         one JSON object keyed "exp={E},n={N},person={a}-{b}" holding those lists
//
// with b = a + N. A simulation is a JSON object keyed by agent name
// (pop.ReleaseName), each value {"profile": {"a", "tau", "f", "lambda",
// "O_inital_text", "O_inital", "A_inital"}, "opinion": [{"Thought",
// "Opinion", "Decision"}, ...]} with one answer per step; step 0 is the real
// answer, Opinion = int(10 O_inital). Like the release, files are indented
// by 4 spaces with non-ASCII text as is, and result_all.jsonl is one
// indented object despite its name. Keys of result_all.jsonl follow N, then
// a.
func SaveRelease(dir string, runs []ReleaseRun) error {
	sorted := append([]ReleaseRun(nil), runs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Exp != b.Exp {
			return a.Exp < b.Exp
		}
		if na, nb := len(a.Run.People), len(b.Run.People); na != nb {
			return na < nb
		}
		return a.Start < b.Start
	})
	all := map[int]*bytes.Buffer{}
	var exps []int
	for _, rr := range sorted {
		n := len(rr.Run.People)
		span := fmt.Sprintf("person%d-%d", rr.Start, rr.Start+n)
		simDir := filepath.Join(dir, fmt.Sprintf("exp%d", rr.Exp), fmt.Sprintf("simulations_n%d", n))
		if err := os.MkdirAll(filepath.Join(simDir, "seed"), 0o755); err != nil {
			return err
		}
		var list bytes.Buffer
		list.WriteByte('[')
		for k, tr := range rr.Run.Replicates {
			obj := releaseSimulation(rr.Run.People, tr)
			name := filepath.Join(simDir, "seed", fmt.Sprintf("result_seed%d_%s.json", k, span))
			if err := writeIndented(name, obj); err != nil {
				return err
			}
			if k > 0 {
				list.WriteByte(',')
			}
			list.Write(obj)
		}
		list.WriteByte(']')
		if err := writeIndented(filepath.Join(simDir, "result_"+span+".json"), list.Bytes()); err != nil {
			return err
		}
		b := all[rr.Exp]
		if b == nil {
			b = &bytes.Buffer{}
			b.WriteByte('{')
			all[rr.Exp] = b
			exps = append(exps, rr.Exp)
		} else {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(fmt.Sprintf("exp=%d,n=%d,person=%d-%d", rr.Exp, n, rr.Start, rr.Start+n))
		b.Write(key)
		b.WriteByte(':')
		b.Write(list.Bytes())
	}
	for _, e := range exps {
		b := all[e]
		b.WriteByte('}')
		if err := writeIndented(filepath.Join(dir, fmt.Sprintf("exp%d", e), "result_all.jsonl"), b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// writeIndented writes compact JSON indented by 4 spaces, as Python's
// json.dump(..., indent=4) does (key order kept).
func writeIndented(path string, compact []byte) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		var b bytes.Buffer
		if err := json.Indent(&b, compact, "", "    "); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		_, err := w.Write(b.Bytes())
		return err
	})
}

// releaseSimulation returns one simulation in the release's layout, compact.
func releaseSimulation(people pop.Population, tr *Trajectory) []byte {
	var b bytes.Buffer
	n := len(people)
	b.WriteByte('{')
	for i, p := range people {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(&b, pop.ReleaseName(n, i))
		b.WriteString(`:{"profile":{"a":`)
		b.WriteString(pyFloat(p.A))
		b.WriteString(`,"tau":`)
		b.WriteString(pyFloat(p.Tau))
		b.WriteString(`,"f":`)
		b.WriteString(pyFloat(p.F))
		b.WriteString(`,"lambda":`)
		b.WriteString(pyFloat(p.Lambda))
		b.WriteString(`,"O_inital_text":`)
		writeString(&b, p.Reason)
		b.WriteString(`,"O_inital":`)
		b.WriteString(pyFloat(p.Opinion0))
		b.WriteString(`,"A_inital":`)
		b.WriteString(pyFloat(float64(p.Action0)))
		b.WriteString(`},"opinion":[`)
		for t, s := range tr.States {
			if t > 0 {
				b.WriteByte(',')
			}
			thought, op := "", int(math.Round(s.Opinion[i]*10))
			if s.Thought != nil {
				thought = s.Thought[i]
			}
			if t == 0 {
				thought, op = p.Reason, int(p.Opinion0*10)
			}
			dec := "No"
			if s.Action[i] == 1 {
				dec = "Yes"
			}
			b.WriteString(`{"Thought":`)
			writeString(&b, thought)
			b.WriteString(`,"Opinion":`)
			b.WriteString(strconv.Itoa(op))
			b.WriteString(`,"Decision":`)
			writeString(&b, dec)
			b.WriteByte('}')
		}
		b.WriteString("]}")
	}
	b.WriteByte('}')
	return b.Bytes()
}

func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	b.Truncate(b.Len() - 1) // the encoder's newline
}

// pyFloat formats x as Python's repr of a float (0.1, 1.0, 1e-05).
func pyFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case x == 0:
		return "0.0"
	case math.Abs(x) >= 1e-4 && math.Abs(x) < 1e16:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		for _, c := range s {
			if c == '.' {
				return s
			}
		}
		return s + ".0"
	}
	return strconv.FormatFloat(x, 'e', -1, 64)
}
