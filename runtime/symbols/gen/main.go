// Command gen writes the yaegi symbol tables of runtime/symbols (one file per
// package listed in spec.Packages) and docs.go, the documentation the REPL's
// :doc shows. Run it with `go generate ./runtime/symbols`.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/llmsam/llmsam/runtime/symbols/spec"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	docs, err := spec.GenerateDocs(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(filepath.Join(dir, "docs.go"), docs, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	for _, p := range spec.Packages {
		src, err := spec.Generate(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(filepath.Join(dir, spec.FileName(p)), src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
