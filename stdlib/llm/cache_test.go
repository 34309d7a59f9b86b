package llm

import (
	"crypto/sha256"
	"fmt"
	"testing"
)

func keyN(i int) digest { return sha256.Sum256([]byte(fmt.Sprint(i))) }

// TestMemoryCacheIsBounded: the memory holds at most memEntries answers,
// recent ones replace old ones, and request bodies are not kept.
func TestMemoryCacheIsBounded(t *testing.T) {
	c, _ := openCache("")
	const n = 4 * memEntries
	for i := range n {
		c.put(keyN(i), entry{Text: "answer", Request: []byte("a long request body")})
	}
	used := 0
	for i := range c.shards {
		if len(c.shards[i].slots) != memEntries/memShards {
			t.Fatalf("shard %d has %d slots", i, len(c.shards[i].slots))
		}
		for _, s := range c.shards[i].slots {
			if s.used {
				used++
			}
		}
	}
	if used > memEntries || used < memEntries*9/10 {
		t.Fatalf("%d answers in memory, want at most %d (and most slots used)", used, memEntries)
	}
	old := 0
	for i := range memEntries {
		if _, ok := c.get(keyN(i)); ok {
			old++
		}
	}
	if old > memEntries/10 {
		t.Fatalf("%d of the first %d answers still in memory after %d newer ones", old, memEntries, n-memEntries)
	}
	e, ok := c.get(keyN(n - 1))
	if !ok || e.Text != "answer" || e.Request != nil {
		t.Fatalf("the latest answer: %+v %v (the request body is not kept in memory)", e, ok)
	}
}

// TestMemoryCacheComparesWholeKeys: keys alike in the first 8 bytes (which
// choose the slot) are different answers.
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

// TestMemoryCacheKeepsAnswersOfOneSlot: two answers whose keys choose the
// same slot are both kept (a request asked again right after another one
// is answered from memory), and a third takes the oldest one's place.
func TestMemoryCacheKeepsAnswersOfOneSlot(t *testing.T) {
	c, _ := openCache("")
	keys := make([]digest, 3)
	for i := range keys {
		keys[i] = keyN(7)
		keys[i][31] ^= byte(i + 1) // the same first 8 bytes: the same slot
	}
	c.put(keys[0], entry{Text: "0"})
	c.put(keys[1], entry{Text: "1"})
	c.put(keys[0], entry{Text: "0 again"}) // asked again: replaces its own answer
	for i, want := range []string{"0 again", "1"} {
		if e, ok := c.get(keys[i]); !ok || e.Text != want {
			t.Fatalf("answer %d: %+v %v, want %q", i, e, ok, want)
		}
	}
	c.put(keys[2], entry{Text: "2"})
	if _, ok := c.get(keys[0]); ok {
		t.Fatal("the oldest of three answers of one slot is still kept")
	}
	for i, want := range []string{"1", "2"} {
		if e, ok := c.get(keys[i+1]); !ok || e.Text != want {
			t.Fatalf("answer %d: %+v %v, want %q", i+1, e, ok, want)
		}
	}
}
