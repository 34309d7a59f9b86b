package llamaserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Helpers for the tests that drive llmsam as a user would: the llmsam
// command running examples/llm_agents.go against llama-server.

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// statSources stats the project's Go files and go.sum. go test replays a
// passing result while the files the test process opened or stat'ed are
// unchanged; the llmsam command's sources are read by go build and the
// examples by llmsam, not by this process, so without this a change to
// them would not rerun these tests.
func statSources() {
	root := projectRoot()
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "out" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".go") || d.Name() == "go.sum") {
			os.Stat(p)
		}
		return nil
	})
}

// llmsamBinary builds the llmsam command once per test binary.
func llmsamBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		statSources()
		if buildDir, buildErr = os.MkdirTemp("", "llamaserver-test"); buildErr != nil {
			return
		}
		// -buildvcs=auto (over a GOFLAGS=-buildvcs=false) stamps the commit
		// into the binary; unstamped, each run's manifest asks git at run
		// time, and a commit or an edit while these tests run made the
		// golden comparisons fail on manifest.json.
		out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", filepath.Join(buildDir, "llmsam"), "github.com/llmsam/llmsam/cmd/llmsam").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("building llmsam: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(buildDir, "llmsam")
}

// run is one llmsam run of examples/llm_agents.go.
type run struct {
	code int    // exit code
	out  string // stdout and stderr
	dir  string // -out
}

// agentsArgs are the flags of a tiny study: 11 agents, 1 replicate, the
// script's 3 rounds, on the given server.
func agentsArgs(srv *Server, out string, more ...string) []string {
	return append([]string{filepath.Join(projectRoot(), "examples", "llm_agents.go"),
		"-model", srv.Model(), "-base-url", srv.BaseURL(), "-n", "11", "-replicates", "1", "-out", out}, more...)
}

// llmsamCmd returns the command for llmsam with args, its output going to buf.
func llmsamCmd(t *testing.T, ctx context.Context, env []string, buf *bytes.Buffer, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, llmsamBinary(t), args...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "OPENAI_API_KEY=", "OPENAI_BASE_URL=", "LLMSAM_MODEL=")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = buf, buf
	return cmd
}

// llmsam runs llmsam with args and returns how it ended; env adds
// variables (OPENAI_API_KEY is empty unless given).
func llmsam(t *testing.T, env []string, args ...string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var buf bytes.Buffer
	err := llmsamCmd(t, ctx, env, &buf, args...).Run()
	return ended(t, err, &buf, args)
}

func ended(t *testing.T, err error, buf *bytes.Buffer, args []string) run {
	t.Helper()
	r := run{out: buf.String()}
	for i, a := range args {
		if a == "-out" && i+1 < len(args) {
			r.dir = args[i+1]
		}
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	default:
		t.Fatalf("llmsam %s: %v\n%s", strings.Join(args, " "), err, r.out)
	}
	return r
}

// ok fails the test unless the run exited 0.
func (r run) ok(t *testing.T, srvs ...*Server) {
	t.Helper()
	if r.code != 0 {
		var logs string
		for _, s := range srvs {
			logs += "\n--- " + s.URL() + " log (end):\n" + tail(s.Log(), 2000)
		}
		t.Fatalf("llmsam exited %d:\n%s%s", r.code, r.out, logs)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// totals reads the run's report.json totals.
func (r run) totals(t *testing.T) map[string]float64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, "report.json"))
	if err != nil {
		t.Fatalf("%v\nllmsam said:\n%s", err, r.out)
	}
	var rep struct{ Total map[string]float64 }
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	return rep.Total
}

// files returns the run directory's files but report.json and errors.jsonl,
// which tell how this session got its answers (sent, cached, retried).
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "report.json" || d.Name() == "errors.jsonl" {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no files in %s", dir)
	}
	return out
}

// sameRun fails the test unless two run directories hold the same bytes.
func sameRun(t *testing.T, what string, a, b string) {
	t.Helper()
	fa, fb := files(t, a), files(t, b)
	for name, want := range fa {
		got, ok := fb[name]
		switch {
		case !ok:
			t.Errorf("%s: %s missing", what, name)
		case !bytes.Equal(got, want):
			t.Errorf("%s: %s differs", what, name)
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s: extra file %s", what, name)
		}
	}
}

func metric(t *testing.T, s *Server, name string) float64 {
	t.Helper()
	v, err := s.Metric(name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const predicted = "llamacpp:tokens_predicted_total"

// errorRecord is a line of errors.jsonl.
type errorRecord struct {
	Step, Agent, Try, Attempt, Status int
	Kind, Endpoint, Message           string
}

// errorRecords reads the run's errors.jsonl.
func (r run) errorRecords(t *testing.T) []errorRecord {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, "errors.jsonl"))
	if err != nil {
		t.Fatalf("%v\nllmsam said:\n%s", err, r.out)
	}
	var recs []errorRecord
	for i, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var e errorRecord
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("errors.jsonl line %d: %v", i+1, err)
		}
		recs = append(recs, e)
	}
	return recs
}

// oneInFlight are the flags of the runs compared byte for byte: one
// request in flight (batching would change the numbers), sampling at
// temperature 1 with the seeds llmsam sends.
var oneInFlight = []string{"-concurrency", "1", "-temperature", "1"}

var (
	refOnce   sync.Once
	refDir    string  // the reference run directory
	refTokens float64 // the tokens the server generated for it
)

// reference returns a live run at one request in flight on a server of its
// own, made once for the tests that compare with it, and the number of
// tokens the server generated for it.
func reference(t *testing.T) (string, float64) {
	t.Helper()
	if err := Available(); err != nil {
		t.Skip(err)
	}
	refOnce.Do(func() {
		srv := Start(t, Options{Slots: 1})
		defer srv.Stop()
		out := filepath.Join(filepath.Dir(llmsamBinary(t)), "reference")
		r := llmsam(t, nil, agentsArgs(srv, out, oneInFlight...)...)
		r.ok(t, srv)
		if tot := r.totals(t); tot["invalid"] != 0 || tot["agent_steps"] == 0 {
			t.Fatalf("reference run: %v", tot)
		}
		refDir, refTokens = out, metric(t, srv, predicted)
	})
	if refDir == "" {
		t.Fatal("the reference run failed (see the first test that needed it)")
	}
	return refDir, refTokens
}
