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
// most memEntries of the latest answers, without their request bodies, in
// shards by key so that concurrent requests seldom wait for one another.
type cache struct {
	shards [memShards]memShard
	db     *bolt.DB
}

// memShard is one shard of the in-memory cache.
type memShard struct {
	mu  sync.Mutex
	mem map[uint64]*memEntry // the newest answers, by their key's first 8 bytes
	old map[uint64]*memEntry // the generation before, dropped when mem fills up
	_   [40]byte             // a cache line of its own
}

// memShards is the number of shards; a power of two.
const memShards = 16

func (c *cache) shard(key digest) *memShard { return &c.shards[key.short()%memShards] }

// memEntry is an answer kept in memory with its whole key (the maps are
// keyed by its first 8 bytes: small keys keep a lookup, mostly a miss, to
// one cache line).
type memEntry struct {
	key digest
	e   entry
}

// memEntries bounds the answers kept in memory without a cache file: per
// shard, two generations of memEntries/memShards/2 (dropping a whole map is
// cheaper than deleting entries one by one from a map that keeps growing).
const memEntries = 1 << 16

func openCache(path string) (*cache, error) {
	c := &cache{}
	for i := range c.shards {
		c.shards[i].mem = map[uint64]*memEntry{}
	}
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
		short, s := key.short(), c.shard(key)
		s.mu.Lock()
		m, ok := s.mem[short]
		if !ok {
			m, ok = s.old[short]
		}
		s.mu.Unlock()
		if !ok || m.key != key {
			return entry{}, false
		}
		return m.e, true
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
		m, s := &memEntry{key: key, e: e}, c.shard(key)
		const half = memEntries / memShards / 2
		s.mu.Lock()
		if len(s.mem) >= half {
			s.old, s.mem = s.mem, make(map[uint64]*memEntry, half)
		}
		s.mem[key.short()] = m
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
