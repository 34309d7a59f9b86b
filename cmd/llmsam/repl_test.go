package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestREPLPipe drives the REPL through a pipe: multi-line input, printed
// values, commands, errors, figures and :save.
func TestREPLPipe(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lib.go"), []byte("//go:build ignore\n\npackage main\n\nimport \"fmt\"\n\nfunc triple(v int) int { return 3 * v }\n\nfunc main() {\n\tfmt.Println(\"lib main ran\")\n}\n"), 0o644)
	input := strings.Join([]string{
		":load " + filepath.Join(dir, "lib.go"),
		"triple(5)",
		"x := 21",
		"x * 2",
		"for i := range 3 {",
		"\tfmt.Println(\"i\", i)",
		"}",
		"func sq(v float64) float64 {",
		"\treturn v * v",
		"}",
		"sq(3)",
		"g, _ := netw.BarabasiAlbert(40, 2, 1)",
		"run, _ := sim.Run(sim.Study{Network: g, People: pop.MustSynthetic(scenario.Dishwasher(), 40, 1), Agents: theory.SAM{}, Quiet: true})",
		"plots.Trajectories(run).Save(\"" + filepath.Join(dir, "fig.png") + "\")",
		"undefinedName + 1",
		"err := errors.Unwrap(errors.New(\"x\"))",
		"err",
		":vars",
		":doc netw.BarabasiAlbert",
		":doc nosuchname",
		":save " + filepath.Join(dir, "session.go"),
		":quit",
	}, "\n") + "\n"
	cmd := exec.Command(binary)
	cmd.Stdin = strings.NewReader(input)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "HOME="+dir)
	out, err := cmd.CombinedOutput()
	// Every cell runs; the exit status says that one failed.
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("exit status %d, want 1 (a cell failed): %v\n%s", code, err, out)
	}
	text := string(out)
	for _, want := range []string{
		"llmsam: the piped input had 1 failure: cell 10\n",
		"lib main ran", "loaded " + filepath.Join(dir, "lib.go") + " and ran its main", "15 (int)\n",
		"42 (int)", "i 0\n", "i 2\n", "9 (float64)\n",
		"figure: " + filepath.Join(dir, "fig.png"),
		"cell 10:1:1: undefined: undefinedName",
		"func BarabasiAlbert(n, m int, seed uint64) (*Graph, error)",
		"no documentation for nosuchname",
		"wrote " + filepath.Join(dir, "session.go"),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("REPL output lacks %q:\n%s", want, text)
		}
	}
	for _, name := range []string{"x ", "sq ", "g ", "run "} {
		if !strings.Contains(text, "  "+name) {
			t.Errorf(":vars lacks %s", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "fig.png")); err != nil {
		t.Error(err)
	}
	// The saved session runs as a script and with go run, printing what the
	// session printed (values included).
	code, stdout, stderr := runInterpreted(filepath.Join(dir, "session.go"))
	if code != 0 || !strings.Contains(stdout, "i 2") {
		t.Fatalf("saved session: exit %d\n%s\n%s\n%s", code, stdout, stderr, mustRead(t, filepath.Join(dir, "session.go")))
	}
	goRun := exec.Command("go", "run", filepath.Join(dir, "session.go"))
	compiled, err := goRun.CombinedOutput()
	if err != nil {
		t.Fatalf("go run of the saved session: %v\n%s\n%s", err, compiled, mustRead(t, filepath.Join(dir, "session.go")))
	}
	for _, want := range []string{"lib main ran\n", "15 (int)\n", "42 (int)\n", "i 2\n", "9 (float64)\n", "<nil> (error)\n"} {
		if !strings.Contains(string(compiled), want) || !strings.Contains(text, want) {
			t.Errorf("the session and go run of its :save should both print %q:\n%s", want, compiled)
		}
	}
}

// terminal is a REPL running in a pseudo-terminal.
type terminal struct {
	t   *testing.T
	f   *os.File
	cmd *exec.Cmd
	mu  sync.Mutex
	buf bytes.Buffer
}

// startTerminal runs llmsam in a pseudo-terminal: the REPL with the
// environment variables env (NAME=VALUE), or the script env[0] when it
// ends in .go.
func startTerminal(t *testing.T, env ...string) *terminal {
	cmd := exec.Command(binary)
	if len(env) > 0 && strings.HasSuffix(env[0], ".go") {
		cmd = exec.Command(binary, env[0])
		env = env[1:]
	}
	cmd.Env = append(os.Environ(), env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 160})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	term := &terminal{t: t, f: f, cmd: cmd}
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := f.Read(b)
			term.mu.Lock()
			term.buf.Write(b[:n])
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		f.Close()
	})
	return term
}

// waitFor waits until the output since the last mark contains want.
func (term *terminal) waitFor(want string, timeout time.Duration) string {
	term.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		term.mu.Lock()
		s := term.buf.String()
		term.mu.Unlock()
		if i := strings.Index(s, want); i >= 0 {
			term.mu.Lock()
			term.buf.Reset()
			term.buf.WriteString(s[i+len(want):])
			term.mu.Unlock()
			return s
		}
		time.Sleep(20 * time.Millisecond)
	}
	term.mu.Lock()
	defer term.mu.Unlock()
	term.t.Fatalf("timed out waiting for %q; screen so far:\n%q", want, term.buf.String())
	return ""
}

