package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestConformance runs every program of testdata/conformance five ways and
// requires the same standard output from each: compiled with go run; as a
// script (llmsam FILE.go); as a notebook whose first go block holds the
// file's declarations and whose second holds main's body; at the REPL,
// the declarations and then main's body piped in line by line, each line
// (or group of lines, while the input is incomplete) a cell; and with the
// REPL's :load. The REPL's figure announcements ("figure: PATH") and
// :load's confirmation are the only lines set aside.
func TestConformance(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "conformance", "*.go"))
	if len(files) == 0 {
		t.Fatal("no conformance programs")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH: cannot compare with go run")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			decls, body := splitProgram(t, file, src)
			want := runProcess(t, nil, "go", "run", file)
			if want == "" {
				t.Fatal("go run printed nothing")
			}
			check := func(how, got string) {
				t.Helper()
				if got != want {
					t.Errorf("%s prints differently from go run:\n%s", how, diffLines(want, got))
				}
			}
			check("llmsam "+file, runProcess(t, nil, binary, file))

			dir := t.TempDir()
			nb := filepath.Join(dir, "nb.md")
			md := "# " + file + "\n\n```go\n" + decls + "\n```\n\n```go\n" + body + "\n```\n"
			if err := os.WriteFile(nb, []byte(md), 0o644); err != nil {
				t.Fatal(err)
			}
			runProcess(t, nil, binary, "run", nb)
			check("the notebook", notebookOutput(t, filepath.Join(dir, "nb.out.md")))

			repl := runProcess(t, strings.NewReader(decls+"\n"+body+"\n"), binary)
			repl = regexp.MustCompile(`(?m)^figure: .*\n`).ReplaceAllString(repl, "")
			check("the REPL", repl)

			load := runProcess(t, strings.NewReader(":load "+file+"\n"), binary)
			load = regexp.MustCompile(`(?m)^(figure: .*|loaded .* and ran its main .*)\n`).ReplaceAllString(load, "")
			check(":load in the REPL", load)
		})
	}
}

// splitProgram returns a program's declarations (without its package
// clause and func main) and main's body, dedented by one tab.
func splitProgram(t *testing.T, path string, src []byte) (decls, body string) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	var main *ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "main" && fd.Recv == nil {
			main = fd
		}
	}
	if main == nil {
		t.Fatalf("%s: no func main", path)
	}
	start := off(f.Name.End())
	decls = strings.TrimSpace(string(src[start:off(main.Pos())]) + string(src[off(main.End()):]))
	var lines []string
	for _, l := range strings.Split(strings.Trim(string(src[off(main.Body.Lbrace)+1:off(main.Body.Rbrace)]), "\n"), "\n") {
		lines = append(lines, strings.TrimPrefix(l, "\t"))
	}
	return decls, strings.Join(lines, "\n")
}

// notebookOutput concatenates the ```text output blocks of a rendered
// notebook.
func notebookOutput(t *testing.T, path string) string {
	t.Helper()
	var out strings.Builder
	in := false
	for _, l := range strings.Split(mustRead(t, path), "\n") {
		switch {
		case l == "```text":
			in = true
		case in && l == "```":
			in = false
		case in:
			out.WriteString(l + "\n")
		}
	}
	return out.String()
}

// runProcess runs a command (in the package directory, so that go run
// finds the module) and returns its standard output; a failure is fatal.
func runProcess(t *testing.T, stdin *strings.Reader, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s\n%s", name, strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// diffLines shows the first line where two outputs differ, with context.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			lo := max(0, i-2)
			return "first difference at line " + strconv.Itoa(i+1) + ":\n  want: " + strings.Join(w[lo:min(len(w), i+1)], "\n        ") +
				"\n  got:  " + strings.Join(g[lo:min(len(g), i+1)], "\n        ") + "\nfull output:\n" + got
		}
	}
	return ""
}
