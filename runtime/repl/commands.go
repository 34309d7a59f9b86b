package repl

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/llmsam/llmsam/runtime/display"
	"github.com/llmsam/llmsam/runtime/host"
)

// commands lists the REPL's commands with their help, in display order.
var commands = []struct{ name, args, help string }{
	{":help", "", "show this help"},
	{":load", "FILE.go", "run a Go file in the session (its func main runs once; its declarations stay)"},
	{":save", "FILE.go", "write the session as a program (llmsam or go run) that prints what the session printed"},
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
		fmt.Fprintln(r.out, "Type Go: any declaration or statement; input continues while it is unfinished (an open brace,")
		fmt.Fprintln(r.out, "a trailing comma, operator or dot). The last expression's value is printed with its type.")
		fmt.Fprintln(r.out, "Tab completes names, package members and the fields and methods of values.")
		fmt.Fprintln(r.out, "Preloaded packages (no import needed):")
		for _, line := range wrap(preloadedNames(), 72) {
			fmt.Fprintln(r.out, "  "+line)
		}
		fmt.Fprintln(r.out, "Commands:")
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
			r.failed = append(r.failed, ":load "+path)
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
			r.failed = append(r.failed, ":save "+path)
			return
		}
		fmt.Fprintf(r.out, "wrote %s (run it with: llmsam %s, or go run %s)\n", path, path, path)
	case ":vars":
		names := r.host.Names()
		if len(names) == 0 {
			fmt.Fprintln(r.out, "no names declared yet")
		}
		for _, n := range names {
			fmt.Fprintln(r.out, "  "+r.varLine(n))
		}
	case ":doc":
		key, ok := arg()
		if !ok {
			return
		}
		d, _ := r.host.Doc(key)
		fmt.Fprintln(r.out, d)
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

// varLine is one line of :vars: the name, its type and its value, cut
// to fit a line.
func (r *REPL) varLine(n string) string {
	if r.host.IsType(n) {
		return fmt.Sprintf("%-14s type", n)
	}
	v, ok := r.host.Value(n)
	if !ok {
		return fmt.Sprintf("%-14s (unavailable)", n)
	}
	t := v.Type().String()
	if v.Kind() == reflect.Func {
		return fmt.Sprintf("%-14s %s", n, t)
	}
	val := strings.Join(strings.Fields(display.Named(v, r.host)), " ")
	if max := 100 - 16 - len(t); len(val) > max && max > 10 {
		val = val[:max-3] + "..."
	}
	return fmt.Sprintf("%-14s %-24s %s", n, t, val)
}

// preloadedNames are the preloaded packages' names, the project's first.
func preloadedNames() []string {
	var own, other []string
	for _, p := range host.Preloaded {
		name := host.ImportName(p)
		if strings.HasPrefix(p, "github.com/llmsam/") {
			own = append(own, name)
		} else {
			other = append(other, name)
		}
	}
	sort.Strings(own)
	return append(own, other...)
}

// wrap joins words into lines of at most width characters.
func wrap(words []string, width int) []string {
	var lines []string
	line := ""
	for _, w := range words {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
