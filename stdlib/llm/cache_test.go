package llm

import (
	"crypto/sha256"
	"fmt"
	"testing"
)

func keyN(i int) digest { return sha256.Sum256([]byte(fmt.Sprint(i))) }

func TestMemoryCacheIsBounded(t *testing.T) {
	c, _ := openCache("")
	for i := range memEntries + 10 {
		c.put(keyN(i), entry{Text: "answer", Request: []byte("a long request body")})
	}
	n := 0
	for i := range c.shards {
		n += len(c.shards[i].mem) + len(c.shards[i].old)
	}
	if n > memEntries || n < memEntries/2 {
		t.Fatalf("%d answers in memory, want at most %d", n, memEntries)
	}
	if _, ok := c.get(keyN(3)); ok {
		t.Fatal("the oldest answers should be evicted")
	}
	e, ok := c.get(keyN(memEntries + 5))
	if !ok || e.Text != "answer" || e.Request != nil {
		t.Fatalf("recent answer: %+v %v (the request body is not kept in memory)", e, ok)
	}
}

// TestMemoryCacheComparesWholeKeys: keys alike in the first 8 bytes (by
// which the maps are indexed) are different answers.
func TestMemoryCacheComparesWholeKeys(t *testing.T) {
	c, _ := openCache("")
	a, b := keyN(1), keyN(1)
	b[31] ^= 1
	c.put(a, entry{Text: "a"})
	if _, ok := c.get(b); ok {
		t.Fatal("a key that differs after its first 8 bytes found another key's answer")
	}
	if e, ok := c.get(a); !ok || e.Text != "a" {
		t.Fatalf("got %+v %v", e, ok)
	}
}
