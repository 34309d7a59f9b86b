package jupyter

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// collect is an emit that records outputs.
type collect struct {
	mu   sync.Mutex
	outs []Output
}

func (c *collect) add(o Output) {
	c.mu.Lock()
	c.outs = append(c.outs, o)
	c.mu.Unlock()
}

func (c *collect) of(typ string) []Output {
	c.mu.Lock()
	defer c.mu.Unlock()
	var r []Output
	for _, o := range c.outs {
		if o.Type == typ {
			r = append(r, o)
		}
	}
	return r
}

func newExecutor(t *testing.T, opt Options) *Executor {
	t.Helper()
	e, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

func decodePNG(t *testing.T, data any) (w, h int) {
	t.Helper()
	s, ok := data.(string)
	if !ok {
		t.Fatalf("image/png is %T, want base64 text", data)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("image/png does not decode: %v", err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func TestStreamsAndResult(t *testing.T) {
	e := newExecutor(t, Options{CaptureProcess: true})
	var c collect
	count, failed := e.Run(context.Background(), "x := 20\nfmt.Println(\"to stdout\")\nfmt.Fprintln(os.Stderr, \"to stderr\")\nx + 1", true, c.add)
	if failed != nil || count != 1 {
		t.Fatalf("count %d, error %+v", count, failed)
	}
	streams := c.of(StreamType)
	var out, errs string
	for _, s := range streams {
		if s.Name == "stdout" {
			out += s.Text
		} else {
			errs += s.Text
		}
	}
	if out != "to stdout\n" || errs != "to stderr\n" {
		t.Errorf("stdout %q, stderr %q", out, errs)
	}
	res := c.of(ResultType)
	if len(res) != 1 || res[0].Data["text/plain"] != "21 (int)" || res[0].Count != 1 {
		t.Fatalf("results %+v, want one 21", res)
	}
	if c.outs[len(c.outs)-1].Type != ResultType {
		t.Error("the result is not the last output")
	}
	// A cell not stored keeps the count.
	if count, _ := e.Run(context.Background(), "x", false, (&collect{}).add); count != 1 {
		t.Errorf("unstored cell: count %d, want 1", count)
	}
}

func TestFigures(t *testing.T) {
	dir := t.TempDir()
	e := newExecutor(t, Options{SVG: true})
	var c collect
	_, failed := e.Run(context.Background(), `
run, err := sim.Run(sim.Study{Network: netw.Complete(5), People: pop.MustSynthetic(scenario.Dishwasher(), 5, 1), Agents: theory.SAM{}, Steps: 3, Seed: 1})
if err != nil {
	panic(err)
}
fig := plots.Trajectories(run)
fig.SaveAs(`+"`"+filepath.Join(dir, "traj")+"`"+`, "png", "pdf", "svg")
fig.Save(`+"`"+filepath.Join(dir, "only.pdf")+"`"+`)
fig`, true, c.add)
	if failed != nil {
		t.Fatal(failed.Traceback)
	}
	disp := c.of(DisplayType)
	if len(disp) != 2 {
		t.Fatalf("%d displays, want 2 (one per saved figure, whatever its formats): %+v", len(disp), disp)
	}
	w, _ := decodePNG(t, disp[0].Data["image/png"])
	if meta, _ := disp[0].Metadata["image/png"].(Bundle); meta == nil || meta["width"] != w/2 {
		t.Errorf("saved PNG (%d px wide) shown with metadata %v, want width %d", w, disp[0].Metadata, w/2)
	}
	if svg, _ := disp[0].Data["image/svg+xml"].(string); !strings.Contains(svg, "<svg") {
		t.Error("the saved SVG is not in the display")
	}
	if txt := disp[1].Data["text/plain"].(string); !strings.Contains(txt, "only.pdf") || len(disp[1].Data) != 1 {
		t.Errorf("a PDF-only figure: %v", disp[1].Data)
	}
	res := c.of(ResultType)
	if len(res) != 1 {
		t.Fatalf("results %+v", res)
	}
	if w, h := decodePNG(t, res[0].Data["image/png"]); w < 300 || h < 100 {
		t.Errorf("returned figure %dx%d px", w, h)
	}
	if svg, _ := res[0].Data["image/svg+xml"].(string); !strings.Contains(svg, "<svg") {
		t.Error("no SVG for the returned figure though SVG was asked for")
	}
}

func TestErrorPosition(t *testing.T) {
	e := newExecutor(t, Options{})
	var c collect
	_, failed := e.Run(context.Background(), "a := 1\n\tb := a + missing", true, c.add)
	if failed == nil {
		t.Fatal("no error")
	}
	if failed.EName != "CompileError" || !strings.HasPrefix(failed.EValue, "cell 1:2:11: undefined: missing") {
		t.Errorf("error %q: %q", failed.EName, failed.EValue)
	}
	tb := strings.Join(failed.Traceback, "\n")
	if !strings.Contains(tb, "   2 |     b := a + missing\n     |              ^") {
		t.Errorf("traceback does not point at the column:\n%s", tb)
	}
	if errs := c.of(ErrorType); len(errs) != 1 {
		t.Errorf("%d error outputs", len(errs))
	}
	// The session goes on.
	if _, failed := e.Run(context.Background(), "c := 3\nc", true, c.add); failed != nil {
		t.Fatal(failed.Traceback)
	}
}

func TestInterruptAndProgress(t *testing.T) {
	e := newExecutor(t, Options{ProgressAfter: time.Millisecond, ProgressEvery: 20 * time.Millisecond})
	var c collect
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// cancel once the run has shown progress
		for len(c.of(UpdateDisplayType)) == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	_, failed := e.Run(ctx, `
// about 2 ms a step on a complete graph of 1500 (and 40 kB of history): minutes if not interrupted
run, err := sim.Run(sim.Study{Name: "long", Network: netw.Complete(1500), People: pop.MustSynthetic(scenario.Dishwasher(), 1500, 1), Agents: theory.SAM{}, Steps: 100000, Seed: 1})
fmt.Println(run != nil, err)`, true, c.add)
	if failed == nil || failed.EName != "Interrupted" {
		t.Fatalf("want an Interrupted error, got %+v", failed)
	}
	disp := c.of(DisplayType)
	if len(disp) != 1 || disp[0].DisplayID == "" || !strings.HasPrefix(disp[0].Data["text/plain"].(string), "long [") {
		t.Fatalf("progress display %+v", disp)
	}
	for _, u := range c.of(UpdateDisplayType) {
		if u.DisplayID != disp[0].DisplayID {
			t.Errorf("update of display %q, want %q", u.DisplayID, disp[0].DisplayID)
		}
	}
	var next collect
	if _, failed := e.Run(context.Background(), "1 + 1", true, next.add); failed != nil || next.of(ResultType)[0].Data["text/plain"] != "2 (int)" {
		t.Fatalf("the cell after the interrupt: %+v %+v", failed, next.outs)
	}
	for _, o := range next.outs {
		if o.DisplayID != "" {
			t.Errorf("the interrupted run's progress leaked into the next cell: %+v", o)
		}
	}
}

func TestQuickRunShowsNoProgress(t *testing.T) {
	e := newExecutor(t, Options{ProgressAfter: time.Hour})
	var c collect
	if _, failed := e.Run(context.Background(), `sim.Run(sim.Study{Network: netw.Complete(5), People: pop.MustSynthetic(scenario.Dishwasher(), 5, 1), Agents: theory.SAM{}, Steps: 3, Seed: 1})`, true, c.add); failed != nil {
		t.Fatal(failed.Traceback)
	}
	if d := c.of(DisplayType); len(d) != 0 {
		t.Errorf("a run shorter than ProgressAfter left displays: %+v", d)
	}
}

func TestPanicPosition(t *testing.T) {
	e := newExecutor(t, Options{})
	var c collect
	if _, failed := e.Run(context.Background(), "func at(xs []int, i int) int {\n\treturn xs[i]\n}", true, c.add); failed != nil {
		t.Fatal(failed.Traceback)
	}
	_, failed := e.Run(context.Background(), "xs := []int{1, 2}\nat(xs, 5)", true, c.add)
	if failed == nil || failed.EName != "Panic" {
		t.Fatalf("want a panic, got %+v", failed)
	}
	tb := strings.Join(failed.Traceback, "\n")
	// The panic is in cell 1's function; the traceback quotes that line.
	if !strings.HasPrefix(failed.EValue, "cell 1:2:") || !strings.Contains(tb, "index out of range") ||
		!strings.Contains(tb, "   2 |     return xs[i]\n     |     ^") {
		t.Errorf("panic %q, traceback:\n%s", failed.EValue, tb)
	}
}
