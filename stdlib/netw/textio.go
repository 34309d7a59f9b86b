package netw

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// ReadEdgeList reads an edge list: one edge per line as "u v" or "u v w"
// (whitespace or comma separated, nodes numbered from 0), blank lines and
// lines starting with # ignored. n is the node count; pass 0 to use the
// largest node seen plus one. Errors give the line number.
func ReadEdgeList(r io.Reader, n int, directed bool) (*Graph, error) {
	type row struct {
		u, v int
		w    float64
	}
	var rows []row
	weighted := false
	maxNode := -1
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.FieldsFunc(text, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' })
		if len(f) != 2 && len(f) != 3 {
			return nil, fmt.Errorf("line %d: %q: want \"u v\" or \"u v weight\"", line, text)
		}
		u, err1 := strconv.Atoi(f[0])
		v, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil || u < 0 || v < 0 {
			return nil, fmt.Errorf("line %d: %q: node ids must be non-negative integers", line, text)
		}
		w := 1.0
		if len(f) == 3 {
			var err error
			if w, err = strconv.ParseFloat(f[2], 64); err != nil || w < 0 || w != w {
				return nil, fmt.Errorf("line %d: weight %q: want a non-negative number", line, f[2])
			}
			weighted = true
		}
		if u == v {
			return nil, fmt.Errorf("line %d: self-loop %d-%d is not allowed", line, u, v)
		}
		maxNode = max(maxNode, u, v)
		rows = append(rows, row{u, v, w})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if n == 0 {
		n = maxNode + 1
	} else if maxNode >= n {
		return nil, fmt.Errorf("node %d out of range for %d nodes", maxNode, n)
	}
	b := NewBuilder(n, directed, weighted)
	for _, e := range rows {
		b.Add(e.u, e.v, e.w)
	}
	return b.Build(), nil
}

// WriteEdgeList writes the graph as "u v" lines ("u v w" when weighted),
// each undirected edge once.
func WriteEdgeList(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	for _, e := range g.EdgeList() {
		if g.Weighted() {
			fmt.Fprintf(bw, "%d %d %s\n", e.U, e.V, strconv.FormatFloat(e.W, 'g', -1, 64))
		} else {
			fmt.Fprintf(bw, "%d %d\n", e.U, e.V)
		}
	}
	return bw.Flush()
}

// ReadCSVMatrix reads a square adjacency matrix written as CSV, one row per
// line, no header. Errors give the line and column.
func ReadCSVMatrix(r io.Reader, directed bool) (*Graph, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var data []float64
	n := -1
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if n < 0 {
			n = len(rec)
		}
		if len(rec) != n {
			return nil, fmt.Errorf("line %d: %d columns, want %d like line 1", line, len(rec), n)
		}
		for col, f := range rec {
			x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil {
				return nil, fmt.Errorf("line %d column %d: %q is not a number", line, col+1, f)
			}
			data = append(data, x)
		}
	}
	if n < 0 {
		return nil, fmt.Errorf("empty matrix")
	}
	if len(data) != n*n {
		return nil, fmt.Errorf("%d rows of %d columns: an adjacency matrix must be square", len(data)/n, n)
	}
	return FromDense(n, data, directed)
}

// WriteCSVMatrix writes the dense adjacency matrix as CSV.
func WriteCSVMatrix(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	n := g.N()
	m := g.Dense()
	for i := range n {
		for j := range n {
			if j > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString(strconv.FormatFloat(m[i*n+j], 'g', -1, 64))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// LoadEdgeList reads an undirected edge-list file; errors name the file.
func LoadEdgeList(path string, n int) (*Graph, error) {
	return readFile(path, func(r io.Reader) (*Graph, error) { return ReadEdgeList(r, n, false) })
}

// LoadCSVMatrix reads an undirected CSV adjacency file; errors name the file.
func LoadCSVMatrix(path string) (*Graph, error) {
	return readFile(path, func(r io.Reader) (*Graph, error) { return ReadCSVMatrix(r, false) })
}

// readFile opens path and decodes it with read; decoding errors start with
// the path.
func readFile[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
