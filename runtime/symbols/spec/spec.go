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

	"github.com/llmsam/llmsam/runtime/symbols/packages"
)

// Packages are the import paths whose symbol tables are generated (see
// package packages, which holds the list).
var Packages = packages.All

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
