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

// BenchmarkPositionRegister measures what recording each statement's
// position (so that a panic names its statement) costs on the worst case,
// a tight interpreted loop: "plain" compiles the script as parsed,
// "recorded" as RunFile prepares it. Report recorded/plain.
func BenchmarkPositionRegister(b *testing.B) {
	const src = "package main\n\nfunc main() {\n\ts := 0\n\tfor i := 0; i < 100000; i++ {\n\t\ts += i\n\t}\n\t_ = s\n}\n"
	for _, recorded := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "recorded"}[recorded]
		b.Run(name, func(b *testing.B) {
			h, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
			f, err := parser.ParseFile(h.in.FileSet(), "loop.go", src, 0)
			if err != nil {
				b.Fatal(err)
			}
			if recorded {
				h.prepare(f)
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
	}
}
