package host

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func preloaded(t *testing.T) (*Host, *strings.Builder) {
	t.Helper()
	var out strings.Builder
	h, err := New(Options{Stdout: &out, Stderr: &out, Args: []string{"repl"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Preload(); err != nil {
		t.Fatal(err)
	}
	return h, &out
}

// TestStatementForms runs, one cell each, the statement forms that the
// old semicolon splitter broke, and checks what they print.
func TestStatementForms(t *testing.T) {
	h, out := preloaded(t)
	for _, tc := range []struct{ src, want string }{
		{"for i := 0; i < 3; i++ {\n\tfmt.Print(i)\n}", "012"},
		{"f := func() int { return 2 }\nif x := f(); x > 0 {\n\tfmt.Print(\"pos\", x)\n}", "pos2"},
		{"switch x := f(); x {\ncase 2:\n\tfmt.Print(\"two\")\n}", "two"},
		{"var e any = 3\nswitch v := e.(type) {\ncase int:\n\tfmt.Print(\"int\", v)\n}", "int3"},
		{"j := 0\nagain:\nj++\nif j < 3 {\n\tgoto again\n}\nfmt.Print(\"j\", j)", "j3"},
		{"L:\nfor i := 0; i < 3; i++ {\n\tif i == 1 {\n\t\tcontinue L\n\t}\n\tfmt.Print(i)\n}", "02"},
		{"ch := make(chan int, 1)\nch <- 4\nselect {\ncase v := <-ch:\n\tfmt.Print(\"sel\", v)\ndefault:\n}", "sel4"},
		{"fmt.Print(\n\t1,\n\t2,\n)", "1 2"},
		{"xs := []int{\n\t1,\n\t2,\n}\nfmt.Print(len(xs))", "2"},
		{"fmt.Print(strings.NewReplacer(\"a\", \"b\").\n\tReplace(\"aa\"))", "bb"},
		{"fmt.Print(`raw\nstring`)", "raw\nstring"},
		{"defer fmt.Print(\"d1\")\ndefer fmt.Print(\"d2\")\nfmt.Print(\"body\")", "bodyd2d1"},
		{"func() { defer fmt.Print(\"in\"); fmt.Print(\"lit\") }()", "litin"},
		{"x := 1; y := 2; fmt.Print(x + y)", "3"},
	} {
		out.Reset()
		if _, err := h.RunCell(context.Background(), "cell", tc.src); err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if out.String() != tc.want {
			t.Errorf("%q printed %q, want %q", tc.src, out.String(), tc.want)
		}
	}
	// A deferred call runs once, when its cell ends, not after later cells.
	out.Reset()
	h.RunCell(context.Background(), "cell", "fmt.Print(\"later\")")
	if out.String() != "later" {
		t.Errorf("a later cell printed %q", out.String())
	}
}

func TestCompleteness(t *testing.T) {
	for src, want := range map[string]Completeness{
		"x := 1":                          InputComplete,
		"for i := 0; i < 3; i++ {":        InputIncomplete,
		"if x := f(); x > 0 {":            InputIncomplete,
		"switch x := f(); x {":            InputIncomplete,
		"run, err := sim.Run(sim.Study{":  InputIncomplete,
		"sim.Run(sim.Study{\n\tSteps: 3,": InputIncomplete,
		"x := strings.\n":                 InputIncomplete,
		"s := `raw":                       InputIncomplete,
		"/* comment":                      InputIncomplete,
		"L:":                              InputIncomplete,
		"func (t T) M() {":                InputIncomplete,
		"x := 1 +":                        InputIncomplete,
		"y := )":                          InputInvalid,
		"}":                               InputInvalid,
		"x := 1 }":                        InputInvalid,
		"for i := 0; i < 3; i++ {\n}":     InputComplete,
	} {
		if got, _ := CheckComplete(src); got != want {
			t.Errorf("CheckComplete(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestCellErrors(t *testing.T) {
	h, _ := preloaded(t)
	ctx := context.Background()
	_, err := h.RunCell(ctx, "cell 1", "var q int = \"a\"")
	var ce *CompileError
	if !errors.As(err, &ce) || ce.Pos != (Position{"cell 1", 1, 13}) || !strings.Contains(ce.Msg, "cannot") || strings.Contains(ce.Msg, "main") {
		t.Fatalf("var q int = \"a\": %v, want a type mismatch at cell 1:1:13", err)
	}
	// The failed name is not left behind.
	if _, err := h.RunCell(ctx, "cell 2", "q + 1"); err == nil || !strings.Contains(err.Error(), "undefined: q") {
		t.Errorf("using a name whose declaration failed: %v", err)
	}
	if _, err := h.RunCell(ctx, "cell 3", "var q int = 3"); err != nil {
		t.Errorf("declaring it again: %v", err)
	}
	// A type error inside a function body names the line in the cell.
	_, err = h.RunCell(ctx, "cell 4", "func g() int {\n\tvar s string = 1\n\treturn 0\n}")
	if !errors.As(err, &ce) || ce.Pos.Line != 2 || ce.Pos.File != "cell 4" {
		t.Errorf("type error in a body: %v", err)
	}
	// Methods cannot be replaced: say so, with the workaround.
	h.RunCell(ctx, "cell 5", "type T struct{ A []int }\nfunc (t T) M() int { return len(t.A) }")
	_, err = h.RunCell(ctx, "cell 6", "func (t T) M() int { return 2 }")
	if err == nil || !strings.Contains(err.Error(), "cannot replace a method") || !strings.Contains(err.Error(), "cell 5") {
		t.Errorf("redefining a method: %v", err)
	}
	// Nor types.
	_, err = h.RunCell(ctx, "cell 6b", "type T struct{ B int }")
	if err == nil || !strings.Contains(err.Error(), "cannot replace a type") || !strings.Contains(err.Error(), "cell 6b:1:6") {
		t.Errorf("redeclaring a type: %v", err)
	}
	// The same declarations run again (a notebook cell re-run) are fine.
	if _, err := h.RunCell(ctx, "cell 6c", "type T struct{ A []int }\nfunc (t T) M() int { return len(t.A) }"); err != nil {
		t.Errorf("running a type's cell again unchanged: %v", err)
	}
	// A method typed before its type is attached to nothing: once the type
	// exists, it can be declared.
	if _, err := h.RunCell(ctx, "cell 6h", "func (u U) N() int { return 1 }"); err == nil || strings.Contains(err.Error(), "keeps the failed method") {
		t.Errorf("a method of an undeclared type: %v", err)
	}
	h.RunCell(ctx, "cell 6i", "type U struct{}")
	if _, err := h.RunCell(ctx, "cell 6j", "func (u U) N() int { return 1 }"); err != nil {
		t.Errorf("declaring the method once its type exists: %v", err)
	}
	// Also a method in a cell of its own.
	h.RunCell(ctx, "cell 6f", "func (t T) Len() int { return len(t.A) }")
	if _, err := h.RunCell(ctx, "cell 6g", "func (t T) Len() int { return len(t.A) }"); err != nil {
		t.Errorf("running a method's cell again unchanged: %v", err)
	}
	// A failed cell leaves none of its names behind.
	_, err = h.RunCell(ctx, "cell 6d", "early := 1\nlate := early + \"s\"")
	if err == nil {
		t.Fatal("early + \"s\" compiled")
	}
	if _, err := h.RunCell(ctx, "cell 6e", "early"); err == nil || !strings.Contains(err.Error(), "undefined: early") {
		t.Errorf("a name from a failed cell: %v", err)
	}
	// Functions can be redefined.
	h.RunCell(ctx, "cell 7", "func k() int { return 1 }")
	h.RunCell(ctx, "cell 8", "func k() int { return 2 }")
	if r, err := h.RunCell(ctx, "cell 9", "k()"); err != nil || r.String() != "2 (int)" {
		t.Errorf("redefined function: %v %v", r.String(), err)
	}
	// A syntax error names the cell's line.
	_, err = h.RunCell(ctx, "cell 10", "x := 1\ny := )")
	if !errors.As(err, &ce) || ce.Pos.Line != 2 {
		t.Errorf("syntax error: %v", err)
	}
	// A run-time panic names the cell, line and column, and the function.
	h.RunCell(ctx, "cell 11", "xs := []int{1, 2}\nfunc at(i int) int {\n\treturn xs[i]\n}")
	_, err = h.RunCell(ctx, "cell 12", "at(5)")
	var pe PanicError
	if !errors.As(err, &pe) || pe.Pos != (Position{"cell 11", 3, 2}) || !strings.Contains(pe.Msg, "index out of range") ||
		!strings.Contains(err.Error(), "in main.at") {
		t.Errorf("panic: %#v\n%v", pe, err)
	}
}

func TestDisplay(t *testing.T) {
	h, _ := preloaded(t)
	ctx := context.Background()
	for _, tc := range []struct{ src, want string }{
		{"func hello() {}\nhello()", ""},
		{"xs := []int{3, 1, 2}\nsort.Ints(xs)", ""},
		{"sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })", ""},
		{"xs", "[]int len 3: [1 2 3]"},
		{"make([]int, 25)", "[]int len 25: [0 0 0 0 0 0 0 0 0 0 ... 15 more]"},
		{"\"hi\"", `"hi" (string)`},
		{"3.5", "3.5 (float64)"},
		{"strings.Repeat(\"a\", 500)", `"` + strings.Repeat("a", 200) + `"... (500 bytes) (string)`},
		{"pop.MustSynthetic(scenario.Dishwasher(), 10, 1)", "pop.Population: 10 people"},
		{"netw.Complete(4)", "undirected graph: 4 nodes, 6 edges"},
		{"errors.New(\"bad\")", "bad"},
		{"err := errors.Unwrap(errors.New(\"bad\"))\nerr", "<nil> (error)"},
		{"var none *history.Run\nnone", "<nil> (*history.Run)"},
		{"errors.Unwrap(errors.New(\"bad\"))", ""}, // a call that returns nil: nothing
		{"type rect struct{ w, h float64 }\nrect{2, 3}", "rect{w: 2, h: 3}"},
		{"[]rect{{1, 1}}", "[]rect len 1: [rect{w: 1, h: 1}]"},
	} {
		r, err := h.RunCell(ctx, "cell", tc.src)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if got := r.String(); (tc.want == "" && got != "") || !strings.HasPrefix(got, tc.want) || (got == "") == r.Show {
			t.Errorf("%q displays %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestExecAndCompletion(t *testing.T) {
	h, _ := preloaded(t)
	ctx := context.Background()
	fig := filepath.Join(t.TempDir(), "fig.png")
	oc := h.Exec(ctx, Cell{Name: "cell 1", Source: `g, _ := netw.BarabasiAlbert(30, 2, 1)
run, _ := sim.Run(sim.Study{Network: g, People: pop.MustSynthetic(scenario.Dishwasher(), 30, 1), Agents: theory.SAM{}, Quiet: true})
fmt.Println("ran")
plots.Trajectories(run).Save("` + fig + `")
g.Edges()`})
	if oc.Err != nil || oc.Stdout != "ran\n" || oc.Display != "56 (int)" || !slices.Equal(oc.Figures, []string{fig}) {
		t.Fatalf("Exec: %+v", oc)
	}
	oc = h.Exec(ctx, Cell{Name: "nb.md", FirstLine: 10, Source: "x := 1\nx.Bad()"})
	var ce *CompileError
	if !errors.As(oc.Err, &ce) || ce.Pos.File != "nb.md" || ce.Pos.Line != 11 {
		t.Errorf("Exec error: %v", oc.Err)
	}
	for _, tc := range []struct{ src, want string }{
		{"run.Man", "run.Manifest"},
		{"run.Manifest.Mod", "run.Manifest.Model"},
		{"run.Sa", "run.Save"},
		{"x := g.Ed", "g.Edges"},
		{"netw.Barab", "netw.BarabasiAlbert"},
		{"ru", "run"},
	} {
		start, cands := h.Complete(tc.src, len(tc.src))
		if !slices.Contains(cands, tc.want) || start > len(tc.src) {
			t.Errorf("Complete(%q) = %d %v, want %q", tc.src, start, cands, tc.want)
		}
	}
	if d, ok := h.Doc("history.Run"); !ok || !strings.Contains(d, "Methods:") || !strings.Contains(d, "func (r *Run) Save(dir string) error") {
		t.Errorf(":doc history.Run lacks its methods:\n%s", d)
	}
	if d, ok := h.Doc("run"); !ok || !strings.Contains(d, "run is a *history.Run") {
		t.Errorf(":doc of a session value: %s", d)
	}
}

// TestPastedProgram: a whole program pasted as a cell runs its
// declarations; its package clause is set aside with a note.
func TestPastedProgram(t *testing.T) {
	h, out := preloaded(t)
	r, err := h.RunCell(context.Background(), "cell 1", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"pasted\")\n}\n")
	if err != nil || len(r.Notes) != 2 {
		t.Fatalf("%v %v", r.Notes, err)
	}
	if _, err := h.RunCell(context.Background(), "cell 2", "scriptMain()"); err != nil || out.String() != "pasted\n" {
		t.Fatalf("%q %v", out.String(), err)
	}
}
