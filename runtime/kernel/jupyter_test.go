package kernel

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/llmsam/llmsam/stdlib/netw"
)

// The tests start this test binary as the kernel: Jupyter runs it with the
// connection file when LLMSAM_KERNEL_TEST is set (by the test kernelspec).
func TestMain(m *testing.M) {
	if os.Getenv("LLMSAM_KERNEL_TEST") == "1" {
		if err := Run(context.Background(), os.Args[len(os.Args)-1], Options{}); err != nil {
			fmt.Fprintln(os.Stderr, "llmsam kernel:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const jupyterMissing = "Jupyter is not installed: these tests need python3 with jupyter_client and nbclient and the jupyter command with nbconvert (Debian 12: apt-get install python3-jupyter-client python3-nbclient jupyter-nbconvert jupyter-client)"

// jupyterPython returns a python3 that has jupyter_client and nbclient,
// or skips the test.
func jupyterPython(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import jupyter_client, nbclient").Run() == nil {
			return py
		}
	}
	t.Skip(jupyterMissing)
	return ""
}

// testKernel installs a kernelspec "llmsam-test" that starts this test
// binary as the kernel, and returns the environment that makes Jupyter
// find it (and keeps its runtime files in a temporary folder).
func testKernel(t *testing.T) []string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	dir := filepath.Join(root, "kernels", "llmsam-test")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	spec := Spec{Argv: []string{exe, "{connection_file}"}, DisplayName: "llmsam (Go) test", Language: "go",
		InterruptMode: "message", Env: map[string]string{"LLMSAM_KERNEL_TEST": "1"}}
	b, _ := json.Marshal(spec)
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "JUPYTER_PATH="+root, "JUPYTER_RUNTIME_DIR="+t.TempDir(), "JUPYTER_PLATFORM_DIRS=1")
}

// TestJupyterClient drives the kernel with jupyter_client, as a frontend:
// execution, completion, inspection, errors with positions, history and
// interrupts (by message and by SIGINT) during a long sim.Run.
func TestJupyterClient(t *testing.T) {
	py := jupyterPython(t)
	cmd := exec.Command(py, "testdata/drive.py", "llmsam-test")
	cmd.Env = testKernel(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("drive.py: %v\n%s\n%s", err, out, stderr.String())
	}
	checks := map[string]map[string]any{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("drive.py printed %q: %v", sc.Text(), err)
		}
		checks[m["check"].(string)] = m
	}
	get := func(name string) map[string]any {
		c, ok := checks[name]
		if !ok {
			t.Fatalf("drive.py did not report %s:\n%s\n%s", name, out, stderr.String())
		}
		return c
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }

	if c := get("kernel_info"); c["protocol"] != ProtocolVersion || c["language"] != "go" {
		t.Errorf("kernel_info %v", c)
	}
	if c := js(get("execute")); !strings.Contains(c, `"name":"stdout","text":"nAgents is 6\n"`) ||
		!strings.Contains(c, `{"content":{"data":{"text/plain":"42 (int)"},"execution_count":1,"metadata":{}},"type":"execute_result"}`) {
		t.Errorf("execute: %s", c)
	}
	if c := get("complete"); js(c["matches"]) != `["netw.BarabasiAlbert"]` || c["start"] != float64(56) || c["end"] != float64(66) {
		t.Errorf("complete: %v", c)
	}
	if c := get("complete_local"); js(c["matches"]) != `["nAgents"]` {
		t.Errorf("completion of a name the session declared: %v", c)
	}
	if c := get("inspect"); c["found"] != true || !strings.HasPrefix(c["text"].(string), "type Study struct") {
		t.Errorf("inspect: %v", c)
	}
	if c := get("is_complete_open"); c["status"] != "incomplete" || c["indent"] != "\t" {
		t.Errorf("is_complete of an open brace: %v", c)
	}
	if c := get("is_complete_done"); c["status"] != "complete" {
		t.Errorf("is_complete: %v", c)
	}
	c := get("error")
	if c["status"] != "error" || c["ename"] != "CompileError" || c["evalue"] != "cell 2:2:10: undefined: undefinedThing" {
		t.Errorf("error reply: %v", c)
	}
	if tb := js(c["traceback"]); !strings.Contains(tb, `"   2 | z := y + undefinedThing","     |          ^"`) {
		t.Errorf("traceback: %s", tb)
	}
	if !strings.Contains(js(c["outputs"]), `"type":"error"`) {
		t.Errorf("no error output on IOPub: %s", js(c["outputs"]))
	}
	if c := get("panic"); c["status"] != "error" || c["ename"] != "Panic" || !strings.Contains(js(c["traceback"]), "cell 3:2:1: panic: runtime error: index out of range") ||
		!strings.Contains(js(c["traceback"]), `"   2 | xs[3]","     | ^"`) {
		t.Errorf("panic: %v", c)
	}
	if c := get("history"); c["status"] != "ok" || c["n"] != float64(3) {
		t.Errorf("history: %v", c)
	}
	if c := get("comm_info"); c["status"] != "ok" {
		t.Errorf("comm_info: %v", c)
	}
	for _, how := range []string{"message", "signal"} {
		c := get("interrupt_" + how)
		t.Logf("interrupt by %s: the cell ended %.2fs after it", how, c["seconds"])
		// The run would take minutes: it ended because of the interrupt.
		if c["status"] != "error" || c["ename"] != "Interrupted" || c["seconds"].(float64) > 60 {
			t.Errorf("interrupt by %s: %v", how, c)
		}
		if strings.Contains(js(c["outputs"]), "finished:") {
			t.Errorf("interrupt by %s: the cell went on after the run: %s", how, js(c["outputs"]))
		}
		if c["after"] != "ok" || !strings.Contains(js(c["after_outputs"]), `"text/plain":"2 (int)"`) {
			t.Errorf("interrupt by %s: the next cell: %v", how, c)
		}
	}
	if c := get("heartbeat"); c["beating"] != true {
		t.Errorf("heartbeat: %v", c)
	}
	if c := get("restart"); c["status"] != "error" || c["count"] != float64(1) || !strings.Contains(c["evalue"].(string), "undefined: nAgents") {
		t.Errorf("after a restart, the session is fresh: %v", c)
	}
	if c := get("shutdown"); c["alive"] != false {
		t.Errorf("the kernel is alive after shutdown: %v", c)
	}
}

