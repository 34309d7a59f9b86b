package host

import (
	"context"
	"strings"
	"testing"
)

// TestAssignmentsYaegiGetsWrong runs, as a script and as cells, the
// statements yaegi compiles but runs wrongly unless the host rewrites them
// (see assign.go); the expected output is go run's. The conformance
// program cmd/llmsam/testdata/conformance/assignments.go has every form.
func TestAssignmentsYaegiGetsWrong(t *testing.T) {
	decls := `func two() (int, error) { return 7, nil }

func afterEmptyLoop() int {
	for i := 0; i < 3; i++ {
	}
	return 1
}

func skipping() int {
	n := 0
	for i := 0; i < 6; i++ {
		i++
		n++
	}
	return n
}
`
	body := `var err error
m := map[string]int{}
m["k"], err = two()
ch := make(chan int, 1)
ch <- 3
select {
case m["sel"] = <-ch:
}
var last int
for last, m["v"] = range []int{4, 5} {
}
fmt.Println(m, err, last, afterEmptyLoop(), skipping())
`
	const want = "map[k:7 sel:3 v:5] <nil> 1 1 3\n"

	h, out := newHost(t)
	var indented []string
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		indented = append(indented, "\t"+l)
	}
	p := writeScript(t, "package main\n\nimport \"fmt\"\n\n"+decls+"\nfunc main() {\n"+strings.Join(indented, "\n")+"\n}\n")
	if err := h.RunFile(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != want {
		t.Errorf("script printed %q, want %q (go run's)", got, want)
	}

	for _, preload := range []bool{false, true} {
		h, out := newHost(t)
		if preload {
			if err := h.Preload(); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := h.RunCell(context.Background(), "cell 1", "import \"fmt\"\n"+decls); err != nil {
			t.Fatal(err)
		}
		if _, err := h.RunCell(context.Background(), "cell 2", body); err != nil {
			t.Fatal(err)
		}
		if got := out.String(); got != want {
			t.Errorf("cells (preloaded %v) printed %q, want %q (go run's)", preload, got, want)
		}
	}
}
