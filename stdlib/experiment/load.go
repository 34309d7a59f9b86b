package experiment

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// Load reads the tables of an experiment folder: runs.csv, metrics.csv and
// the per-agent table (agents.csv or agents.parquet; Agents is nil when
// there is neither). Parquet cells come back formatted as the CSV writes
// them, so both formats give the same Table.
func Load(dir string) (*Tables, error) {
	t := &Tables{}
	var err error
	if t.Runs, err = ReadCSV(filepath.Join(dir, "runs.csv")); err != nil {
		return nil, err
	}
	if t.Metrics, err = ReadCSV(filepath.Join(dir, "metrics.csv")); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "agents.csv")); err == nil {
		if t.Agents, err = ReadCSV(filepath.Join(dir, "agents.csv")); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(filepath.Join(dir, "agents.parquet")); err == nil {
		if t.Agents, err = ReadParquet(filepath.Join(dir, "agents.parquet")); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// ReadParquet reads a per-agent table written as Parquet.
func ReadParquet(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t := &Table{}
	for _, c := range pf.Schema().Columns() {
		t.Columns = append(t.Columns, c[0])
	}
	seedCol, _ := t.Col("seed")
	buf := make([]parquet.Row, 1024)
	for g, rg := range pf.RowGroups() {
		rows := rg.Rows()
		for {
			n, err := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				cells := make([]string, len(t.Columns))
				for _, v := range row {
					c := v.Column()
					switch v.Kind() {
					case parquet.Int32:
						cells[c] = strconv.Itoa(int(v.Int32()))
					case parquet.Int64:
						if c == seedCol {
							cells[c] = strconv.FormatUint(v.Uint64(), 10)
						} else {
							cells[c] = strconv.FormatInt(v.Int64(), 10)
						}
					case parquet.Double:
						cells[c] = ftoa(v.Double())
					case parquet.ByteArray:
						cells[c] = string(v.ByteArray())
					default:
						rows.Close()
						return nil, fmt.Errorf("%s row group %d: column %s has type %s, not one llmsam writes", path, g, t.Columns[c], v.Kind())
					}
				}
				t.Rows = append(t.Rows, cells)
			}
			if err != nil {
				rows.Close()
				if errors.Is(err, io.EOF) {
					break
				}
				return nil, fmt.Errorf("%s row group %d: %w", path, g, err)
			}
		}
	}
	return t, nil
}
