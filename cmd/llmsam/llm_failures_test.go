package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/internal/openaitest"
	"github.com/llmsam/llmsam/stdlib/history"
)

// TestLLMFailuresAtTheCommandLine runs examples/llm_agents.go with the
// llmsam binary against failing servers: each run exits non-zero with a message naming
// what failed, and a run against transient faults exits 0 with errors.jsonl
// and a summary line that account for them.
func TestLLMFailuresAtTheCommandLine(t *testing.T) {
	example := filepath.Join(root(t), "examples", "llm_agents.go")
	run := func(t *testing.T, baseURL string, extra ...string) (int, string, string) {
		t.Helper()
		out := t.TempDir()
		args := append([]string{example, "-model", "test-model", "-base-url", baseURL, "-n", "11", "-replicates", "1", "-out", out}, extra...)
		cmd := exec.Command(binary, args...)
		msg, _ := cmd.CombinedOutput()
		b, _ := os.ReadFile(filepath.Join(out, "errors.jsonl"))
		return cmd.ProcessState.ExitCode(), string(msg), string(b)
	}
	t.Run("refused", func(t *testing.T) {
		code, msg, _ := run(t, "http://127.0.0.1:9/v1")
		if code == 0 || !strings.Contains(msg, "127.0.0.1:9") || !strings.Contains(msg, "connection refused") {
			t.Fatalf("exit %d:\n%s", code, msg)
		}
	})
	t.Run("wrong key", func(t *testing.T) {
		srv := openaitest.New(openaitest.Options{APIKey: "sk-right"})
		defer srv.Close()
		t.Setenv("OPENAI_API_KEY", "sk-wrong-0123")
		code, msg, errs := run(t, srv.BaseURL())
		if code == 0 || !strings.Contains(msg, "401") || !strings.Contains(msg, "Incorrect API key provided") ||
			strings.Contains(msg+errs, "sk-wrong-0123") || !strings.Contains(errs, `"status":401`) {
			t.Fatalf("exit %d:\n%s\nerrors.jsonl:\n%s", code, msg, errs)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		srv := openaitest.New(openaitest.Options{Rules: []openaitest.Rule{{Fault: openaitest.Garbage, Rate: 1, Times: 1 << 30}}})
		defer srv.Close()
		code, msg, errs := run(t, srv.BaseURL())
		if code == 0 || !strings.Contains(msg, "22 fallbacks of 22 agent-steps") || !strings.Contains(msg, "fallback budget") ||
			strings.Count(errs, `"kind":"invalid"`) != 66 {
			t.Fatalf("exit %d:\n%s", code, msg)
		}
	})
	t.Run("fault mix", func(t *testing.T) {
		srv := openaitest.New(openaitest.Options{Rules: []openaitest.Rule{
			{Fault: openaitest.TooMany, Rate: 0.05}, {Fault: openaitest.ServerError, Rate: 0.05},
			{Fault: openaitest.Drop, Rate: 0.02}, {Fault: openaitest.Garbage, Rate: 0.05, Times: 1 << 30},
		}})
		defer srv.Close()
		code, msg, errs := run(t, srv.BaseURL(), "-n", "60", "-replicates", "3")
		inj := srv.Injected()
		retries := inj[openaitest.TooMany] + inj[openaitest.ServerError] + inj[openaitest.Drop]
		want := []string{
			strconv.Itoa(srv.Count()) + " requests", strconv.Itoa(retries) + " retries", strconv.Itoa(inj[openaitest.Garbage]) + " invalid",
		}
		for _, w := range want {
			if code != 0 || !strings.Contains(msg, w) {
				t.Fatalf("exit %d, want %q in:\n%s", code, w, msg)
			}
		}
		lines := strings.Count(errs, "\n")
		if lines != retries+inj[openaitest.Garbage] || strings.Count(errs, `"kind":"rate-limited"`) != inj[openaitest.TooMany] ||
			strings.Count(errs, `"kind":"dropped"`) != inj[openaitest.Drop] || strings.Count(errs, `"kind":"server-error"`) != inj[openaitest.ServerError] {
			t.Fatalf("errors.jsonl has %d lines for %v", lines, inj)
		}
	})
}

// TestBudgetFailureMarksSavedRuns: a study script that saves its LLM runs
// as it goes and whose LLM agents spend the fallback budget (small groups:
// fewer agent-steps than the in-run check waits for, so only the check
// after the run fails) exits non-zero, and the run directories it wrote for
// them say so (manifest.json's "error", which history.Load refuses), while
// its theory runs stay results; no release files are written for them.
// (large_network.go and dynamic.go check the budget before saving
// anything.)
func TestBudgetFailureMarksSavedRuns(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Rules: []openaitest.Rule{{Fault: openaitest.Garbage, Rate: 1, Times: 1 << 30}}})
	defer srv.Close()
	for _, tc := range []struct {
		script string
		args   []string
	}{
		{"validation.go", []string{"-groups", "1", "-replicates", "1", "-scenarios", "dishwasher"}},
	} {
		t.Run(tc.script, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{filepath.Join(root(t), "scripts", tc.script), "-out", out, "-formats", "png",
				"-model", "test-model", "-base-url", srv.BaseURL()}, tc.args...)
			cmd := exec.Command(binary, args...)
			msg, _ := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code == 0 || !strings.Contains(string(msg), "fallback budget") || !strings.Contains(string(msg), "marked failed") {
				t.Fatalf("exit %d:\n%s", code, msg)
			}
			manifests, _ := filepath.Glob(filepath.Join(out, "runs", "*", "manifest.json"))
			deeper, _ := filepath.Glob(filepath.Join(out, "runs", "*", "*", "manifest.json"))
			manifests = append(manifests, deeper...)
			marked := 0
			for _, m := range manifests {
				dir := filepath.Dir(m)
				_, err := history.Load(dir)
				theory := filepath.Base(dir) == "theory"
				switch {
				case theory && err != nil:
					t.Errorf("%s: the theory run was refused: %v", dir, err)
				case !theory && (err == nil || !strings.Contains(err.Error(), "fallback budget")):
					t.Errorf("%s: an LLM run over the budget loads as a result (%v)", dir, err)
				case !theory:
					marked++
				}
			}
			if marked == 0 {
				t.Errorf("no LLM run directory was written (of %d):\n%s", len(manifests), msg)
			}
			releases, _ := filepath.Glob(filepath.Join(out, "release", "*"))
			releases2, _ := filepath.Glob(filepath.Join(out, "release", "*", "*"))
			for _, r := range append(releases, releases2...) {
				if strings.Contains(r, "llm-") {
					t.Errorf("release files written from runs over the budget: %s", r)
				}
			}
		})
	}
}
