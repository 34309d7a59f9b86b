// Package spec lists the packages whose symbols the scripting host exposes
// to interpreted scripts, and generates their yaegi symbol tables. It is kept
// apart from the generated tables so that the generator still builds when
// the tables are stale.
package spec

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/traefik/yaegi/extract"
)

// Packages are the import paths exposed to scripts besides Go's standard
// library: every package of the project that scripts use, the gonum and
// gonum/plot packages scripts touch, and every package whose interfaces or
// types appear in their exported API (so that scripts can implement them).
var Packages = append(append([]string{}, Documented...),
	"gonum.org/v1/gonum/floats",
	"gonum.org/v1/gonum/mat",
	"gonum.org/v1/gonum/stat",
	"gonum.org/v1/plot",
	"gonum.org/v1/plot/font",
	"gonum.org/v1/plot/palette",
	"gonum.org/v1/plot/plotter",
	"gonum.org/v1/plot/plotutil",
	"gonum.org/v1/plot/text",
	"gonum.org/v1/plot/vg",
	"gonum.org/v1/plot/vg/draw",
)

// FileName returns the name of the generated file for an import path, e.g.
// "github_com-llmsam-llmsam-stdlib-netw.go".
func FileName(importPath string) string {
	return strings.NewReplacer("/", "-", ".", "_", "~", "_").Replace(importPath) + ".go"
}

// Generate returns the symbol table source for one import path, as
// `yaegi extract` writes it, in package symbols.
func Generate(importPath string) ([]byte, error) {
	ext := extract.Extractor{Dest: "symbols"}
	var buf bytes.Buffer
	if _, err := ext.Extract(importPath, "", &buf); err != nil {
		return nil, fmt.Errorf("extract %s: %w", importPath, err)
	}
	return buf.Bytes(), nil
}

// Name returns the package name an import path is known by in scripts.
func Name(importPath string) string { return path.Base(importPath) }
