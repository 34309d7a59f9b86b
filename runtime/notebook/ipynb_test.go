package notebook

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/runtime/jupyter"
)

func TestIPYNB(t *testing.T) {
	src := `{"cells": [
 {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n"]},
 {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["x := 2\n", "fmt.Println(\"x is\", x)\n", "fmt.Println(\"again\")\n", "x * 21"]},
 {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "plots.Trajectories(must(sim.Run(sim.Study{Network: netw.Complete(4), People: pop.MustSynthetic(scenario.Dishwasher(), 4, 1), Agents: theory.SAM{}, Steps: 3, Seed: 1})))"},
 {"cell_type": "code", "execution_count": 7, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "stale"}], "source": "y := x + nothing"},
 {"cell_type": "code", "execution_count": 8, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "stale"}], "source": "x"}
 ],
 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
	// must is declared by a first cell the test adds, to keep the JSON short
	var doc map[string]any
	if err := json.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	cells := doc["cells"].([]any)
	doc["cells"] = append([]any{map[string]any{"cell_type": "code", "metadata": map[string]any{}, "outputs": []any{}, "execution_count": nil,
		"source": "func must(r *history.Run, err error) *history.Run {\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\treturn r\n}"}}, cells...)
	b, _ := json.Marshal(doc)
	path := filepath.Join(t.TempDir(), "nb.ipynb")
	nb, err := ParseIPYNB(path, b)
	if err != nil {
		t.Fatal(err)
	}
	err = nb.Run(context.Background(), Options{})
	if err == nil || !strings.Contains(err.Error(), "nb.ipynb: cell 5 (In [4]): cell 4:1:10: undefined: nothing") {
		t.Fatalf("error %v, want the failing cell and its position", err)
	}
	if err := nb.Write(path); err != nil {
		t.Fatal(err)
	}
	out, _ := os.ReadFile(path)
	var got struct {
		Cells []struct {
			ID      string           `json:"id"`
			Count   *int             `json:"execution_count"`
			Outputs []map[string]any `json:"outputs"`
		} `json:"cells"`
		Metadata map[string]any `json:"metadata"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	c := got.Cells[2]
	if len(c.Outputs) != 2 || *c.Count != 2 {
		t.Fatalf("cell 3: %v", c.Outputs)
	}
	if s, _ := json.Marshal(c.Outputs[0]); string(s) != `{"name":"stdout","output_type":"stream","text":["x is 2\n","again\n"]}` {
		t.Errorf("stream output %s", s)
	}
	if s, _ := json.Marshal(c.Outputs[1]); string(s) != `{"data":{"text/plain":["42 (int)"]},"execution_count":2,"metadata":{},"output_type":"execute_result"}` {
		t.Errorf("result %s", s)
	}
	if data, _ := got.Cells[3].Outputs[0]["data"].(map[string]any); data == nil || data["image/png"] == nil {
		t.Errorf("figure cell: %v", got.Cells[3].Outputs)
	}
	if o := got.Cells[4].Outputs; len(o) != 1 || o[0]["output_type"] != "error" || o[0]["ename"] != "CompileError" {
		t.Errorf("failing cell: %v", o)
	}
	if o := got.Cells[5]; len(o.Outputs) != 0 || o.Count != nil {
		t.Errorf("the cell after the failure kept outputs %v, count %v", o.Outputs, o.Count)
	}
	for i, c := range got.Cells {
		if c.ID == "" {
			t.Errorf("cell %d has no id (nbformat 4.5)", i+1)
		}
	}
	if ks, _ := got.Metadata["kernelspec"].(map[string]any); ks["name"] != "llmsam" {
		t.Errorf("metadata %v", got.Metadata)
	}
}

func TestIPYNBBadInput(t *testing.T) {
	for src, want := range map[string]string{
		`{"cells": [`:                                 "bad.ipynb: not a Jupyter notebook",
		`{"nbformat": 3, "cells": []}`:                "bad.ipynb: nbformat 3: want 4",
		`{"nbformat": 4}`:                             `bad.ipynb: no "cells" list`,
		`{"nbformat": 4, "cells": [{"source": 3}]}`:   "bad.ipynb: cell 1: source: want a string or a list of strings",
		`{"nbformat": 4, "cells": [{"source": [1]}]}`: "bad.ipynb: cell 1: source: want strings",
	} {
		if _, err := ParseIPYNB("bad.ipynb", []byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}

// TestStudyNotebook runs examples/study.ipynb headless, as `llmsam run`
// does, and checks that every code cell ran and that the figures are there.
func TestStudyNotebook(t *testing.T) {
	path := "../../examples/study.ipynb"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := ParseIPYNB(path, src)
	if err != nil {
		t.Fatal(err)
	}
	if err := nb.Run(context.Background(), Options{}); err != nil {
		t.Fatal(err)
	}
	images := 0
	for _, c := range nb.cell {
		if c["cell_type"] != "code" {
			continue
		}
		if c["execution_count"] == nil {
			t.Errorf("a code cell did not run: %v", c["source"])
		}
		for _, o := range c["outputs"].([]any) {
			if d, ok := o.(map[string]any)["data"].(jupyter.Bundle); ok && d["image/png"] != nil {
				images++
			}
		}
	}
	if images != 2 {
		t.Errorf("%d figures, want 2", images)
	}
}
