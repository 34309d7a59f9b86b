package pop

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/llmsam/llmsam/stdlib/scenario"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// columns of the release's files; "O_inital" is the release's spelling and
// "O_initial" is accepted too.
var required = []string{"a", "tau", "f", "lambda", "O_inital", "A_inital"}

// ReadCSV reads a population in the release's coefficient format: a UTF-8
// file (normally with a byte-order mark) with the header
// a,tau,f,lambda,O_inital,A_inital,O_inital_text and one person per row.
// name is used in error messages, which give the line number and the column.
// Each row must have coefficients in [0,1] with a + tau + f = 1 (within 1e-6),
// an initial opinion that is a multiple of 0.1, and an action of 0 or 1.
// A file without the byte-order mark is accepted when it is valid UTF-8; one
// that is not (for instance saved as GBK) is rejected with the line where the
// encoding breaks.
func ReadCSV(r io.Reader, name string) (Population, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	hasBOM := bytes.HasPrefix(raw, bom)
	raw = bytes.TrimPrefix(raw, bom)
	if !utf8.Valid(raw) {
		line := 1 + bytes.Count(raw[:firstInvalid(raw)], []byte("\n"))
		if hasBOM {
			return nil, fmt.Errorf("%s line %d: text is not valid UTF-8", name, line)
		}
		return nil, fmt.Errorf("%s line %d: no UTF-8 byte-order mark and the text is not valid UTF-8 (saved in another encoding such as GBK?); save the file as UTF-8", name, line)
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file, want a header %s", name, strings.Join(required, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "O_initial" {
			h = "O_inital"
		} else if h == "O_initial_text" {
			h = "O_inital_text"
		}
		col[h] = i
	}
	for _, c := range required {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s line 1: header %q lacks column %q (want %s,O_inital_text)", name, strings.Join(header, ","), c, strings.Join(required, ","))
		}
	}
	text, hasText := col["O_inital_text"]
	var p Population
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < len(header) {
			return nil, fmt.Errorf("%s line %d: %d fields, want %d as in the header", name, line, len(rec), len(header))
		}
		num := func(c string) (float64, error) {
			s := strings.TrimSpace(rec[col[c]])
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("%s line %d: %s %q: want a number", name, line, c, s)
			}
			if v < 0 || v > 1 {
				return 0, fmt.Errorf("%s line %d: %s = %g: want a value in [0,1]", name, line, c, v)
			}
			return v, nil
		}
		var x Person
		vals := make([]float64, len(required))
		for i, c := range required {
			if vals[i], err = num(c); err != nil {
				return nil, err
			}
		}
		x.A, x.Tau, x.F, x.Lambda, x.Opinion0 = vals[0], vals[1], vals[2], vals[3], vals[4]
		if s := x.A + x.Tau + x.F; math.Abs(s-1) > 1e-6 {
			return nil, fmt.Errorf("%s line %d: a + tau + f = %g, want 1 (within 1e-6)", name, line, s)
		}
		if d := x.Opinion0 * 10; math.Abs(d-math.Round(d)) > 1e-6 {
			return nil, fmt.Errorf("%s line %d: O_inital = %g: want a multiple of 0.1 (an answer 0-10 divided by 10)", name, line, x.Opinion0)
		}
		x.Opinion0 = math.Round(x.Opinion0*10) / 10
		switch vals[5] {
		case 0:
		case 1:
			x.Action0 = 1
		default:
			return nil, fmt.Errorf("%s line %d: A_inital = %g: want 0 or 1", name, line, vals[5])
		}
		if hasText {
			x.Reason = rec[text]
		}
		p = append(p, x)
	}
	if len(p) == 0 {
		return nil, fmt.Errorf("%s: no rows after the header", name)
	}
	return p, nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// LoadCSV reads a population file in the release's coefficient format.
func LoadCSV(path string) (Population, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadCSV(f, path)
}

// LoadRelease reads the pooled population of one scenario from the release's
// folder of coefficient files: coeff{E}_3.csv, coeff{E}_4.csv and
// coeff{E}_5.csv concatenated in that order (165 people for the study), with
// the scenario's private facts handed out by position within each group.
func LoadRelease(dir string, sc *scenario.Scenario) (Population, error) {
	var all Population
	for k, path := range ReleaseFiles(dir, sc) {
		size := k + 3
		p, err := LoadGroupsFile(path, size, sc)
		if err != nil {
			return nil, err
		}
		for _, g := range p {
			all = append(all, g...)
		}
	}
	return all, nil
}

// ReleaseFiles are the files LoadRelease reads for sc in dir: the
// release's coeff{E}_{N}.csv for groups of 3, 4 and 5.
func ReleaseFiles(dir string, sc *scenario.Scenario) []string {
	var out []string
	for _, size := range []int{3, 4, 5} {
		out = append(out, filepath.Join(dir, fmt.Sprintf("coeff%d_%d.csv", sc.ID, size)))
	}
	return out
}

// LoadGroupsFile reads one coeff{E}_{N}.csv file and splits it into its
// consecutive groups of size people; within each group, person k receives the
// scenario's fact k.
func LoadGroupsFile(path string, size int, sc *scenario.Scenario) ([]Population, error) {
	p, err := LoadCSV(path)
	if err != nil {
		return nil, err
	}
	groups, err := p.Groups(size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, g := range groups {
		for k := range g {
			g[k].Fact = sc.Fact(k)
		}
	}
	return groups, nil
}

// WriteCSV writes the population in the release's format (with the
// byte-order mark), so that files written here load in the release's scripts.
func WriteCSV(w io.Writer, p Population) error {
	if _, err := w.Write(bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write([]string{"a", "tau", "f", "lambda", "O_inital", "A_inital", "O_inital_text"})
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, x := range p {
		cw.Write([]string{g(x.A), g(x.Tau), g(x.F), g(x.Lambda), g(x.Opinion0), g(float64(x.Action0)) + ".0", x.Reason})
	}
	cw.Flush()
	return cw.Error()
}
