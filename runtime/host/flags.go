package host

import (
	"errors"
	"flag"
	"reflect"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// flagSymbols gives scripts a flag package bound to the script's own
// arguments (Options.Args), so that `llmsam script.go -n 5` and
// `go run script.go -n 5` parse the same flags. Every package-level function
// of flag that has a *FlagSet method of the same name is redirected to one
// FlagSet; flag.Parse parses Args[1:], exiting with status 2 on a bad flag
// and 0 after -h, as Go's flag.ExitOnError does.
func flagSymbols(args []string, stderr interface{ Write([]byte) (int, error) }) interp.Exports {
	name := "script"
	if len(args) > 0 {
		name = args[0]
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	syms := map[string]reflect.Value{}
	fsv := reflect.ValueOf(fs)
	for sym := range stdlib.Symbols["flag/flag"] {
		if m := fsv.MethodByName(sym); m.IsValid() && sym != "Parse" {
			syms[sym] = m
		}
	}
	syms["Parse"] = reflect.ValueOf(func() {
		var rest []string
		if len(args) > 1 {
			rest = args[1:]
		}
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				panic("os.Exit(0)")
			}
			panic("os.Exit(2)")
		}
	})
	syms["CommandLine"] = reflect.ValueOf(&fs).Elem()
	syms["Usage"] = reflect.ValueOf(&fs.Usage).Elem()
	return interp.Exports{"flag/flag": syms}
}
