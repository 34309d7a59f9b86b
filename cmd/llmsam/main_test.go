package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/internal/openaitest"
	"github.com/llmsam/llmsam/internal/refdata"
)

// binary is the llmsam command built once for the tests that drive it as a
// process (REPL through a pipe and a terminal).
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "llmsam-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "llmsam")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building llmsam: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// root is the repository root, where scripts/ and examples/ live.
func root(t *testing.T) string {
	t.Helper()
	wd, _ := os.Getwd()
	return filepath.Join(wd, "..", "..")
}

// runInterpreted runs llmsam in-process with args and returns its exit code
// and output.
func runInterpreted(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestScriptsInterpretedAndCompiled runs every script and example both with
// llmsam and with go run, at reduced size, with theory agents and, where a
// script has an LLM path, with LLM agents against the test server; the two
// outputs must match, and every file a script says it wrote must exist and
// parse.
func TestScriptsInterpretedAndCompiled(t *testing.T) {
	r := root(t)
	srv := openaitest.New(openaitest.Options{Rules: []openaitest.Rule{{Fault: openaitest.Prose, Rate: 0.1, Times: 1 << 30}}})
	defer srv.Close()
	llmArgs := []string{"-model", "test-model", "-base-url", srv.BaseURL()}
	// phenomena.go reads the TAC 2023 network from the reference folder (the
	// same absolute path for both runs), then draws its generated fallback.
	coevo, noCoevo := filepath.Join(r, "..", "shared", "reference", "coevolutionary"), filepath.Join(r, "no-such-folder")
	variants := map[string][][]string{
		"scripts/population.go":       {{"-formats", "png"}},
		"scripts/validation.go":       {{"-groups", "4", "-replicates", "2", "-formats", "png"}, append([]string{"-groups", "4", "-replicates", "2", "-formats", "png"}, llmArgs...)},
		"scripts/large_network.go":    {{"-replicates", "2", "-windows", "2", "-formats", "png"}, append([]string{"-replicates", "1", "-windows", "1", "-formats", "png"}, llmArgs...)},
		"scripts/dynamic.go":          {{"-replicates", "2", "-windows", "2", "-formats", "png"}, append([]string{"-replicates", "1", "-windows", "1", "-formats", "png"}, llmArgs...)},
		"scripts/phenomena.go":        {{"-n", "60", "-runs", "2", "-formats", "png", "-coevolutionary", coevo}, append([]string{"-n", "60", "-runs", "1", "-formats", "png", "-coevolutionary", noCoevo}, llmArgs...)},
		"scripts/sweeps.go":           {{"-n", "40", "-runs", "1", "-lambda", "0.2,0.9", "-mu", "0,0.004", "-formats", "png"}, {"-n", "40", "-runs", "1", "-lambda", "0.2,0.9", "-mu", "0,0.004", "-shard", "1/2"}},
		"scripts/sft_data.go":         {{"-groups", "2", "-replicates", "1"}},
		"examples/quickstart.go":      {nil},
		"examples/custom_scenario.go": {nil},
		"examples/sweep_heatmap.go":   {{"-replicates", "2"}},
		"examples/streaming.go":       {{"-n", "3000", "-steps", "6"}},
		"examples/experiment.go":      {{"-n", "30", "-replicates", "1"}, {"-n", "30", "-replicates", "1", "-shard", "2/3", "-agents", "parquet", "-stream"}},
		"examples/custom_model.go":    {nil},
		"examples/llm_agents.go":      {append([]string{"-n", "30", "-replicates", "2"}, llmArgs...)},
		"examples/million.go":         {{"-n", "2000", "-sim-endpoints", "4", "-sim-slots", "64", "-sim-latency", "20ms"}},
	}
	files, _ := filepath.Glob(filepath.Join(r, "scripts", "*.go"))
	more, _ := filepath.Glob(filepath.Join(r, "examples", "*.go"))
	for _, f := range append(files, more...) {
		rel, _ := filepath.Rel(r, f)
		vs, ok := variants[rel]
		if !ok {
			t.Errorf("%s has no test arguments: add it to the table", rel)
			continue
		}
		for k, a := range vs {
			t.Run(fmt.Sprintf("%s#%d", rel, k), func(t *testing.T) {
				outA, outB := t.TempDir(), t.TempDir()
				withOut := func(dir string) []string {
					if strings.Contains(mustRead(t, f), `flag.String("out"`) {
						return append([]string{"-out", dir}, a...)
					}
					return a
				}
				code, interp, stderr := runInterpreted(append([]string{f}, withOut(outA)...)...)
				if code != 0 {
					t.Fatalf("llmsam %s: exit %d\n%s", rel, code, stderr)
				}
				cmd := exec.Command("go", append([]string{"run", f}, withOut(outB)...)...)
				cmd.Dir = r
				var goOut, goErr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &goOut, &goErr
				if err := cmd.Run(); err != nil {
					t.Fatalf("go run %s: %v\n%s", rel, err, goErr.String())
				}
				compiled := strings.ReplaceAll(goOut.String(), outB, outA)
				if interp != compiled {
					t.Fatalf("outputs differ\nllmsam:\n%s\ngo run:\n%s", interp, compiled)
				}
				if interp == "" {
					t.Fatal("no output")
				}
				checkWritten(t, interp)
			})
		}
	}
}

// checkWritten opens every file a script reports with "wrote A, B" and
// checks it parses: PNGs decode, CSVs read, Markdown tables have rows.
func checkWritten(t *testing.T, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		rest, ok := strings.CutPrefix(line, "wrote ")
		if !ok {
			continue
		}
		for _, p := range strings.Split(rest, ", ") {
			p = strings.Fields(p)[0]
			b, err := os.ReadFile(p)
			if err != nil || len(b) == 0 {
				t.Errorf("%s: %v (%d bytes)", p, err, len(b))
				continue
			}
			switch filepath.Ext(p) {
			case ".png":
				if _, err := png.Decode(bytes.NewReader(b)); err != nil {
					t.Errorf("%s: %v", p, err)
				}
			case ".csv":
				if rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll(); err != nil || len(rows) < 2 {
					t.Errorf("%s: %d rows, %v", p, len(rows), err)
				}
			case ".md":
				if !strings.Contains(string(b), "| --- |") {
					t.Errorf("%s: no table", p)
				}
			}
		}
	}
}

