package repl

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestComplete(t *testing.T) {
	r := &REPL{}
	if err := r.reset(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.host.RunCell(context.Background(), "cell 1", "graphSize := 3\nimport \"encoding/json\""); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		line string
		want string
	}{
		{":lo", ":load "},
		{":re", ":reset "},
		{"x := graphS", "graphSize"},
		{"netw.Barab", "netw.BarabasiAlbert"},
		{"theory.ZY", "theory.ZYC2020"},
		{"json.Mars", "json.Marshal"},
		{"strings.ToUp", "strings.ToUpper"},
	} {
		head, got, _ := r.complete(tc.line, len(tc.line))
		if !slices.Contains(got, tc.want) || !strings.HasPrefix(tc.line, head) {
			t.Errorf("complete(%q) = %q, %v; want %q among the completions", tc.line, head, got, tc.want)
		}
	}
}

func TestCommands(t *testing.T) {
	var out strings.Builder
	r := &REPL{out: &out}
	if err := r.reset(); err != nil {
		t.Fatal(err)
	}
	r.out = &out
	r.runCell("v := 41\n")
	r.command(":help")
	r.command(":vars")
	r.command(":doc sim.Study")
	r.command(":doc nothing.here")
	r.command(":load")
	r.command(":bogus")
	r.command(":reset")
	r.command(":vars")
	r.command(":quit")
	text := out.String()
	for _, want := range []string{":load FILE.go", "  v              int", "type Study struct", "no documentation for nothing.here",
		"usage: :load FILE.go", "unknown command :bogus", "session reset", "no names declared yet"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if !r.quit {
		t.Error(":quit did not end the session")
	}
}
