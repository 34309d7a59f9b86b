package notebook

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/llmsam/llmsam/runtime/jupyter"
)

// IPYNB is a Jupyter notebook (nbformat 4) run headless: its code cells
// run in order in one executor, the same as the Jupyter kernel's, and their
// outputs and execution counts are written into the notebook, as Jupyter
// would save them.
type IPYNB struct {
	Path string
	doc  map[string]any   // the whole file, unknown fields kept
	cell []map[string]any // its cells
}

// ParseIPYNB reads a notebook; the error names the file and what is wrong.
func ParseIPYNB(path string, src []byte) (*IPYNB, error) {
	var doc map[string]any
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("%s: not a Jupyter notebook (JSON): %w", path, err)
	}
	if v, _ := doc["nbformat"].(float64); v != 4 {
		return nil, fmt.Errorf("%s: nbformat %v: want 4 (save it with a recent Jupyter)", path, doc["nbformat"])
	}
	list, ok := doc["cells"].([]any)
	if !ok {
		return nil, fmt.Errorf("%s: no \"cells\" list", path)
	}
	nb := &IPYNB{Path: path, doc: doc}
	for i, c := range list {
		m, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: cell %d: want an object", path, i+1)
		}
		if _, err := source(m); err != nil {
			return nil, fmt.Errorf("%s: cell %d: %w", path, i+1, err)
		}
		nb.cell = append(nb.cell, m)
	}
	return nb, nil
}

// source is a cell's text (nbformat allows a string or a list of lines).
func source(c map[string]any) (string, error) {
	switch s := c["source"].(type) {
	case string:
		return s, nil
	case []any:
		var b strings.Builder
		for _, l := range s {
			t, ok := l.(string)
			if !ok {
				return "", fmt.Errorf("source: want strings, found %T", l)
			}
			b.WriteString(t)
		}
		return b.String(), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("source: want a string or a list of strings, found %T", c["source"])
}

// Run runs the code cells in order and stores their outputs; it stops at
// the first failing cell unless opt.KeepGoing, clears the outputs of the
// cells it did not run, and returns the first error, naming its cell.
func (nb *IPYNB) Run(ctx context.Context, opt Options) error {
	// As in Jupyter, everything the cells print (also compiled code, through
	// os.Stdout and os.Stderr) goes into the notebook.
	ex, err := jupyter.New(jupyter.Options{Args: []string{nb.Path}, CaptureProcess: true})
	if err != nil {
		return err
	}
	defer ex.Close()
	var first error
	for i, c := range nb.cell {
		if c["cell_type"] != "code" {
			continue
		}
		if first != nil && !opt.KeepGoing || ctx.Err() != nil {
			c["outputs"], c["execution_count"] = []any{}, nil
			continue
		}
		code, _ := source(c)
		var outs outputs
		count, failed := ex.Run(ctx, code, true, outs.add)
		c["outputs"], c["execution_count"] = outs.list(), count
		if failed != nil && first == nil {
			first = fmt.Errorf("%s: cell %d (In [%d]): %s", nb.Path, i+1, count, strings.Join(failed.Traceback, "\n"))
		}
	}
	if first == nil && ctx.Err() != nil {
		first = fmt.Errorf("%s: interrupted", nb.Path)
	}
	meta, _ := nb.doc["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		nb.doc["metadata"] = meta
	}
	meta["kernelspec"] = map[string]any{"name": "llmsam", "display_name": "llmsam (Go)", "language": "go"}
	meta["language_info"] = map[string]any{"name": "go", "file_extension": ".go", "mimetype": "text/x-go", "pygments_lexer": "go", "codemirror_mode": "go"}
	return first
}

// Write saves the notebook as Jupyter does (sorted keys, one-space indent);
// cells without an id get one when the format (4.5 and later) wants it.
func (nb *IPYNB) Write(path string) error {
	minor, _ := nb.doc["nbformat_minor"].(float64)
	list := make([]any, len(nb.cell))
	for i, c := range nb.cell {
		if _, ok := c["id"]; !ok && minor >= 5 {
			c["id"] = fmt.Sprintf("cell-%d", i+1)
		}
		list[i] = c
	}
	nb.doc["cells"] = list
	b, err := json.MarshalIndent(nb.doc, "", " ")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// outputs collects a cell's outputs in nbformat: consecutive stream text of
// one stream in one output, display updates applied to the display they
// update.
type outputs struct {
	items    []map[string]any
	displays map[string]int // display id -> index in items
}

func (o *outputs) add(out jupyter.Output) {
	switch out.Type {
	case jupyter.StreamType:
		if n := len(o.items); n > 0 && o.items[n-1]["output_type"] == jupyter.StreamType && o.items[n-1]["name"] == out.Name {
			o.items[n-1]["text"] = o.items[n-1]["text"].(string) + out.Text
			return
		}
	case jupyter.UpdateDisplayType:
		if i, ok := o.displays[out.DisplayID]; ok {
			o.items[i]["data"] = out.Data
			o.items[i]["metadata"] = out.NBFormat()["metadata"]
		}
		return
	}
	if out.DisplayID != "" {
		if o.displays == nil {
			o.displays = map[string]int{}
		}
		o.displays[out.DisplayID] = len(o.items)
	}
	o.items = append(o.items, out.NBFormat())
}

// list returns the outputs with text split in lines, as Jupyter saves them.
func (o *outputs) list() []any {
	res := make([]any, len(o.items))
	for i, m := range o.items {
		if t, ok := m["text"].(string); ok {
			m["text"] = lines(t)
		}
		if d, ok := m["data"].(jupyter.Bundle); ok {
			for k, v := range d {
				if s, ok := v.(string); ok && (strings.HasPrefix(k, "text/") || k == "image/svg+xml") {
					d[k] = lines(s)
				}
			}
		}
		res[i] = m
	}
	return res
}

// lines splits text after each newline, keeping them (nbformat's
// multi-line strings).
func lines(s string) []string {
	out := []string{}
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}
