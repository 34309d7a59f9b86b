package experiment

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Table is a tidy table: named columns, one row per observation, cells as
// written in the CSV file (numbers in Go's shortest exact form).
type Table struct {
	Columns []string
	Rows    [][]string
}

// Col returns the index of a column, or an error naming the columns there are.
func (t *Table) Col(name string) (int, error) {
	for k, c := range t.Columns {
		if c == name {
			return k, nil
		}
	}
	return -1, fmt.Errorf("no column %q (the table has %s)", name, strings.Join(t.Columns, ", "))
}

// Strings returns a column's cells.
func (t *Table) Strings(name string) ([]string, error) {
	k, err := t.Col(name)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = r[k]
	}
	return out, nil
}

// Floats returns a column as numbers; an error names the first row that is
// not one.
func (t *Table) Floats(name string) ([]float64, error) {
	k, err := t.Col(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		v, err := strconv.ParseFloat(r[k], 64)
		if err != nil {
			return nil, fmt.Errorf("column %q row %d: %q is not a number", name, i+1, r[k])
		}
		out[i] = v
	}
	return out, nil
}

// Where returns the rows whose column name holds value.
func (t *Table) Where(name, value string) (*Table, error) {
	k, err := t.Col(name)
	if err != nil {
		return nil, err
	}
	out := &Table{Columns: t.Columns}
	for _, r := range t.Rows {
		if r[k] == value {
			out.Rows = append(out.Rows, r)
		}
	}
	return out, nil
}

// WriteCSV writes the header and the rows.
func (t *Table) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	writeRow(bw, t.Columns)
	for _, r := range t.Rows {
		writeRow(bw, r)
	}
	return bw.Flush()
}

// writeRow writes one CSV line, quoting the cells that need it.
func writeRow(w *bufio.Writer, cells []string) {
	for k, c := range cells {
		if k > 0 {
			w.WriteByte(',')
		}
		w.WriteString(csvCell(c))
	}
	w.WriteByte('\n')
}

// csvCell quotes a cell holding a comma, quote or line break, as RFC 4180.
func csvCell(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// ReadCSV reads a table written by WriteCSV (or any CSV file with a header
// row); errors name the file and line.
func ReadCSV(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	r.ReuseRecord = false
	t := &Table{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if t.Columns == nil {
			t.Columns = rec
			continue
		}
		t.Rows = append(t.Rows, rec)
	}
	if t.Columns == nil {
		return nil, fmt.Errorf("%s: empty file, want a header row", path)
	}
	return t, nil
}

// ftoa formats a number as the tables do.
func ftoa(x float64) string {
	if math.IsNaN(x) {
		return "NaN"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
