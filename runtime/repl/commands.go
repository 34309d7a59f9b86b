package repl

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/llmsam/llmsam/runtime/symbols"
)

// commands lists the REPL's commands with their help, in display order.
var commands = []struct{ name, args, help string }{
	{":help", "", "show this help"},
	{":load", "FILE.go", "run a Go file in the session (its func main runs once; its declarations stay)"},
	{":save", "FILE.go", "write the session so far as a runnable script"},
	{":vars", "", "list the names the session declared, with their types and values"},
	{":doc", "NAME", "show the documentation of a package or name, e.g. :doc netw.BarabasiAlbert"},
	{":reset", "", "start a fresh session (forget every name)"},
	{":quit", "", "leave (or Ctrl-D)"},
}

func (r *REPL) command(line string) {
	fields := strings.Fields(line)
	name, args := fields[0], fields[1:]
	arg := func() (string, bool) {
		if len(args) != 1 {
			fmt.Fprintf(r.out, "usage: %s\n", usage(name))
			return "", false
		}
		return args[0], true
	}
	switch name {
	case ":help", ":h":
		fmt.Fprintln(r.out, "Type Go: declarations and statements, one cell at a time; the last expression's value is printed.")
		fmt.Fprintln(r.out, "Preloaded: netw pop scenario theory agent sim history metrics protocol plots, fmt math strings os time, mat stat floats.")
		for _, c := range commands {
			fmt.Fprintf(r.out, "  %-16s %s\n", strings.TrimSpace(c.name+" "+c.args), c.help)
		}
	case ":quit", ":q", ":exit":
		r.quit = true
	case ":reset":
		if err := r.reset(); err != nil {
			fmt.Fprintln(r.out, err)
			return
		}
		fmt.Fprintln(r.out, "session reset")
	case ":load":
		path, ok := arg()
		if !ok {
			return
		}
		ranMain, err := r.host.LoadFile(context.Background(), path)
		if err != nil {
			fmt.Fprintln(r.out, err)
			return
		}
		if ranMain {
			fmt.Fprintf(r.out, "loaded %s and ran its main (callable again as scriptMain())\n", path)
		} else {
			fmt.Fprintf(r.out, "loaded %s\n", path)
		}
	case ":save":
		path, ok := arg()
		if !ok {
			return
		}
		if err := os.WriteFile(path, []byte(r.host.Transcript()), 0o644); err != nil {
			fmt.Fprintln(r.out, err)
			return
		}
		fmt.Fprintf(r.out, "wrote %s (run it with: llmsam %s, or go run %s)\n", path, path, path)
	case ":vars":
		names := r.host.Names()
		if len(names) == 0 {
			fmt.Fprintln(r.out, "no names declared yet")
		}
		for _, n := range names {
			v, ok := r.host.Value(n)
			if !ok {
				fmt.Fprintf(r.out, "  %-14s (type or unavailable)\n", n)
				continue
			}
			val := fmt.Sprintf("%v", v)
			if v.CanInterface() {
				val = fmt.Sprintf("%v", v.Interface())
			}
			if len(val) > 60 {
				val = val[:57] + "..."
			}
			fmt.Fprintf(r.out, "  %-14s %-24s %s\n", n, v.Type().String(), val)
		}
	case ":doc":
		key, ok := arg()
		if !ok {
			return
		}
		fmt.Fprintln(r.out, doc(key))
	default:
		fmt.Fprintf(r.out, "unknown command %s (:help lists them)\n", name)
	}
}

func usage(name string) string {
	for _, c := range commands {
		if c.name == name {
			return strings.TrimSpace(c.name + " " + c.args)
		}
	}
	return name
}

// doc returns the documentation of key, or suggestions when it is unknown.
func doc(key string) string {
	if d, ok := symbols.Docs[key]; ok {
		return d
	}
	var near []string
	for k := range symbols.Docs {
		if strings.HasPrefix(strings.ToLower(k), strings.ToLower(key)) || strings.HasSuffix(strings.ToLower(k), "."+strings.ToLower(key)) {
			near = append(near, k)
		}
	}
	sort.Strings(near)
	if len(near) > 0 {
		if len(near) > 20 {
			near = append(near[:20], "...")
		}
		return fmt.Sprintf("no documentation for %s; did you mean: %s", key, strings.Join(near, ", "))
	}
	return fmt.Sprintf("no documentation for %s (:doc covers llmsam's packages, e.g. :doc sim; for others see https://pkg.go.dev)", key)
}