func mustRead(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLargeNetworkWithReleaseFiles runs the main job on the release's BA
// graph and coefficient files.
func TestLargeNetworkWithReleaseFiles(t *testing.T) {
	ba := refdata.Path(t, "adj_mat", "BA.npy")
	coeff := filepath.Dir(refdata.Path(t, "coeff", "coeff1_3.csv"))
	out := t.TempDir()
	code, stdout, stderr := runInterpreted(filepath.Join(root(t), "scripts", "large_network.go"),
		"-out", out, "-replicates", "1", "-formats", "png", "-coeff", coeff, "-ba", ba)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	man, err := os.ReadFile(filepath.Join(out, "runs/BA/window_0/manifest.json"))
	if err != nil || !strings.Contains(string(man), `"edges": 910`) {
		t.Fatalf("BA run should use the release's 910-edge graph: %v\n%s", err, man)
	}
	for _, f := range []string{"trajectories.png", "final_histograms.png", "network.png", "degree_change.png", "runs/ER/window_60/trajectories.csv"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("missing %s", f)
		}
	}
	if !strings.Contains(stdout, "population "+coeff) || !strings.Contains(stdout, "round 1 of the 165 real people: adoption 80/165, mean opinion 6.26 / 10") {
		t.Errorf("output does not name the population source or its round 1:\n%s", stdout)
	}
}

