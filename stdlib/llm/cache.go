package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	answersBucket = []byte("answers")
	pendingBucket = []byte("pending") // batch custom_id -> key, for ImportBatch
)

// entry is what the cache keeps per answer: the request as sent (without
// credentials), the answer and its usage.
type entry struct {
	ID           string          `json:"id"`
	Request      json.RawMessage `json:"request"`
	Text         string          `json:"text"`
	Choices      []string        `json:"choices,omitempty"` // every answer of a request with n > 1
	FinishReason string          `json:"finish_reason"`
	Usage        Usage           `json:"usage"`
}

// cache stores answers by key: with a path, in a bbolt file only
// (crash-safe: every write is a committed transaction), so that a run of a
// million agents holds no answer in memory; without one, in memory, at
// most memEntries recent answers, without their request bodies.
//
// The memory is a two-way set-associative table (each key has a set of two
// slots; a new answer takes the older one's), in shards with locks of
// their own so that concurrent requests seldom wait for one another: a
// lookup, mostly a miss in a run of distinct prompts, is two slots'
// comparisons, and keeping an answer allocates nothing. (With one slot per
// key, two of a few dozen answers shared a slot about once in a hundred
// runs, and a request asked again right away missed the cache.)
type cache struct {
	shards [memShards]memShard
	db     *bolt.DB
}

// memShard is one shard of the in-memory cache; its slots are allocated
// when it keeps its first answer.
type memShard struct {
	mu    sync.Mutex
	slots []memEntry
	_     [32]byte // a cache line of its own
}

// memShards is the number of shards; a power of two.
const memShards = 16

// memWays is the number of slots a key may take.
const memWays = 2

// slot returns key's shard and the index there of the first of its set's
// memWays slots, the most recent answer first.
func (c *cache) slot(key digest) (*memShard, int) {
	s := key.short()
	return &c.shards[s%memShards], int(s/memShards) % (memEntries / memShards / memWays) * memWays
}

// memEntry is an answer kept in memory with its whole key.
type memEntry struct {
	key  digest
	used bool
	e    entry
}

// memEntries is the number of slots for answers in memory without a cache
// file (about 9 MB when all are used).
const memEntries = 1 << 16

func openCache(path string) (*cache, error) {
	c := &cache{}
	if path == "" {
		return c, nil
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 3 * time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("llm: cache %s is in use by another client or process (close it first)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("llm: opening cache %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{answersBucket, pendingBucket} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("llm: cache %s: %w", path, err)
	}
	c.db = db
	return c, nil
}

func (c *cache) get(key digest) (entry, bool) {
	if c.db == nil {
		s, i := c.slot(key)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.slots == nil {
			return entry{}, false
		}
		for j := i; j < i+memWays; j++ {
			if m := &s.slots[j]; m.used && m.key == key {
				return m.e, true
			}
		}
		return entry{}, false
	}
	var e entry
	ok := false
	c.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(answersBucket).Get([]byte(key.String())); v != nil {
			ok = json.Unmarshal(v, &e) == nil
		}
		return nil
	})
	return e, ok
}

// bodyToKeep returns the request body for an entry: in one piece for a
// cache file, which keeps it; nil in memory, which does not.
func (c *cache) bodyToKeep(b reqBody) []byte {
	if c.db == nil {
		return nil
	}
	return b.bytes()
}

func (c *cache) put(key digest, e entry) error {
	if c.db == nil {
		e.Request = nil
		s, i := c.slot(key)
		s.mu.Lock()
		if s.slots == nil {
			s.slots = make([]memEntry, memEntries/memShards)
		}
		set := s.slots[i : i+memWays]
		w := 0
		for w < memWays-1 && set[w].used && set[w].key != key {
			w++
		}
		if !set[w].used || set[w].key != key {
			// A new answer: the others move down a slot, the oldest leaves.
			copy(set[1:w+1], set[:w])
			w = 0
		}
		set[w] = memEntry{key: key, used: true, e: e}
		s.mu.Unlock()
		return nil
	}
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	// Batch coalesces concurrent writers into one transaction; it returns
	// only once the answer is on disk.
	return c.db.Batch(func(tx *bolt.Tx) error {
		return tx.Bucket(answersBucket).Put([]byte(key.String()), v)
	})
}

func (c *cache) putPending(id, key string) error {
	if c.db == nil {
		return fmt.Errorf("llm: batch export needs Config.CachePath to match results to requests")
	}
	return c.db.Batch(func(tx *bolt.Tx) error {
		return tx.Bucket(pendingBucket).Put([]byte(id), []byte(key))
	})
}

func (c *cache) pendingKey(id string) (digest, bool) {
	if c.db == nil {
		return digest{}, false
	}
	var key string
	c.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(pendingBucket).Get([]byte(id)); v != nil {
			key = string(v)
		}
		return nil
	})
	return parseDigest(key)
}

func (c *cache) close() error {
	if c.db == nil {
		return nil
	}
	return c.db.Close()
}