// TestNBConvertStudy executes examples/study.ipynb with `jupyter nbconvert
// --to notebook --execute` on the kernel and checks its outputs: the
// printed values and the figures as PNG images.
func TestNBConvertStudy(t *testing.T) {
	jupyterPython(t)
	jupyter, err := exec.LookPath("jupyter")
	if err != nil || exec.Command(jupyter, "nbconvert", "--version").Run() != nil {
		t.Skip(jupyterMissing)
	}
	dir := t.TempDir()
	cmd := exec.Command(jupyter, "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=llmsam-test",
		"--ExecutePreprocessor.timeout=600", "--output-dir", dir, "--output", "study.ipynb", "../../examples/study.ipynb")
	cmd.Env = testKernel(t)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nbconvert: %v\n%s", err, out)
	}
	t.Logf("nbconvert ran the notebook in %v", time.Since(start).Round(time.Millisecond))
	b, err := os.ReadFile(filepath.Join(dir, "study.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			CellType string `json:"cell_type"`
			Count    *int   `json:"execution_count"`
			Outputs  []struct {
				OutputType string         `json:"output_type"`
				Text       any            `json:"text"`
				Data       map[string]any `json:"data"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	joined := func(v any) string {
		if l, ok := v.([]any); ok {
			var s strings.Builder
			for _, x := range l {
				s.WriteString(x.(string))
			}
			return s.String()
		}
		s, _ := v.(string)
		return s
	}
	var text strings.Builder
	images := 0
	code := 0
	for _, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		code++
		if c.Count == nil || *c.Count != code {
			t.Errorf("code cell %d: execution_count %v", code, c.Count)
		}
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				t.Errorf("code cell %d failed", code)
			}
			text.WriteString(joined(o.Text))
			text.WriteString(joined(o.Data["text/plain"]) + "\n")
			if p, ok := o.Data["image/png"]; ok {
				raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(joined(p)))
				if err != nil {
					t.Fatal(err)
				}
				img, err := png.Decode(bytes.NewReader(raw))
				if err != nil {
					t.Fatalf("code cell %d: image/png: %v", code, err)
				}
				if img.Bounds().Dx() < 300 {
					t.Errorf("code cell %d: a %d px wide figure", code, img.Bounds().Dx())
				}
				images++
			}
		}
	}
	g, err := netw.BarabasiAlbert(101, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"101 people: mean a 0.", fmt.Sprintf("%d (int)\n", g.Edges()), "replicate 0, step 9: adoption 0."} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the outputs lack %q:\n%s", want, text.String())
		}
	}
	if images != 2 {
		t.Errorf("%d PNG figures, want 2 (trajectories and the heat map)", images)
	}
}

// TestKernelspecList installs the kernelspec as `llmsam kernel install`
// does and asks Jupyter for its kernels.
func TestKernelspecList(t *testing.T) {
	jupyterPython(t)
	jupyter, err := exec.LookPath("jupyter")
	if _, err2 := exec.LookPath("jupyter-kernelspec"); err != nil || err2 != nil {
		t.Skip(jupyterMissing + "; jupyter kernelspec comes with jupyter-client")
	}
	data := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", data)
	dir, err := Install(InstallOptions{User: true})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(jupyter, "kernelspec", "list").CombinedOutput()
	if err != nil {
		t.Fatalf("jupyter kernelspec list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "llmsam ") || !strings.Contains(string(out), dir) {
		t.Errorf("jupyter kernelspec list does not list %s:\n%s", dir, out)
	}
}
