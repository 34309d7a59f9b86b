// Package packages lists the packages the scripting host makes importable
// by interpreted scripts. It is kept apart from the symbol generator
// (package spec, which needs yaegi's extract and go/build) so that the
// llmsam binary, which needs only the list, does not link the generator.
package packages

// Documented are the project's own packages: their documentation is
// generated for the REPL's :doc, and REPL and notebook sessions import
// them before the first cell.
var Documented = []string{
	"github.com/llmsam/llmsam/plots",
	"github.com/llmsam/llmsam/runtime/display",
	"github.com/llmsam/llmsam/stdlib/agent",
	"github.com/llmsam/llmsam/stdlib/calibrate",
	"github.com/llmsam/llmsam/stdlib/flagcheck",
	"github.com/llmsam/llmsam/stdlib/history",
	"github.com/llmsam/llmsam/stdlib/llm",
	"github.com/llmsam/llmsam/stdlib/llmagent",
	"github.com/llmsam/llmsam/stdlib/metrics",
	"github.com/llmsam/llmsam/stdlib/netw",
	"github.com/llmsam/llmsam/stdlib/papers",
	"github.com/llmsam/llmsam/stdlib/pop",
	"github.com/llmsam/llmsam/stdlib/protocol",
	"github.com/llmsam/llmsam/stdlib/scenario",
	"github.com/llmsam/llmsam/stdlib/sim",
	"github.com/llmsam/llmsam/stdlib/theory",
}

// All are the import paths exposed to scripts besides Go's standard
// library: the Documented packages, the gonum and gonum/plot packages
// scripts touch, and every package whose interfaces or types appear in
// their exported API (so that scripts can implement them).
var All = append(append([]string{}, Documented...),
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
