package plots

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
)

// Table is a small results table written as CSV (for analysis) and
// Markdown (for reading and for papers).
type Table struct {
	Title  string
	Header []string
	Rows   [][]string
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// Markdown renders the table as a Markdown pipe table under its title.
func (t *Table) Markdown() string {
	var b strings.Builder
	if t.Title != "" {
		b.WriteString("## " + t.Title + "\n\n")
	}
	row := func(cells []string) {
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	row(t.Header)
	sep := make([]string, len(t.Header))
	for i := range sep {
		sep[i] = "---"
	}
	row(sep)
	for _, r := range t.Rows {
		row(r)
	}
	return b.String()
}

// Save writes base.csv and base.md and returns their paths.
func (t *Table) Save(base string) ([]string, error) {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(base + ".csv")
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(f)
	w.Write(t.Header)
	w.WriteAll(t.Rows)
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := w.Error(); err != nil {
		return nil, err
	}
	if err := os.WriteFile(base+".md", []byte(t.Markdown()), 0o644); err != nil {
		return nil, err
	}
	return []string{base + ".csv", base + ".md"}, nil
}
