package host

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func newHost(t *testing.T, args ...string) (*Host, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	h, err := New(Options{Stdout: &out, Stderr: &out, Args: append([]string{"script.go"}, args...)})
	if err != nil {
		t.Fatal(err)
	}
	return h, &out
}

func writeScript(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "script.go")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunFileWithFlagsAndStdlib(t *testing.T) {
	h, out := newHost(t, "-n", "30")
	p := writeScript(t, `//go:build ignore

package main

import (
	"flag"
	"fmt"

	"github.com/llmsam/llmsam/stdlib/netw"
)

func main() {
	n := flag.Int("n", 10, "nodes")
	flag.Parse()
	g, err := netw.BarabasiAlbert(*n, 2, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(g)
}
`)
	if err := h.RunFile(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "undirected graph: 30 nodes, 56 edges\n" {
		t.Fatalf("output %q", got)
	}
}

func TestRunFileErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
		exit            int
	}{
		{"compile error", "package main\n\nfunc main() {\n\tvar x int = \"s\"\n\t_ = x\n}\n", "script.go:4:14: ", -1},
		{"syntax error", "package main\n\nfunc main() {\n\tx := \n}\n", "script.go:5:1: expected operand", -1},
		{"panic", "package main\n\nfunc main() {\n\tvar m map[string]int\n\tm[\"a\"] = 1\n}\n", "panic: assignment to entry in nil map", -1},
		{"exit", "package main\n\nimport \"os\"\n\nfunc main() {\n\tos.Exit(3)\n}\n", "", 3},
		{"goroutine panic", "package main\n\nimport \"time\"\n\nfunc boom(s string) { panic(s) }\n\nfunc main() {\n\tgo boom(\"in goroutine\")\n\ttime.Sleep(5 * time.Second)\n}\n", "panic in goroutine started at ", -1},
	}
	for _, tc := range cases {
		h, _ := newHost(t)
		p := writeScript(t, tc.src)
		start := time.Now()
		err := h.RunFile(context.Background(), p)
		var exit ExitError
		switch {
		case tc.exit >= 0:
			if !errors.As(err, &exit) || exit.Code != tc.exit {
				t.Errorf("%s: error %v, want exit %d", tc.name, err, tc.exit)
			}
		case err == nil || !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if tc.name == "goroutine panic" {
			if !strings.Contains(err.Error(), "script.go:8:2: in goroutine") {
				t.Errorf("goroutine panic should name the go statement's position: %v", err)
			}
			if time.Since(start) > 3*time.Second {
				t.Errorf("goroutine panic should end the script at once, not after its sleep")
			}
		}
	}
}

