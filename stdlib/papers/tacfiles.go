package papers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The TAC 2023 examples read the paper's data from the authors' repository,
// github.com/lzino90/coevolutionary (MIT licence), which llmsam does not
// copy: the folder COEVOLUTIONARY holds the .mat files, and the presets read
// each variable as a CSV file named FILE.VARIABLE.csv (one matrix per file,
// comma separated, full precision; vectors as one row), for example
// Wpol2.W.csv. GNU Octave writes them from the repository's folder with
//
//	load('Wpol2.mat'); dlmwrite('Wpol2.W.csv', W, 'precision', '%.17g')
//
// and likewise for sWA.mat (A, W), plig.mat (xWsep1, xMsep1, yWsep1,
// yMsep1), i.mat (i) and i_exam.mat (i).

// ErrNoData reports that a file of the authors' data is missing; errors of
// the TAC 2023 presets wrap it (test with errors.Is) when the data folder
// or one of its files is absent.
var ErrNoData = errors.New("the TAC 2023 paper's data were not found")

// tacFiles reads the CSV copies of the authors' .mat files from dir, a copy
// of the authors' repository or its COEVOLUTIONARY folder.
type tacFiles struct{ dir string }

// path returns where file is: dir/COEVOLUTIONARY/file, or dir/file when only
// that exists.
func (f tacFiles) path(file string) string {
	p := filepath.Join(f.dir, "COEVOLUTIONARY", file)
	if _, err := os.Stat(p); err != nil {
		if q := filepath.Join(f.dir, file); fileExists(q) {
			return q
		}
	}
	return p
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// matrix reads file as an r x c matrix (r or c < 0: any).
func (f tacFiles) matrix(file string, r, c int) ([][]float64, error) {
	p := f.path(file)
	m, err := readMatrix(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s is missing; get the folder COEVOLUTIONARY of github.com/lzino90/coevolutionary and write its .mat files' variables as CSV files named FILE.VARIABLE.csv (in Octave: load('Wpol2.mat'); dlmwrite('Wpol2.W.csv', W, 'precision', '%%.17g'))",
			ErrNoData, p)
	}
	if err != nil {
		return nil, err
	}
	if (r >= 0 && len(m) != r) || (c >= 0 && len(m[0]) != c) {
		return nil, fmt.Errorf("%s: %d x %d values, want %d x %d", p, len(m), len(m[0]), r, c)
	}
	return m, nil
}

// vector reads file as one row of n values or more (at least if atLeast).
func (f tacFiles) vector(file string, n int, atLeast bool) ([]float64, error) {
	m, err := f.matrix(file, 1, -1)
	if err != nil {
		return nil, err
	}
	if v := m[0]; len(v) == n || (atLeast && len(v) > n) {
		return v, nil
	}
	return nil, fmt.Errorf("%s: %d values, want %d", f.path(file), len(m[0]), n)
}

// ticks reads a tick sequence (agents counted from 1) and returns its
// first count entries as agent indices of an n-agent network.
func (f tacFiles) ticks(file string, count, n int) ([]int, error) {
	v, err := f.vector(file, count, true)
	if err != nil {
		return nil, err
	}
	out := make([]int, count)
	for k := range out {
		a := int(v[k])
		if float64(a) != v[k] || a < 1 || a > n {
			return nil, fmt.Errorf("%s entry %d: %g, want an agent number in 1..%d", f.path(file), k+1, v[k], n)
		}
		out[k] = a - 1
	}
	return out, nil
}

// readMatrix reads a CSV file of numbers with rows of equal length.
func readMatrix(path string) ([][]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no rows, want a matrix of numbers", path)
	}
	out := make([][]float64, len(rows))
	for i, r := range rows {
		for j, s := range r {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return nil, fmt.Errorf("%s row %d column %d: %q is not a number", path, i+1, j+1, s)
			}
			out[i] = append(out[i], x)
		}
	}
	return out, nil
}
