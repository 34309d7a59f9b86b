package workpool

import (
	"bytes"
	"strings"
	"testing"
)

// TestClearBars: an interrupted run's terminal bar leaves its line blank
// (the host says "interrupted" there) and draws nothing afterwards, not
// even the 100% its deferred Finish would draw.
func TestClearBars(t *testing.T) {
	var w bytes.Buffer
	p := terminalProgress(&Progress{}, &w, 100, "study")
	p.Add(40)
	if !strings.Contains(w.String(), "40/100") {
		t.Fatalf("the bar was not drawn: %q", w.String())
	}
	ClearBars()
	s := w.String()
	last := s[strings.LastIndex(strings.TrimSuffix(s, "\r"), "\r")+1:]
	if !strings.HasSuffix(s, "\r") || strings.TrimSpace(last) != "" {
		t.Fatalf("ClearBars left the line %q (output %q)", last, s)
	}
	n := w.Len()
	p.Add(10)
	p.Finish()
	if w.Len() != n {
		t.Errorf("a cleared bar drew again: %q", w.String()[n:])
	}
	// A bar that finished normally is cleared by Finish and forgotten.
	w.Reset()
	q := terminalProgress(&Progress{}, &w, 2, "study")
	q.Add(2)
	q.Finish()
	n = w.Len()
	ClearBars()
	if w.Len() != n {
		t.Errorf("ClearBars drew on a finished bar: %q", w.String()[n:])
	}
}