func TestCells(t *testing.T) {
	h, out := newHost(t)
	if err := h.Preload(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run := func(name, src string) Result {
		t.Helper()
		r, err := h.RunCell(ctx, name, src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return r
	}
	run("cell 1", "import \"strings\"\nfunc double(x int) int { return 2 * x }\nx := double(21)\nx")
	if r := run("cell 2", "x + 1"); r.String() != "43 (int)" {
		t.Fatalf("x + 1 = %q", r.String())
	}
	if r := run("cell 3", "fmt.Println(strings.ToUpper(\"hi\"))"); r.Show {
		t.Fatalf("a Println call should not print its result, got %q", r.String())
	}
	r := run("cell 4", "func main() { fmt.Println(\"main ran\") }")
	if len(r.Notes) == 0 {
		t.Fatal("no note about the renamed main")
	}
	run("cell 5", "y := 1")
	if strings.Contains(out.String(), "main ran") {
		t.Fatal("a func main declared in a cell ran implicitly")
	}
	run("cell 6", "scriptMain()")
	if strings.Count(out.String(), "main ran") != 1 {
		t.Fatalf("scriptMain ran %d times", strings.Count(out.String(), "main ran"))
	}
	if r := run("cell 7", "g, _ := netw.BarabasiAlbert(50, 3, 1)\ng.Edges()"); r.String() != "141 (int)" {
		t.Fatalf("preloaded netw: %q", r.String())
	}
	_, err := h.RunCell(ctx, "cell 8", "a := 1\n\nb := undefinedThing + a")
	if err == nil || err.Error() != "cell 8:3:6: undefined: undefinedThing" {
		t.Fatalf("error %v, want cell 8:3:6: undefined: undefinedThing", err)
	}
	// A definition yaegi's global analysis cannot type runs all the same.
	run("cell 9", "r, _ := sim.Run(sim.Study{Network: g, People: pop.MustSynthetic(scenario.FiveG(), 50, 1), Agents: theory.SAM{}, Quiet: true})")
	if r := run("cell 10", "last := r.Metrics()[0][2]\nlast.Adoption >= 0"); r.String() != "true (bool)" {
		t.Fatalf("indexing a method result at the top level: %q", r.String())
	}
	names := strings.Join(h.Names(), " ")
	for _, n := range []string{"double", "x", "g", "scriptMain", "y"} {
		if !strings.Contains(" "+names+" ", " "+n+" ") {
			t.Errorf("names %q lack %s", names, n)
		}
	}
}

func TestCellGoroutinePanicAndCancel(t *testing.T) {
	h, _ := newHost(t)
	h.Preload()
	_, err := h.RunCell(context.Background(), "cell 1", "go func() { panic(\"boom\") }()\ntime.Sleep(5 * time.Second)")
	if err == nil || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "cell 1:1:1") {
		t.Fatalf("error %v, want the goroutine's panic at cell 1:1:1", err)
	}
	// An index past the end in a goroutine is said as Go says it.
	_, err = h.RunCell(context.Background(), "cell 1b", "go func() { var s []int; _ = s[1] }()\ntime.Sleep(5 * time.Second)")
	if err == nil || !strings.Contains(err.Error(), "runtime error: index out of range") {
		t.Errorf("error %v, want Go's message for an index out of range", err)
	}
	// The host survives and runs the next cell.
	if r, err := h.RunCell(context.Background(), "cell 2", "1 + 1"); err != nil || r.String() != "2 (int)" {
		t.Fatalf("after a goroutine panic: %v %v", r, err)
	}
	// Cancelling a long stdlib run returns promptly.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = h.RunCell(ctx, "cell 3", `g, _ := netw.BarabasiAlbert(2000, 3, 1)
people := pop.MustSynthetic(scenario.Dishwasher(), 2000, 1)
_, err := sim.Run(sim.Study{Network: g, People: people, Agents: theory.ZYC2020{Beta: 20, Lambda: 0.5, TicksPerStep: 1000000}, Steps: 1000, Quiet: true})
err`)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
		t.Fatalf("error %v after %v, want a prompt cancellation", err, time.Since(start))
	}
}

func TestIncomplete(t *testing.T) {
	for src, want := range map[string]bool{
		"x := 1":               false,
		"for i := range 3 {":   true,
		"func f() {\n\treturn": true,
		"s := `raw":            true,
		"fmt.Println(1,":       true,
		"import (\n\"fmt\"":    true,
		"x := 1 +":             true,
		"if x {\n} else {\n}":  false,
		"y := )":               false,
	} {
		if got := Incomplete(src); got != want {
			t.Errorf("Incomplete(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestTranscriptRuns(t *testing.T) {
	h, _ := newHost(t)
	h.Preload()
	for i, src := range []string{"func sq(x float64) float64 { return x * x }", "v := sq(3)", "fmt.Println(v, math.Sqrt(v))", "err := errors.Unwrap(errors.New(\"x\"))", "err"} {
		if _, err := h.RunCell(context.Background(), "cell", src); err != nil {
			t.Fatalf("cell %d: %v", i, err)
		}
	}
	p := writeScript(t, h.Transcript())
	h2, out := newHost(t)
	if err := h2.RunFile(context.Background(), p); err != nil {
		t.Fatalf("transcript does not run: %v\n%s", err, h.Transcript())
	}
	if out.String() != "9 3\n" {
		t.Fatalf("transcript output %q", out.String())
	}
	// A nil error the session showed keeps its type (an any would lose it).
	if !strings.Contains(h.Transcript(), `display.ShowAs(err, "error")`) {
		t.Errorf("the transcript does not show err as the session did:\n%s", h.Transcript())
	}
}

// A function redefined and a cell run again leave one declaration of each
// name in the transcript: `go run` refuses a name declared twice.
func TestTranscriptRedefined(t *testing.T) {
	h, _ := newHost(t)
	h.Preload()
	for i, src := range []string{
		"func k() int { return 1 }",
		"func k() int { return 2 }",
		"type T struct{ A int }\n// M is A.\nfunc (t T) M() int { return t.A }",
		"type T struct{ A int }\n// M is A.\nfunc (t T) M() int { return t.A }",
		"var n = 3; func keep() int { return n }",
		"fmt.Println(k(), T{3}.M(), keep())",
	} {
		if _, err := h.RunCell(context.Background(), "cell", src); err != nil {
			t.Fatalf("cell %d: %v", i, err)
		}
	}
	src := h.Transcript()
	for _, decl := range []string{"func k()", "type T struct", "func (t T) M()", "// M is A.", "var n = 3", "func keep()"} {
		if c := strings.Count(src, decl); c != 1 {
			t.Errorf("%q %d times in the transcript:\n%s", decl, c, src)
		}
	}
	if strings.Contains(src, "return 1") {
		t.Errorf("the first definition of k kept:\n%s", src)
	}
	h2, out := newHost(t)
	if err := h2.RunFile(context.Background(), writeScript(t, src)); err != nil {
		t.Fatalf("transcript does not run: %v\n%s", err, src)
	}
	if out.String() != "2 3 3\n" {
		t.Fatalf("transcript output %q", out.String())
	}
}

// A panic before any statement ran (yaegi accepts `var f float64 = true`
// and fails when it runs it) names the script file, or the cell and the
// line of the declaration.
func TestPanicWithoutStatementPosition(t *testing.T) {
	h, _ := newHost(t)
	p := writeScript(t, "package main\n\nimport \"fmt\"\n\nvar f float64 = true\n\nfunc main() {\n\tfmt.Println(f)\n}\n")
	err := h.RunFile(context.Background(), p)
	var pe PanicError
	if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), p+": panic: ") {
		t.Errorf("script: %v, want a panic naming %s", err, p)
	}
	h2, _ := newHost(t)
	h2.Preload()
	_, err = h2.RunCell(context.Background(), "cell 4", "x := 1\nvar f float64 = true")
	if err == nil || !strings.HasPrefix(err.Error(), "cell 4:2:1: panic: ") {
		t.Errorf("cell: %v, want a panic at cell 4:2:1", err)
	}
}

// Type errors name the basic types as Go does, not by yaegi's categories
// (stringT, intT).
func TestTypeErrorNames(t *testing.T) {
	h, _ := newHost(t)
	h.Preload()
	_, err := h.RunCell(context.Background(), "cell 1", `func g() int { return "a" }`)
	if err == nil || !strings.Contains(err.Error(), "(type string) as type int") {
		t.Errorf("%v, want string and int named as in Go", err)
	}
	p := writeScript(t, "package main\n\nfunc g() int { return \"a\" }\n\nfunc main() {\n\tg()\n}\n")
	err = h.RunFile(context.Background(), p)
	if err == nil || !strings.Contains(err.Error(), p+":3:23: cannot use \"a\" (type string) as type int") {
		t.Errorf("script: %v, want string and int named as in Go", err)
	}
}
