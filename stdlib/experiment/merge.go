package experiment

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/llmsam/llmsam/stdlib/history"
)

// Merge combines the folders of an experiment's shards (run with -shard
// i/n, every i from 1 to n) into out: experiment.json, runs.csv,
// metrics.csv and the per-agent table, the same bytes an unsharded run
// writes, and figures.json when the shards have one (plots.DrawFigures
// redraws the figures from it). It refuses shards of different
// experiments, missing or repeated shards, shards that stopped early, and
// an out that is one of the shard folders.
func Merge(out string, shards ...string) error {
	if len(shards) == 0 {
		return fmt.Errorf("merge: no shard folders")
	}
	// Writing into a shard's folder would overwrite its tables while they
	// are read.
	if o, err := filepath.Abs(out); err == nil {
		for _, dir := range shards {
			if a, err := filepath.Abs(dir); err == nil && a == o {
				return fmt.Errorf("merge: the output folder %s is one of the shard folders; merge into a new folder", out)
			}
		}
	}
	var first []byte
	var d design
	seen := map[int]string{}
	count := 0
	for _, dir := range shards {
		b, err := os.ReadFile(filepath.Join(dir, "experiment.json"))
		if err != nil {
			return fmt.Errorf("merge: %s is not an experiment folder: %w", dir, err)
		}
		if first == nil {
			first = b
			if err := json.Unmarshal(b, &d); err != nil {
				return fmt.Errorf("merge: %s: %w", filepath.Join(dir, "experiment.json"), err)
			}
		} else if !bytes.Equal(b, first) {
			return fmt.Errorf("merge: %s and %s hold different experiments (experiment.json differs)", shards[0], dir)
		}
		if b, err := os.ReadFile(filepath.Join(dir, "status.json")); err == nil {
			var st status
			json.Unmarshal(b, &st)
			return fmt.Errorf("merge: shard %s stopped early (%d of %d runs): %s; run it again", dir, st.Done, st.Total, st.Error)
		}
		var si shardInfo
		b, err = os.ReadFile(filepath.Join(dir, "shard.json"))
		if err == nil {
			err = json.Unmarshal(b, &si)
		}
		if err != nil {
			return fmt.Errorf("merge: %s: no valid shard.json (was it run with -shard i/n?): %v", dir, err)
		}
		if count == 0 {
			count = si.Count
		}
		if si.Count != count {
			return fmt.Errorf("merge: %s is shard %s but %s is of %d shards", dir, si.Shard, shards[0], count)
		}
		if prev, ok := seen[si.Index]; ok {
			return fmt.Errorf("merge: %s and %s are both shard %s", prev, dir, si.Shard)
		}
		seen[si.Index] = dir
	}
	for i := 1; i <= count; i++ {
		if _, ok := seen[i]; !ok {
			return fmt.Errorf("merge: shard %d/%d is missing", i, count)
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := history.WriteFileAtomic(filepath.Join(out, "experiment.json"), func(w io.Writer) error {
		_, err := w.Write(first)
		return err
	}); err != nil {
		return err
	}
	if err := mergeCSV(out, "runs.csv", shards, d.Runs); err != nil {
		return err
	}
	if err := mergeCSV(out, "metrics.csv", shards, -1); err != nil {
		return err
	}
	format, err := ParseFormat(d.Agents)
	if err != nil {
		return fmt.Errorf("merge: experiment.json: %w", err)
	}
	for _, name := range []string{"agents.csv", "agents.parquet"} {
		os.Remove(filepath.Join(out, name))
	}
	switch format {
	case CSV:
		err = mergeCSV(out, "agents.csv", shards, -1)
	case Parquet:
		err = mergeParquet(out, shards, d.params())
	}
	if err != nil {
		return err
	}
	return mergeSame(out, "figures.json", shards)
}

// params rebuilds the parameters' kinds from experiment.json.
func (d design) params() []Param {
	out := make([]Param, len(d.Params))
	for k, p := range d.Params {
		out[k] = Param{Name: p.Name, Values: p.Values, Levels: p.Levels}
	}
	return out
}

// mergeSame copies a file every shard has identical (or none has).
func mergeSame(out, name string, shards []string) error {
	var first []byte
	for k, dir := range shards {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) && k == 0 {
			return nil
		}
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		if k == 0 {
			first = b
		} else if !bytes.Equal(b, first) {
			return fmt.Errorf("merge: %s differs between %s and %s", name, shards[0], dir)
		}
	}
	return history.WriteFileAtomic(filepath.Join(out, name), func(w io.Writer) error {
		_, err := w.Write(first)
		return err
	})
}

// csvShard reads one shard's CSV file a run at a time.
type csvShard struct {
	path string
	r    *bufio.Reader
	line []byte // the next line, nil at the end
	run  int
	no   int
}

func (s *csvShard) next() error {
	line, err := s.r.ReadBytes('\n')
	if len(line) == 0 && err == io.EOF {
		s.line = nil
		return nil
	}
	if err != nil && err != io.EOF {
		return err
	}
	s.no++
	if line[len(line)-1] != '\n' {
		return fmt.Errorf("%s line %d: the file ends in the middle of a line", s.path, s.no)
	}
	field, _, _ := bytes.Cut(line, []byte(","))
	run, perr := strconv.Atoi(string(field))
	if perr != nil {
		return fmt.Errorf("%s line %d: run %q is not an integer", s.path, s.no, field)
	}
	s.line, s.run = line, run
	return nil
}

// mergeCSV interleaves the shards' rows by run (each shard's file lists
// its runs in order), checking that the headers agree and, when want >= 0,
// that the runs are exactly 0..want-1, once each.
func mergeCSV(out, name string, shards []string, want int) error {
	var parts []*csvShard
	var header []byte
	for _, dir := range shards {
		path := filepath.Join(dir, name)
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		defer f.Close()
		s := &csvShard{path: path, r: bufio.NewReaderSize(f, 1<<20)}
		h, err := s.r.ReadBytes('\n')
		if err != nil {
			return fmt.Errorf("merge: %s: no header line", path)
		}
		s.no = 1
		if header == nil {
			header = h
		} else if !bytes.Equal(h, header) {
			return fmt.Errorf("merge: %s: header differs from %s's", path, shards[0])
		}
		if err := s.next(); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		parts = append(parts, s)
	}
	return history.WriteFileAtomic(filepath.Join(out, name), func(w io.Writer) error {
		w.Write(header)
		expect := 0
		for {
			var best *csvShard
			for _, s := range parts {
				if s.line != nil && (best == nil || s.run < best.run) {
					best = s
				}
			}
			if best == nil {
				break
			}
			run := best.run
			if want >= 0 && run != expect {
				return fmt.Errorf("merge: runs.csv lacks run %d (next is %d in %s): is a shard incomplete?", expect, run, best.path)
			}
			expect++
			for best.line != nil && best.run == run {
				if _, err := w.Write(best.line); err != nil {
					return err
				}
				if err := best.next(); err != nil {
					return err
				}
			}
		}
		if want >= 0 && expect != want {
			return fmt.Errorf("merge: %d runs in the shards' runs.csv, want %d", expect, want)
		}
		return nil
	})
}

// mergeParquet interleaves the shards' row groups by run and rewrites them
// with the writer's own chunking, so the bytes match an unsharded run's.
func mergeParquet(out string, shards []string, params []Param) error {
	type part struct {
		path   string
		groups []parquet.RowGroup
		run    []int64 // first run of each row group
		next   int
	}
	var parts []*part
	for _, dir := range shards {
		path := filepath.Join(dir, "agents.parquet")
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			return fmt.Errorf("merge: %s: %w", path, err)
		}
		p := &part{path: path, groups: pf.RowGroups()}
		for g, rg := range p.groups {
			rows := rg.Rows()
			buf := make([]parquet.Row, 1)
			n, err := rows.ReadRows(buf)
			rows.Close()
			if n != 1 {
				return fmt.Errorf("merge: %s row group %d: cannot read its first row: %v", path, g, err)
			}
			p.run = append(p.run, buf[0][0].Int64())
		}
		parts = append(parts, p)
	}
	file, err := os.CreateTemp(out, ".agents.parquet.tmp*")
	if err != nil {
		return err
	}
	w := newParquetAgents(tmpFile{file: file, path: filepath.Join(out, "agents.parquet")}, params)
	buf := make([]parquet.Row, 1024)
	for {
		var best *part
		for _, p := range parts {
			if p.next < len(p.groups) && (best == nil || p.run[p.next] < best.run[best.next]) {
				best = p
			}
		}
		if best == nil {
			break
		}
		rows := best.groups[best.next].Rows()
		for {
			n, rerr := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				if err := w.add(func(r parquet.Row) { copy(r, row.Clone()) }); err != nil {
					rows.Close()
					w.abort()
					return err
				}
			}
			if rerr != nil {
				rows.Close()
				if !errors.Is(rerr, io.EOF) {
					w.abort()
					return fmt.Errorf("merge: %s row group %d: %w", best.path, best.next, rerr)
				}
				break
			}
		}
		if err := w.endGroup(); err != nil {
			w.abort()
			return err
		}
		best.next++
	}
	return w.close()
}
