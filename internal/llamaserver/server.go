// Package llamaserver runs llama.cpp's llama-server for tests, so that
// llmsam is tested against real inference server software and not only
// against its own test double (internal/openaitest).
//
// fetch.sh, beside this file, puts Debian sid's llama-server with its
// libraries into a private sysroot and writes a tiny random-weight qwen2
// model (tinymodel.py); Start runs that server on a free loopback port:
//
//	srv := llamaserver.Start(t, llamaserver.Options{Slots: 2})
//	cfg := llm.Config{Model: srv.Model(), BaseURL: srv.BaseURL()}
//
// When fetch.sh has not run, or could not fetch the packages, Start skips
// the test with the reason.
package llamaserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// ModelFile is the model fetch.sh writes into Dir.
const ModelFile = "tiny-qwen2.gguf"

// ModelName is the name the server serves the model under (its -a alias).
const ModelName = "tiny-qwen2"

// Dir returns the folder fetch.sh fills: $LLMSAM_LLAMA_DIR, else
// .cache/llamaserver at the project root.
func Dir() string {
	if d := os.Getenv("LLMSAM_LLAMA_DIR"); d != "" {
		return d
	}
	return filepath.Join(projectRoot(), ".cache", "llamaserver")
}

// projectRoot returns the closest folder above the working directory that
// holds go.mod (the working directory when there is none).
func projectRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return wd
		}
	}
}

// Available returns nil when the server and the model are in Dir, else an
// error that says why not: what fetch.sh could not fetch, or that it has
// not run.
func Available() error {
	dir := Dir()
	if b, err := os.ReadFile(filepath.Join(dir, "UNAVAILABLE")); err == nil {
		return errors.New(strings.TrimSpace(string(b)))
	}
	if _, err := os.Stat(filepath.Join(dir, "READY")); err != nil {
		return fmt.Errorf("llama-server not fetched into %s: run internal/llamaserver/fetch.sh (Debian sid's llama.cpp, about 15 MB)", dir)
	}
	for _, p := range []string{binaryPath(dir), loaderPath(dir), filepath.Join(dir, ModelFile)} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("llama-server incomplete in %s (%v): run internal/llamaserver/fetch.sh again", dir, err)
		}
	}
	return nil
}

func libDir(dir string) string {
	return filepath.Join(dir, "sysroot", "usr", "lib", "x86_64-linux-gnu")
}
func loaderPath(dir string) string { return filepath.Join(libDir(dir), "ld-linux-x86-64.so.2") }
func binaryPath(dir string) string {
	return filepath.Join(dir, "sysroot", "usr", "bin", "llama-server")
}

// Options configure a server.
type Options struct {
	Slots   int      // requests decoded at once (-np); default 1
	Context int      // context size shared by the slots (-c); default 4096 per slot
	Threads int      // -t; default 1 (with 2 threads on a busy 2-core machine a descheduled thread stalls every token)
	APIKey  string   // --api-key: requests without it are answered 401
	Args    []string // further flags
}

// Server is a running llama-server.
type Server struct {
	t    testing.TB
	opt  Options
	port int

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
	log  *bytes.Buffer // the server's output, for failure messages
}

