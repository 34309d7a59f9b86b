package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/llmsam/llmsam/internal/openaitest"
)

// cachedBodies returns the request bodies whose answers are in a cache file.
func cachedBodies(t *testing.T, path string) map[string]bool {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]bool{}
	db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("answers")).ForEach(func(k, v []byte) error {
			var e struct{ Request json.RawMessage }
			json.Unmarshal(v, &e)
			out[string(e.Request)] = true
			return nil
		})
	})
	return out
}

func runDir(t *testing.T, dir string) map[string][]byte {
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			files[rel] = b
		}
		return nil
	})
	return files
}

// TestKillAndResume kills an LLM run with SIGKILL part-way, resumes it
// from its cache, and compares the result with an uninterrupted run byte
// for byte; no request whose answer reached the cache is sent again.
func TestKillAndResume(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Latency: 15 * time.Millisecond, Capacity: 4,
		Rules: []openaitest.Rule{{Fault: openaitest.Prose, Rate: 0.2, Times: 1 << 30}, {Fault: openaitest.WrongKeys, Rate: 0.1, Times: 1 << 30}}})
	defer srv.Close()
	dir := t.TempDir()
	script := filepath.Join(root(t), "cmd", "llmsam", "testdata", "llm_study.go")
	args := func(cache, out string) []string {
		return []string{script, "-model", "test-model", "-base-url", srv.BaseURL(), "-cache", cache, "-out", out}
	}
	ref := exec.Command(binary, args(filepath.Join(dir, "ref.db"), filepath.Join(dir, "ref"))...)
	if out, err := ref.CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	total := srv.Count()

	cache := filepath.Join(dir, "resume.db")
	killed := exec.Command(binary, args(cache, filepath.Join(dir, "resumed"))...)
	if err := killed.Start(); err != nil {
		t.Fatal(err)
	}
	start := srv.Count()
	for srv.Count()-start < total*2/5 {
		time.Sleep(5 * time.Millisecond)
	}
	killed.Process.Kill() // SIGKILL: no chance to clean up
	killed.Wait()
	if _, err := os.Stat(filepath.Join(dir, "resumed", "manifest.json")); err == nil {
		t.Fatal("the killed run finished before it was killed")
	}
	cached := cachedBodies(t, cache)
	if len(cached) == 0 {
		t.Fatal("nothing reached the cache before the kill")
	}
	before := srv.Count()
	resumed := exec.Command(binary, args(cache, filepath.Join(dir, "resumed"))...)
	if out, err := resumed.CombinedOutput(); err != nil {
		t.Fatalf("resumed run: %v\n%s", err, out)
	}
	for _, r := range srv.Requests()[before:] {
		if cached[string(r.Body)] {
			t.Fatalf("the resumed run asked again a request answered before the kill")
		}
	}
	want, got := runDir(t, filepath.Join(dir, "ref")), runDir(t, filepath.Join(dir, "resumed"))
	if len(want) != len(got) {
		t.Fatalf("%d files against %d", len(got), len(want))
	}
	for name, b := range want {
		if name != "report.json" && !bytes.Equal(b, got[name]) {
			t.Fatalf("%s differs between the resumed and the uninterrupted run", name)
		}
	}
	t.Logf("%d requests uninterrupted; killed after %d, %d answers cached, %d sent on resume",
		total, before-start, len(cached), srv.Count()-before)
}
