package llm

import (
	"context"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/internal/openaitest"
)

// TestMemoryCacheKeys: without a cache file the in-memory cache answers a
// request asked again (with a shared system message long enough to be
// cached as a body start, and with a short one), and never answers a
// request that differs from it, however little.
func TestMemoryCacheKeys(t *testing.T) {
	srv := openaitest.New(openaitest.Options{})
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.BaseURL()})
	if !c.memKeys {
		t.Fatal("a client without a cache file should key its memory cache with memKey")
	}
	long := strings.Repeat("The shared part of every agent's prompt. ", 30)
	var reqs []Request
	for _, sys := range []string{long, "short"} {
		for i := range 10 {
			r := requests(10)[i]
			r.Messages[0].Content = sys
			reqs = append(reqs, r)
			v := r // the same but for one byte of the user message
			v.Messages = []Message{r.Messages[0], {Role: "user", Content: r.Messages[1].Content + "."}}
			reqs = append(reqs, v)
		}
	}
	first := c.Do(context.Background(), reqs)
	mustAnswer(t, first)
	sent := srv.Count()
	again := c.Do(context.Background(), reqs)
	mustAnswer(t, again)
	if srv.Count() != sent || sent != len(reqs) {
		t.Fatalf("%d requests, %d sent the first time and %d the second", len(reqs), sent, srv.Count()-sent)
	}
	for i := range again {
		if !again[i].Cached || again[i].Text != first[i].Text {
			t.Fatalf("request %d asked again: cached %v, %q (first %q)", i, again[i].Cached, again[i].Text, first[i].Text)
		}
	}
	file := newClient(t, Config{BaseURL: srv.BaseURL(), CachePath: t.TempDir() + "/c.db"})
	if file.memKeys {
		t.Fatal("a client with a cache file needs SHA-256 keys")
	}
}