func (term *terminal) send(s string) {
	if _, err := io.WriteString(term.f, s); err != nil {
		term.t.Fatal(err)
	}
}

// TestREPLTerminal drives the REPL in a pseudo-terminal: Tab completion,
// history, multi-line input, Ctrl-C during a long cell and Ctrl-D.
func TestREPLTerminal(t *testing.T) {
	dir := t.TempDir()
	term := startTerminal(t, "XDG_CONFIG_HOME="+dir, "HOME="+dir, "TERM=xterm")
	term.waitFor("llmsam> ", 10*time.Second)

	term.send("g, _ := netw.Barab\t")
	term.waitFor("BarabasiAlbert", 5*time.Second)
	term.send("(40, 2, 1)\r")
	term.waitFor("llmsam> ", 5*time.Second)
	term.send("g.Edges()\r")
	term.waitFor("76", 5*time.Second)
	term.waitFor("llmsam> ", 5*time.Second)

	// History: the up arrow recalls the last line.
	term.send("\x1b[A")
	term.waitFor("g.Edges()", 5*time.Second)
	term.send("\r")
	term.waitFor("76", 5*time.Second)
	term.waitFor("llmsam> ", 5*time.Second)

	// Multi-line input continues while the code is incomplete.
	term.send("for i := range 2 {\r")
	term.waitFor("...> ", 5*time.Second)
	term.send("fmt.Println(\"loop\", i)\r}\r")
	term.waitFor("loop 1", 5*time.Second)
	term.waitFor("llmsam> ", 5*time.Second)

	// Ctrl-C cancels a long stdlib run and returns to the prompt.
	term.send("people := pop.MustSynthetic(scenario.FiveG(), 40, 1)\r")
	term.waitFor("llmsam> ", 5*time.Second)
	term.send("r, err := sim.Run(sim.Study{Network: g, People: people, Agents: theory.ZYC2020{Beta: 20, Lambda: 0.5, TicksPerStep: 100000000}, Steps: 1000})\r")
	time.Sleep(500 * time.Millisecond)
	start := time.Now()
	term.send("\x03")
	term.waitFor("interrupted", 5*time.Second)
	term.waitFor("llmsam> ", 5*time.Second)
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("Ctrl-C took %v", d)
	}
	// The session still works after the interruption.
	term.send("1 + 2\r")
	term.waitFor("3", 5*time.Second)
	term.waitFor("llmsam> ", 5*time.Second)

	// Ctrl-D leaves.
	term.send("\x04")
	done := make(chan error, 1)
	go func() { done <- term.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Ctrl-D did not end the REPL")
	}
	hist := mustRead(t, filepath.Join(dir, "llmsam", "history"))
	if !strings.Contains(hist, "g.Edges()") {
		t.Errorf("history file lacks g.Edges():\n%s", hist)
	}
}

// TestInterruptClearsProgress: Ctrl-C during a run with a progress bar, in
// a script and in a REPL cell, says "interrupted" on a cleared line, not
// after the bar.
func TestInterruptClearsProgress(t *testing.T) {
	const study = `sim.Run(sim.Study{Name: "long", Network: netw.Complete(30), People: pop.MustSynthetic(scenario.Dishwasher(), 30, 1), Agents: theory.ZYC2020{Beta: 20, Lambda: 0.5, TicksPerStep: 100000}, Steps: 100000, Workers: 1})`
	// before returns what the terminal showed on the line "interrupted" is
	// written on, from the last carriage return or newline.
	before := func(screen string) string {
		s := screen[:strings.LastIndex(screen, "interrupted")]
		return s[strings.LastIndexAny(s, "\r\n")+1:]
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "long.go")
	os.WriteFile(script, []byte(`package main

import (
	"fmt"

	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
	"github.com/llmsam/llmsam/stdlib/sim"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func main() {
	_, err := `+study+`
	fmt.Println(err)
}
`), 0o644)
	term := startTerminal(t, script)
	term.waitFor("long ", 20*time.Second) // the bar is drawn
	term.send("\x03")
	if s := before(term.waitFor("interrupted", 10*time.Second)); strings.TrimSpace(s) != "" {
		t.Errorf("script: %q is left before \"interrupted\"", s)
	}

	term = startTerminal(t, "XDG_CONFIG_HOME="+dir, "HOME="+dir, "TERM=xterm")
	term.waitFor("llmsam> ", 10*time.Second)
	term.send("r, err := " + study + "\r")
	term.waitFor("long ", 20*time.Second)
	term.send("\x03")
	if s := before(term.waitFor("interrupted", 10*time.Second)); strings.TrimSpace(s) != "" {
		t.Errorf("REPL: %q is left before \"interrupted\"", s)
	}
	term.waitFor("llmsam> ", 10*time.Second)
}
