package experiment

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/snappy"

	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/history"
)

// Format is how the per-agent table is written.
type Format int

const (
	// CSV writes agents.csv, the default: readable anywhere, large.
	CSV Format = iota
	// Parquet writes agents.parquet (Snappy-compressed, a row group per run
	// or per half a million rows), for large experiments.
	Parquet
	// NoAgents writes no per-agent table, only runs.csv and metrics.csv.
	NoAgents
)

// ParseFormat reads "csv", "parquet" or "none".
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "csv", "":
		return CSV, nil
	case "parquet":
		return Parquet, nil
	case "none":
		return NoAgents, nil
	}
	return CSV, fmt.Errorf("per-agent format %q: want csv, parquet or none", s)
}

// String returns "csv", "parquet" or "none".
func (f Format) String() string { return [...]string{"csv", "parquet", "none"}[f] }

// File returns the per-agent table's file name ("" for NoAgents).
func (f Format) File() string { return [...]string{"agents.csv", "agents.parquet", ""}[f] }

// key is what every row of a run starts with: run, point, the parameters,
// replicate and seed.
type key struct {
	run, replicate int
	seed           uint64
	point          Point
}

// cells returns the key's cells in column order.
func (k key) cells() []string {
	out := []string{strconv.Itoa(k.run), strconv.Itoa(k.point.Index)}
	for j := range k.point.Names {
		out = append(out, k.point.cell(j))
	}
	return append(out, strconv.Itoa(k.replicate), strconv.FormatUint(k.seed, 10))
}

// keyColumns returns the key's column names.
func keyColumns(params []Param) []string {
	out := []string{"run", "point"}
	for _, p := range params {
		out = append(out, p.Name)
	}
	return append(out, "replicate", "seed")
}

// agentSink receives every recorded state of every run, runs in order.
type agentSink interface {
	step(k key, step int, st *agent.State) error
	endRun() error
	close() error // completes the file
	abort()       // removes the unfinished file
}

// openAgents opens the per-agent table in dir; nil for NoAgents.
func openAgents(dir string, f Format, params []Param) (agentSink, error) {
	if f == NoAgents {
		return nil, nil
	}
	path := filepath.Join(dir, f.File())
	file, err := os.CreateTemp(dir, "."+f.File()+".tmp*")
	if err != nil {
		return nil, err
	}
	tmp := tmpFile{file: file, path: path}
	if f == CSV {
		s := &csvAgents{tmpFile: tmp, w: bufio.NewWriterSize(file, 1<<20)}
		writeRow(s.w, append(keyColumns(params), "step", "agent", "opinion", "action"))
		return s, nil
	}
	return newParquetAgents(tmp, params), nil
}

// tmpFile is a file written under a temporary name and renamed when done.
type tmpFile struct {
	file *os.File
	path string
}

func (t tmpFile) finish(flush func() error) error {
	err := flush()
	if cerr := t.file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(t.file.Name(), 0o644)
	}
	if err != nil {
		os.Remove(t.file.Name())
		return fmt.Errorf("writing %s: %w", t.path, err)
	}
	return os.Rename(t.file.Name(), t.path)
}

func (t tmpFile) abort() {
	t.file.Close()
	os.Remove(t.file.Name())
}

type csvAgents struct {
	tmpFile
	w   *bufio.Writer
	buf []byte
}

