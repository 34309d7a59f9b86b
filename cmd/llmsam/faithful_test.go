package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/internal/openaitest"
	"github.com/llmsam/llmsam/internal/refdata"
	"github.com/llmsam/llmsam/stdlib/llmagent"
	"github.com/llmsam/llmsam/stdlib/netw"
	"github.com/llmsam/llmsam/stdlib/pop"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// TestValidationWithReleaseFiles runs the validation script with two LLM
// agents (a base model and a tuned one on the same endpoint) against the
// test server: a round-2 dishwasher request must carry the worked
// examples' numbers, the price range of home dishwashers and the
// critical-thinking note and no weight in percent; both models must be in
// the distance table; and the run's release files must read with Python
// code written for the release's layout.
func TestValidationWithReleaseFiles(t *testing.T) {
	srv := openaitest.New(openaitest.Options{Models: []string{"base-model", "tuned-lora"}})
	defer srv.Close()
	out := t.TempDir()
	code, stdout, stderr := runInterpreted(filepath.Join(root(t), "scripts", "validation.go"), "-out", out, "-scenarios", "dishwasher",
		"-groups", "3", "-replicates", "2", "-formats", "png", "-model", "base-model", "-models", "tuned-lora", "-base-url", srv.BaseURL())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	table, err := os.ReadFile(filepath.Join(out, "distances.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(table), "| base-model |") || !strings.Contains(string(table), "| tuned-lora |") {
		t.Fatalf("the distance table does not compare both models:\n%s", table)
	}
	round2 := 0
	for _, r := range srv.Requests() {
		var body struct {
			Messages []struct{ Content string }
		}
		if err := json.Unmarshal(r.Body, &body); err != nil || len(body.Messages) != 2 {
			t.Fatalf("request %s: %v", r.Body, err)
		}
		system, user := body.Messages[0].Content, body.Messages[1].Content
		if !strings.Contains(user, "# Round 2\n") {
			continue
		}
		round2++
		for _, want := range []string{
			"friends a = 0.1, new information f = 0.2, stubbornness tau = 0.7, trade-off lambda = 0.6", // worked example 1
			"their opinion was 7 and their decision Yes",                                               // its round 2
			"friends a = 0.0, new information f = 0.0, stubbornness tau = 1.0, trade-off lambda = 0.95",
			"from about 1,500 to more than 10,000 CNY",
			"do not copy their answers. You need not agree with your friends. Remember that your time, energy and money are limited.",
		} {
			if !strings.Contains(system, want) {
				t.Fatalf("round-2 request lacks %q:\n%s", want, system)
			}
		}
		if strings.Contains(system+user, "%") {
			t.Fatalf("a round-2 request gives weights in percent:\n%s\n%s", system, user)
		}
		if round2 == 1 {
			var show []string
			for _, line := range strings.Split(system+"\n"+user, "\n") {
				if strings.Contains(line, "1,500") || strings.Contains(line, "Think critically") || strings.Contains(line, "do not copy") ||
					strings.Contains(line, "Participant 1") || strings.Contains(line, "Coefficients: friends a = 0.1, new") || strings.Contains(line, "- Round") ||
					strings.Contains(line, "Your coefficients") {
					show = append(show, line)
				}
			}
			t.Logf("a round-2 dishwasher request (excerpt; no %%-sign anywhere in it):\n%s", strings.Join(show, "\n"))
		}
	}
	if round2 == 0 {
		t.Fatal("no round-2 request recorded")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed (apt-get install python3): cannot read the release files as the release's code does")
	}
	reader := filepath.Join(root(t), "stdlib", "history", "testdata", "read_release.py")
	for _, agents := range []string{"theory", "llm-base-model", "llm-tuned-lora"} {
		for _, start := range []string{"0", "3", "6"} {
			b, err := exec.Command(py, reader, filepath.Join(out, "release", "dishwasher", agents), "1", "3", start, "2").CombinedOutput()
			if err != nil {
				t.Fatalf("%s group at %s: %v\n%s", agents, start, err, b)
			}
			if !strings.Contains(string(b), "agents James,Michael,David; steps 3") {
				t.Fatalf("%s: %s", agents, b)
			}
			if start == "3" {
				t.Logf("python3 read_release.py on %s's files:\n%s", agents, b)
			}
		}
	}
	t.Logf("%s", stdout[strings.Index(stdout, "wrote"):])
}

// TestLargeNetworkTakesThreeAdjacencyFiles runs the larger-network script
// on the release's BA.npy and WS and ER files of the release's sizes: each
// file is used under its own label.
func TestLargeNetworkTakesThreeAdjacencyFiles(t *testing.T) {
	ba := refdata.Path(t, "adj_mat", "BA.npy")
	dir := t.TempDir()
	ws, _ := netw.WattsStrogatz(101, 18, 0.3, 5)
	er, _ := netw.ErdosRenyi(101, 0.2, 5)
	check := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	check(netw.SaveNetwork(filepath.Join(dir, "WS.npy"), ws))
	check(netw.SaveNetwork(filepath.Join(dir, "ER.npy"), er))
	out := t.TempDir()
	code, stdout, stderr := runInterpreted(filepath.Join(root(t), "scripts", "large_network.go"), "-out", out, "-windows", "1", "-replicates", "1",
		"-formats", "png", "-ba", ba, "-ws", filepath.Join(dir, "WS.npy"), "-er", filepath.Join(dir, "ER.npy"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"BA network from " + ba + ": 101 nodes, 910 edges",
		"WS network from " + filepath.Join(dir, "WS.npy") + ": 101 nodes, " + strconv.Itoa(ws.Edges()) + " edges",
		"ER network from " + filepath.Join(dir, "ER.npy") + ": 101 nodes, " + strconv.Itoa(er.Edges()) + " edges",
	} {
		if !strings.Contains(stdout, want) {
			t.Fatalf("output lacks %q:\n%s", want, stdout)
		}
	}
	for top, g := range map[string]*netw.Graph{"WS": ws, "ER": er} {
		edges, err := netw.LoadEdgeList(filepath.Join(out, "runs", top, "window_0", "network.edges"), 101)
		check(err)
		if edges.Edges() != g.Edges() {
			t.Fatalf("the %s run used a graph of %d edges, the %s file has %d", top, edges.Edges(), top, g.Edges())
		}
	}
	if _, err := os.Stat(filepath.Join(out, "release", "ER", "exp1", "simulations_n101", "result_person0-101.json")); err != nil {
		t.Fatal(err)
	}
	// A file of the wrong size is refused before the run, naming the flag and the file.
	small, _ := netw.BarabasiAlbert(50, 5, 1)
	check(netw.SaveNetwork(filepath.Join(dir, "small.npy"), small))
	// A process: scripts print to os.Stderr, the process's own stream.
	cmd := exec.Command(binary, filepath.Join(root(t), "scripts", "large_network.go"), "-out", t.TempDir(), "-ws", filepath.Join(dir, "small.npy"))
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Run()
	code, stderr = cmd.ProcessState.ExitCode(), errb.String()
	if want := "-ws " + filepath.Join(dir, "small.npy") + ": 50 nodes, want 101"; code == 0 || !strings.Contains(stderr, want) {
		t.Fatalf("exit %d, stderr %q; want a failure saying %q", code, stderr, want)
	}
}

// TestSFTData checks that every line of train.jsonl and val.jsonl is a
// chat fine-tuning example (system, user, assistant) whose assistant
// message parses as an answer, and that no group is in both files.
func TestSFTData(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runInterpreted(filepath.Join(root(t), "scripts", "sft_data.go"), "-out", out, "-groups", "6", "-replicates", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(filepath.Join(out, "index.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	index, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]string{}
	for _, row := range index[1:] {
		if prev, ok := groups[row[2]]; ok && prev != row[0] {
			t.Fatalf("group %s is in %s and %s", row[2], prev, row[0])
		}
		groups[row[2]] = row[0]
	}
	counts := map[string]int{}
	for _, name := range []string{"train.jsonl", "val.jsonl"} {
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			counts[name]++
			var ex struct {
				Messages []struct{ Role, Content string }
			}
			if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
				t.Fatalf("%s line %d: %v", name, counts[name], err)
			}
			if len(ex.Messages) != 3 || ex.Messages[0].Role != "system" || ex.Messages[1].Role != "user" || ex.Messages[2].Role != "assistant" ||
				ex.Messages[0].Content == "" || ex.Messages[1].Content == "" {
				t.Fatalf("%s line %d is not [system, user, assistant]: %s", name, counts[name], sc.Bytes())
			}
			if _, err := llmagent.Parse(ex.Messages[2].Content); err != nil {
				t.Fatalf("%s line %d: the assistant message %q does not parse: %v", name, counts[name], ex.Messages[2].Content, err)
			}
		}
		f.Close()
	}
	if counts["train.jsonl"] == 0 || counts["val.jsonl"] == 0 || counts["train.jsonl"]+counts["val.jsonl"] != len(index)-1 {
		t.Fatalf("%v lines, %d index rows\n%s", counts, len(index)-1, stdout)
	}
	t.Logf("%s", stdout)
}

// TestDynamicTakesTheReleaseFiles runs scripts/dynamic.go on the release's
// dynamic and static adjacency files: the release's output files go to
// release/dynamic and release/static, and a static file of the wrong size
// is refused before the run, naming the flag and the file.
func TestDynamicTakesTheReleaseFiles(t *testing.T) {
	dyn := refdata.Path(t, "adj_mat", "BA_dynamic.npy")
	static := refdata.Path(t, "adj_mat", "BA_50.npy")
	script := filepath.Join(root(t), "scripts", "dynamic.go")
	out := t.TempDir()
	code, stdout, stderr := runInterpreted(script, "-out", out, "-windows", "1", "-replicates", "1", "-formats", "png", "-dynamic", dyn, "-static", static)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"dynamic network from " + dyn + ": 10 steps of 50 nodes", "static network from " + static + ": 50 nodes, 225 edges"} {
		if !strings.Contains(stdout, want) {
			t.Fatalf("output lacks %q:\n%s", want, stdout)
		}
	}
	for _, kind := range []string{"dynamic", "static"} {
		if _, err := os.Stat(filepath.Join(out, "release", kind, "exp1", "simulations_n50", "result_person0-50.json")); err != nil {
			t.Error(err)
		}
	}
	ba := refdata.Path(t, "adj_mat", "BA.npy")
	cmd := exec.Command(binary, script, "-out", t.TempDir(), "-static", ba)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Run()
	if want := "-static " + ba + ": 101 nodes, want 50"; cmd.ProcessState.ExitCode() == 0 || !strings.Contains(errb.String(), want) {
		t.Fatalf("exit %d, stderr %q; want a failure saying %q", cmd.ProcessState.ExitCode(), errb.String(), want)
	}
}

// TestManifestsNameTheirInputFiles: the runs of large_network.go and
// dynamic.go made from .npy networks and coefficient files record those
// files in manifest.json, by path and SHA-256.
func TestManifestsNameTheirInputFiles(t *testing.T) {
	dir := t.TempDir()
	check := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	sha := func(path string) string {
		b, err := os.ReadFile(path)
		check(err)
		return fmt.Sprintf("%x", sha256.Sum256(b))
	}
	ws, _ := netw.WattsStrogatz(101, 18, 0.3, 5)
	wsPath := filepath.Join(dir, "WS.npy")
	check(netw.SaveNetwork(wsPath, ws))
	people, _ := pop.Synthetic(scenario.Dishwasher(), 165, 1)
	var coeff []string
	for k, part := range []pop.Population{people[:30], people[30:70], people[70:]} {
		path := filepath.Join(dir, fmt.Sprintf("coeff1_%d.csv", k+3))
		f, err := os.Create(path)
		check(err)
		check(pop.WriteCSV(f, part))
		check(f.Close())
		coeff = append(coeff, path)
	}
	base, _ := netw.BarabasiAlbert(50, 5, 1)
	dyn, err := netw.Rewire(base, 20, 10, 1)
	check(err)
	dynPath, staticPath := filepath.Join(dir, "dyn.npy"), filepath.Join(dir, "static.npy")
	check(netw.SaveNetwork(dynPath, dyn))
	check(netw.SaveNetwork(staticPath, base))

	inputs := func(runDir string) map[string]string {
		var m struct {
			Inputs []struct{ Role, Path, SHA256 string }
		}
		check(json.Unmarshal([]byte(mustRead(t, filepath.Join(runDir, "manifest.json"))), &m))
		got := map[string]string{}
		for _, in := range m.Inputs {
			got[in.Role+" "+in.Path] = in.SHA256
		}
		return got
	}
	want := func(runDir string, role string, paths ...string) {
		t.Helper()
		got := inputs(runDir)
		for _, p := range paths {
			if got[role+" "+p] != sha(p) {
				t.Errorf("%s: manifest inputs %v lack %s %s (sha256 %s)", runDir, got, role, p, sha(p))
			}
		}
	}
	out := t.TempDir()
	code, _, stderr := runInterpreted(filepath.Join(root(t), "scripts", "large_network.go"), "-out", out, "-windows", "1", "-replicates", "1",
		"-formats", "png", "-ws", wsPath, "-coeff", dir)
	if code != 0 {
		t.Fatalf("large_network: exit %d: %s", code, stderr)
	}
	want(filepath.Join(out, "runs", "WS", "window_0"), "network", wsPath)
	want(filepath.Join(out, "runs", "WS", "window_0"), "population", coeff...)
	if got := inputs(filepath.Join(out, "runs", "BA", "window_0")); len(got) != 3 {
		t.Errorf("the generated BA network's run lists %v, want only the 3 coefficient files", got)
	}

	out = t.TempDir()
	code, _, stderr = runInterpreted(filepath.Join(root(t), "scripts", "dynamic.go"), "-out", out, "-windows", "1", "-replicates", "1",
		"-formats", "png", "-dynamic", dynPath, "-static", staticPath)
	if code != 0 {
		t.Fatalf("dynamic: exit %d: %s", code, stderr)
	}
	manifests, _ := filepath.Glob(filepath.Join(out, "runs", "*", "manifest.json"))
	if len(manifests) != 2 {
		t.Fatalf("%d run directories, want 2 (dynamic and static)", len(manifests))
	}
	for _, m := range manifests {
		run := filepath.Dir(m)
		if strings.Contains(filepath.Base(run), "static") {
			want(run, "network", staticPath)
		} else {
			want(run, "network", dynPath)
		}
	}
}