// Start starts a llama-server on a free 127.0.0.1 port, waits until its
// /health answers, and stops it when the test ends. It skips the test when
// the server is not available (see Available).
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	if err := Available(); err != nil {
		t.Skip(err)
	}
	if opt.Slots <= 0 {
		opt.Slots = 1
	}
	if opt.Context <= 0 {
		opt.Context = 4096 * opt.Slots
	}
	if opt.Threads <= 0 {
		opt.Threads = 1
	}
	s := &Server{t: t, opt: opt, port: freePort(t)}
	t.Cleanup(s.Stop)
	s.start()
	return s
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("llamaserver: no free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start runs the server on s.port and waits for /health.
func (s *Server) start() {
	s.t.Helper()
	dir := Dir()
	lib := libDir(dir)
	args := []string{"--library-path", lib + ":" + filepath.Join(lib, "llama"), binaryPath(dir),
		"-m", filepath.Join(dir, ModelFile), "-a", ModelName,
		"--host", "127.0.0.1", "--port", strconv.Itoa(s.port),
		"-np", strconv.Itoa(s.opt.Slots), "-c", strconv.Itoa(s.opt.Context), "-t", strconv.Itoa(s.opt.Threads),
		"--no-webui", "--metrics"}
	if s.opt.APIKey != "" {
		args = append(args, "--api-key", s.opt.APIKey)
	}
	args = append(args, s.opt.Args...)
	cmd := exec.Command(loaderPath(dir), args...)
	// ggml loads its CPU backend at run time from a system path the sysroot
	// lacks: name the build for this CPU.
	cmd.Env = append(os.Environ(), "GGML_BACKEND_PATH="+cpuBackend(filepath.Join(lib, "ggml", "backends0")))
	log := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = syncWriter(log), syncWriter(log)
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("llamaserver: starting %s: %v", binaryPath(dir), err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	s.mu.Lock()
	s.cmd, s.done, s.log = cmd, done, log
	s.mu.Unlock()

	// A busy machine may take a while to load even a tiny model; the
	// deadline only bounds a server that never comes up.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		select {
		case <-done:
			s.t.Fatalf("llamaserver: llama-server exited before answering /health:\n%s", s.Log())
		default:
		}
		if s.healthy() {
			return
		}
		if time.Now().After(deadline) {
			s.Kill()
			s.t.Fatalf("llamaserver: llama-server did not answer /health within 2 minutes:\n%s", s.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cpuBackend returns the file in dir of ggml's CPU backend to load: the
// Haswell build (AVX2, FMA, F16C, BMI2; 5 to 7 times faster at reading
// prompts) where the CPU has those and the file is there, else the
// baseline x86-64 build, which runs on every x86-64 CPU. A test's runs all use the same one, so runs compared
// byte for byte are computed alike.
func cpuBackend(dir string) string {
	info, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(info), "\n") {
		if !strings.HasPrefix(line, "flags") {
			continue
		}
		have := map[string]bool{}
		for _, f := range strings.Fields(line) {
			have[f] = true
		}
		haswell := filepath.Join(dir, "libggml-cpu-haswell.so")
		if _, err := os.Stat(haswell); err == nil && have["avx2"] && have["fma"] && have["f16c"] && have["bmi2"] {
			return haswell
		}
		break
	}
	return filepath.Join(dir, "libggml-cpu-x64.so")
}

func (s *Server) healthy() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+"/health", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// URL returns the server's root, http://127.0.0.1:PORT.
func (s *Server) URL() string { return "http://127.0.0.1:" + strconv.Itoa(s.port) }

// BaseURL returns the OpenAI base URL, http://127.0.0.1:PORT/v1.
func (s *Server) BaseURL() string { return s.URL() + "/v1" }

// Model returns the name the server serves its model under.
func (s *Server) Model() string { return ModelName }

// Log returns what the server has printed so far.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return ""
	}
	logMu.Lock()
	defer logMu.Unlock()
	return s.log.String()
}

// Kill kills the server with SIGKILL, as a crash would, and waits until it
// is gone. It does nothing when the server is not running.
func (s *Server) Kill() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Kill()
	<-done
}

// Restart starts the server again on the same port, with the same flags,
// after Kill (or kills it first), and waits for /health.
func (s *Server) Restart() {
	s.t.Helper()
	s.Kill()
	s.start()
}

// Stop stops the server; it is called when the test ends.
func (s *Server) Stop() { s.Kill() }

// Metric returns a counter of the server's /metrics, such as
// "llamacpp:tokens_predicted_total" (the server's own count of completion
// tokens since it started).
func (s *Server) Metric(name string) (float64, error) {
	req, _ := http.NewRequest("GET", s.URL()+"/metrics", nil)
	if s.opt.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+s.opt.APIKey)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s/metrics: %s: %s", s.URL(), resp.Status, body)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, fmt.Errorf("GET %s/metrics: no %s", s.URL(), name)
}

// logMu guards the servers' log buffers, written by their processes'
// output copiers and read by Log.
var logMu sync.Mutex

type lockedWriter struct{ w io.Writer }

func (l lockedWriter) Write(p []byte) (int, error) {
	logMu.Lock()
	defer logMu.Unlock()
	return l.w.Write(p)
}

func syncWriter(w io.Writer) io.Writer { return lockedWriter{w} }
