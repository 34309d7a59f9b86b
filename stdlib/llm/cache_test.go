package llm

import (
	"fmt"
	"testing"
)

func TestMemoryCacheIsBounded(t *testing.T) {
	c, _ := openCache("")
	for i := range memEntries + 10 {
		c.put(fmt.Sprint(i), entry{Text: "answer", Request: []byte("a long request body")})
	}
	if n := len(c.mem) + len(c.old); n > memEntries || n < memEntries/2 {
		t.Fatalf("%d answers in memory, want at most %d", n, memEntries)
	}
	if _, ok := c.get("3"); ok {
		t.Fatal("the oldest answers should be evicted")
	}
	e, ok := c.get(fmt.Sprint(memEntries + 5))
	if !ok || e.Text != "answer" || e.Request != nil {
		t.Fatalf("recent answer: %+v %v (the request body is not kept in memory)", e, ok)
	}
}
