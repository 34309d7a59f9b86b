package symbols

import (
	"bytes"
	"os"
	"testing"

	"github.com/llmsam/llmsam/runtime/symbols/spec"
)

// TestSymbolsUpToDate regenerates every symbol table and the docs and
// compares them with the committed files: run `go generate
// ./runtime/symbols` after changing an exported API.
func TestSymbolsUpToDate(t *testing.T) {
	check := func(name string, want []byte) {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: %v (run go generate ./runtime/symbols)", name, err)
			return
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./runtime/symbols", name)
		}
	}
	docs, err := spec.GenerateDocs(".")
	if err != nil {
		t.Fatal(err)
	}
	check("docs.go", docs)
	for _, p := range spec.Packages {
		src, err := spec.Generate(p)
		if err != nil {
			t.Fatal(err)
		}
		check(spec.FileName(p), src)
	}
}

func TestEveryPackageLoaded(t *testing.T) {
	for _, p := range spec.Packages {
		if _, ok := Symbols[p+"/"+spec.Name(p)]; !ok {
			t.Errorf("no symbols for %s", p)
		}
	}
	if Docs["netw.BarabasiAlbert"] == "" || Docs["sim.Study"] == "" {
		t.Error("docs lack netw.BarabasiAlbert or sim.Study")
	}
}