// TestValidationReproducesRealRoundOne runs the validation script on the
// release's groups: round 1 must be the real data exactly.
func TestValidationReproducesRealRoundOne(t *testing.T) {
	coeff := filepath.Dir(refdata.Path(t, "coeff", "coeff1_3.csv"))
	code, stdout, stderr := runInterpreted(filepath.Join(root(t), "scripts", "validation.go"), "-out", t.TempDir(),
		"-coeff", coeff, "-replicates", "1", "-formats", "png")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"dishwasher round 1 (real answers, 165 people): adoption 80/165, mean opinion 6.26 / 10",
		"waste round 1 (real answers, 165 people): adoption 124/165, mean opinion 6.93 / 10",
		"5g round 1 (real answers, 165 people): adoption 60/165, mean opinion 5.28 / 10",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestBadScripts checks error positions and exit codes on purpose-made
// scripts.
func TestBadScripts(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, src string
		args      []string
		code      int
		want      string
	}{
		{"compile.go", "package main\n\nfunc main() {\n\tx := 1\n\tx = \"one\"\n}\n", nil, 1, "compile.go:5:"},
		{"syntax.go", "package main\n\nfunc main() {\n\tfor {\n}\n", nil, 1, "syntax.go:5:3: expected '}'"},
		{"panic.go", "package main\n\nfunc main() {\n\tvar s []int\n\t_ = s[3]\n}\n", nil, 2, "index out of range"},
		{"goroutine.go", "package main\n\nimport \"time\"\n\nfunc main() {\n\tgo func() {\n\t\tpanic(\"lost\")\n\t}()\n\ttime.Sleep(3 * time.Second)\n}\n", nil, 2, "goroutine.go:6:2: lost"},
		{"stdlib_goroutine.go", "package main\n\nimport \"github.com/llmsam/llmsam/stdlib/agent\"\n\nfunc main() {\n\tagent.ParallelFor(100000, 4, func(lo, hi int) {\n\t\tif lo > 0 {\n\t\t\tpanic(\"in a stdlib goroutine\")\n\t\t}\n\t})\n}\n", nil, 2, "in a stdlib goroutine"},
		{"exit.go", "package main\n\nimport \"os\"\n\nfunc main() {\n\tos.Exit(7)\n}\n", nil, 7, ""},
		{"flags.go", "package main\n\nimport \"flag\"\n\nfunc main() {\n\tflag.Int(\"n\", 1, \"count\")\n\tflag.Parse()\n}\n", []string{"-m", "3"}, 2, "flag provided but not defined: -m"},
		{"help.go", "package main\n\nimport \"flag\"\n\nfunc main() {\n\tflag.Int(\"n\", 1, \"count\")\n\tflag.Parse()\n}\n", []string{"-h"}, 0, "-n int"},
		{"nomain.go", "package main\n\nfunc helper() {}\n", nil, 1, "no func main"},
		{"missing.go", "", nil, 1, "no such file"},
	}
	for _, tc := range cases {
		path := filepath.Join(dir, tc.name)
		if tc.src != "" {
			os.WriteFile(path, []byte(tc.src), 0o644)
		}
		code, _, stderr := runInterpreted(append([]string{path}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tc.name, code, stderr, tc.code, tc.want)
		}
	}
}

func TestCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"run"}, 2, "usage: llmsam run"},
		{[]string{"run", "/nonexistent.md"}, 1, "no such file"},
		{[]string{"import-batch", "results.jsonl"}, 2, "usage: llmsam import-batch"},
		{[]string{"import-batch", "-cache", filepath.Join(t.TempDir(), "c.db"), "-model", "m", "/nonexistent.jsonl"}, 1, "no such file"},
	} {
		code, _, stderr := runInterpreted(tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	code, stdout, _ := runInterpreted("version")
	if code != 0 || !strings.HasPrefix(stdout, "llmsam ") {
		t.Errorf("version: %d %q", code, stdout)
	}
}

// TestNotebook runs the example notebook and checks outputs and figures are
// embedded, in Markdown and in HTML.
func TestNotebook(t *testing.T) {
	nb := filepath.Join(root(t), "examples", "notebook.md")
	dir := t.TempDir()
	t.Chdir(dir)
	out := filepath.Join(dir, "nb.out.md")
	code, _, stderr := runInterpreted("run", nb, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	md := mustRead(t, out)
	for _, want := range []string{"undirected graph: 200 nodes, 800 edges", "lambda 0.1: adoption 0.0", "lambda 0.9: adoption 1.00", "![trajectories.png](nb.out_files/trajectories.png)"} {
		if !strings.Contains(md, want) {
			t.Errorf("notebook output lacks %q:\n%s", want, md)
		}
	}
	// The figure is copied beside the output, so the page stands alone.
	if _, err := os.Stat(filepath.Join(dir, "nb.out_files/trajectories.png")); err != nil {
		t.Error(err)
	}
	code, _, stderr = runInterpreted("run", nb, "-html", "-o", filepath.Join(dir, "nb.html"))
	if html := mustRead(t, filepath.Join(dir, "nb.html")); code != 0 || !strings.Contains(html, `<img alt="trajectories.png" src="data:image/png;base64,iVBOR`) {
		t.Fatalf("html: exit %d %s\n%s", code, stderr, html)
	}
	// A failing block stops the run, is reported with its position in the
	// Markdown file, and the blocks after it are marked as not run.
	bad := filepath.Join(dir, "bad.md")
	os.WriteFile(bad, []byte("# t\n\n```go\nx := 1\n```\n\n```go\ny := x +\n\tmissing\n```\n\n```go\nfmt.Println(\"after\")\n```\n"), 0o644)
	code, _, stderr = runInterpreted("run", bad)
	got := mustRead(t, filepath.Join(dir, "bad.out.md"))
	if code != 1 || !strings.Contains(stderr, "bad.md:9:2: undefined: missing") || !strings.Contains(got, "not run") {
		t.Fatalf("failing notebook: exit %d, stderr %q\n%s", code, stderr, got)
	}
}

// TestHelpListsEverySubcommand reads the subcommands run dispatches on
// (`cmd == "NAME"` in main.go) and requires `llmsam --help` to list each.
func TestHelpListsEverySubcommand(t *testing.T) {
	src := mustRead(t, "main.go")
	cmds := regexp.MustCompile(`cmd == "([a-z][a-z-]*)"`).FindAllStringSubmatch(src, -1)
	if len(cmds) < 3 {
		t.Fatalf("found only %d subcommands in main.go", len(cmds))
	}
	code, stdout, _ := runInterpreted("--help")
	if code != 0 {
		t.Fatalf("--help: exit %d", code)
	}
	for _, c := range cmds {
		if c[1] != "help" && !strings.Contains(stdout, "llmsam "+c[1]) {
			t.Errorf("llmsam --help does not list %q:\n%s", c[1], stdout)
		}
	}
}

// TestScriptFlags: every script and example answers -h with its usage and
// exit 0, and the scripts refuse bad counts, windows and formats with exit
// 2 before writing anything.
func TestScriptFlags(t *testing.T) {
	r := root(t)
	paths, _ := filepath.Glob(filepath.Join(r, "scripts", "*.go"))
	examples, _ := filepath.Glob(filepath.Join(r, "examples", "*.go"))
	for _, p := range append(paths, examples...) {
		code, stdout, stderr := runInterpreted(p, "-h")
		if code != 0 || !strings.Contains(stdout+stderr, "Usage") {
			t.Errorf("%s -h: exit %d, output %q", filepath.Base(p), code, stdout+stderr)
		}
	}
	for _, tc := range []struct {
		script string
		args   []string
		want   string
	}{
		{"large_network.go", []string{"-replicates", "0"}, "flag -replicates: 0"},
		{"large_network.go", []string{"-windows", "99"}, "flag -windows: 99, want 0 to 7"},
		{"large_network.go", []string{"-formats", "png,bogus"}, `unknown figure format "bogus"`},
		{"dynamic.go", []string{"-windows", "-1"}, "flag -windows: -1"},
		{"validation.go", []string{"-groups", "41"}, "flag -groups: 41"},
		{"sweeps.go", []string{"-runs", "0"}, "flag -runs: 0"},
		{"phenomena.go", []string{"-runs", "-2"}, "flag -runs: -2"},
		{"sft_data.go", []string{"-replicates", "0"}, "flag -replicates: 0"},
		{"population.go", []string{"-formats", ""}, "no figure format"},
		{"../examples/experiment.go", []string{"-replicates", "0"}, "flag -replicates: 0"},
		{"../examples/experiment.go", []string{"-formats", "png,bogus"}, `unknown figure format "bogus"`},
		{"../examples/experiment.go", []string{"-shard", "4/3"}, `flag -shard: "4/3", want i/n with 1 <= i <= n`},
		{"../examples/experiment.go", []string{"-agents", "xlsx"}, `flag -agents: "xlsx", want csv, parquet or none`},
		{"sweeps.go", []string{"-shard", "0/2"}, `flag -shard: "0/2"`},
		{"sweeps.go", []string{"-agents", "json"}, `flag -agents: "json"`},
		{"sweeps.go", []string{"-mu", "0,x"}, `flag -mu: "x" in "0,x"`},
		{"sweeps.go", []string{"-model", "sam,bogus"}, `flag -model: "bogus"`},
		{"sweeps.go", []string{"-weighting", "papers"}, `flag -weighting: "papers"`},
		{"sweeps.go", []string{"-n", "5"}, "flag -n: 5, want at least 10"},
		{"phenomena.go", []string{"-n", "5"}, "flag -n: 5, want at least 10"},
		{"phenomena.go", []string{"-scenario", "bogus"}, `flag -scenario: unknown scenario "bogus"`},
		{"sft_data.go", []string{"-val", "1.5"}, "flag -val: 1.5, want a share in [0, 1)"},
		{"sft_data.go", []string{"-example-friends", "all"}, `flag -example-friends: "all"`},
		{"large_network.go", []string{"-rule", "bogus"}, "flag -rule:"},
		{"large_network.go", []string{"-prompts", "bogus"}, `flag -prompts: unknown prompt set "bogus"`},
		{"dynamic.go", []string{"-scenario", "bogus"}, `flag -scenario: unknown scenario "bogus"`},
		{"validation.go", []string{"-models", "m2"}, `flag -models: "m2", want -model`},
		{"../examples/million.go", []string{"-activation", "2"}, "flag -activation: 2, want a probability in (0, 1]"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		// A process: scripts print to os.Stderr, the process's own stream.
		cmd := exec.Command(binary, append([]string{filepath.Join(r, "scripts", tc.script), "-out", out}, tc.args...)...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		cmd.Run()
		code, stderr := cmd.ProcessState.ExitCode(), errb.String()
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s %v: exit %d, stderr %q; want exit 2 and %q", tc.script, tc.args, code, stderr, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s %v wrote %s before refusing its flags", tc.script, tc.args, out)
		}
	}
}

// TestSubcommandHelp: -h and --help print every subcommand's usage on
// stdout and exit 0; an unknown flag exits 2 with the error and the usage
// on stderr.
func TestSubcommandHelp(t *testing.T) {
	for _, sub := range [][]string{{}, {"run"}, {"run", "x.ipynb"}, {"kernel"}, {"kernel", "install"}, {"import-batch"}, {"merge"}, {"version"}} {
		for _, h := range []string{"-h", "--help"} {
			args := append(append([]string{}, sub...), h)
			code, stdout, stderr := runInterpreted(args...)
			if code != 0 || !strings.Contains(strings.ToLower(stdout), "usage") || stderr != "" {
				t.Errorf("llmsam %s: exit %d, stdout %q, stderr %q; want exit 0 and the usage on stdout", strings.Join(args, " "), code, stdout, stderr)
			}
		}
		if len(sub) == 0 || sub[0] == "version" {
			continue
		}
		args := append(append([]string{}, sub...), "--bogus")
		code, stdout, stderr := runInterpreted(args...)
		if code != 2 || !strings.Contains(stderr, "bogus") || !strings.Contains(stderr, "usage") || stdout != "" {
			t.Errorf("llmsam %s: exit %d, stdout %q, stderr %q; want exit 2 naming the flag, with the usage", strings.Join(args, " "), code, stdout, stderr)
		}
	}
}