func (s *csvAgents) step(k key, t int, st *agent.State) error {
	prefix := k.cells()
	for j := range prefix {
		prefix[j] = csvCell(prefix[j])
	}
	head := strings.Join(prefix, ",") + "," + strconv.Itoa(t) + ","
	for i, o := range st.Opinion {
		b := append(s.buf[:0], head...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, o, 'g', -1, 64)
		b = append(b, ',', '0'+st.Action[i], '\n')
		s.buf = b
		if _, err := s.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (s *csvAgents) endRun() error { return nil }
func (s *csvAgents) close() error  { return s.finish(s.w.Flush) }

// parquetAgents writes rows in chunks of chunkRows counted from the start
// of each row group, and ends a row group at the end of every run and after
// any step that brings it to groupRows: the layout depends only on the
// rows, so Merge rewrites shards into the same bytes.
type parquetAgents struct {
	tmpFile
	w      *parquet.Writer
	bw     *bufio.Writer
	chunk  []parquet.Row
	n      int // rows in the current chunk
	inGrp  int // rows in the current row group
	ncols  int
	params []Param
}

const (
	chunkRows = 4096
	groupRows = 1 << 19
)

// agentSchema is the per-agent table's Parquet schema, columns in the CSV's
// order: integers as INT64 (seed as unsigned), numbers as DOUBLE, levels as
// dictionary-encoded strings, step and agent as INT32, action as INT32.
func agentSchema(params []Param) *parquet.Schema {
	field := func(name string, v any, tag string) reflect.StructField {
		return reflect.StructField{Type: reflect.TypeOf(v),
			Tag: reflect.StructTag(`parquet:"` + name + tag + `"`)}
	}
	fs := []reflect.StructField{field("run", int64(0), ""), field("point", int64(0), "")}
	for _, p := range params {
		if p.Levels != nil {
			fs = append(fs, field(p.Name, "", ",dict"))
		} else {
			fs = append(fs, field(p.Name, 0.0, ""))
		}
	}
	fs = append(fs, field("replicate", int64(0), ""), field("seed", uint64(0), ""),
		field("step", int32(0), ""), field("agent", int32(0), ""), field("opinion", 0.0, ""), field("action", int32(0), ""))
	for i := range fs {
		fs[i].Name = fmt.Sprintf("F%d", i)
	}
	return parquet.SchemaOf(reflect.New(reflect.StructOf(fs)).Interface())
}

func newParquetWriter(w io.Writer, schema *parquet.Schema) *parquet.Writer {
	return parquet.NewWriter(w, schema, parquet.Compression(&snappy.Codec{}),
		parquet.CreatedBy("llmsam", history.Version(), "none"))
}

func newParquetAgents(t tmpFile, params []Param) *parquetAgents {
	schema := agentSchema(params)
	s := &parquetAgents{tmpFile: t, params: params, ncols: len(schema.Columns())}
	s.bw = bufio.NewWriterSize(t.file, 1<<20)
	s.w = newParquetWriter(s.bw, schema)
	s.chunk = make([]parquet.Row, chunkRows)
	for i := range s.chunk {
		s.chunk[i] = make(parquet.Row, s.ncols)
	}
	return s
}

// add appends one row (copied) to the current chunk, writing full chunks.
func (s *parquetAgents) add(fill func(r parquet.Row)) error {
	fill(s.chunk[s.n])
	s.n++
	s.inGrp++
	if s.n == chunkRows {
		return s.writeChunk()
	}
	return nil
}

func (s *parquetAgents) writeChunk() error {
	if s.n == 0 {
		return nil
	}
	_, err := s.w.WriteRows(s.chunk[:s.n])
	s.n = 0
	return err
}

// endGroup writes the partial chunk and ends the row group.
func (s *parquetAgents) endGroup() error {
	if err := s.writeChunk(); err != nil {
		return err
	}
	if s.inGrp == 0 {
		return nil
	}
	s.inGrp = 0
	return s.w.Flush()
}

func (s *parquetAgents) step(k key, t int, st *agent.State) error {
	head := make([]parquet.Value, 0, s.ncols)
	head = append(head, parquet.Int64Value(int64(k.run)), parquet.Int64Value(int64(k.point.Index)))
	for j := range k.point.Names {
		if s.params[j].Levels != nil {
			head = append(head, parquet.ByteArrayValue([]byte(k.point.Levels[j])))
		} else {
			head = append(head, parquet.DoubleValue(k.point.Nums[j]))
		}
	}
	head = append(head, parquet.Int64Value(int64(k.replicate)), parquet.Int64Value(int64(k.seed)), parquet.Int32Value(int32(t)))
	for i, o := range st.Opinion {
		err := s.add(func(r parquet.Row) {
			copy(r, head)
			n := len(head)
			r[n] = parquet.Int32Value(int32(i))
			r[n+1] = parquet.DoubleValue(o)
			r[n+2] = parquet.Int32Value(int32(st.Action[i]))
			for c := range r {
				r[c] = r[c].Level(0, 0, c)
			}
		})
		if err != nil {
			return err
		}
	}
	if s.inGrp >= groupRows {
		return s.endGroup()
	}
	return nil
}

func (s *parquetAgents) endRun() error { return s.endGroup() }

func (s *parquetAgents) close() error {
	return s.finish(func() error {
		if err := s.endGroup(); err != nil {
			return err
		}
		if err := s.w.Close(); err != nil {
			return err
		}
		return s.bw.Flush()
	})
}
