package host

import (
	"context"
	"fmt"
	"go/parser"
	"io"
	"testing"

	"github.com/llmsam/llmsam/stdlib/protocol"
	"github.com/llmsam/llmsam/stdlib/theory"
)

// study101 is testdata/study101.go's main, compiled.
func study101(w io.Writer) {
	res, err := protocol.Large{Agents: theory.SAM{}, Seed: 1, Quiet: true}.Run()
	if err != nil {
		panic(err)
	}
	fmt.Fprintln(w, len(res.Runs["BA"]), "windows")
}

// BenchmarkStudy101 compares the larger-network study run as an
// interpreted script with the same code compiled, in the same run:
// "compiled" is the baseline; "interpreted" runs an already compiled
// script; "interpreted+startup" also creates the host and parses and
// compiles the script each time.
func BenchmarkStudy101(b *testing.B) {
	b.Run("compiled", func(b *testing.B) {
		for b.Loop() {
			study101(io.Discard)
		}
	})
	b.Run("interpreted", func(b *testing.B) {
		h, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		f, err := parser.ParseFile(h.in.FileSet(), "testdata/study101.go", nil, parser.ParseComments)
		if err != nil {
			b.Fatal(err)
		}
		prog, err := h.compile(f)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := h.run(context.Background(), prog); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("interpreted+startup", func(b *testing.B) {
		for b.Loop() {
			h, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
			if err := h.RunFile(context.Background(), "testdata/study101.go"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStartup is the REPL's start-up: a host with every package
// preloaded, ready for the first cell.
func BenchmarkStartup(b *testing.B) {
	for b.Loop() {
		h, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		if err := h.Preload(); err != nil {
			b.Fatal(err)
		}
	}
}
