package llm

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A study's agents share a long first message (the system message with the
// task, the scenario and its worked examples: about 5 KB in the default
// prompts) and differ in the rest. prefixes keeps, for each such message,
// the start of the body up to the end of that message and the cache key's
// SHA-256 state after it, so that a request encodes and hashes only its
// own part. The body and the key are byte for byte what they would be
// without it (TestPrefixBodyAndKey).
type prefixes struct {
	m sync.Map // prefixID -> *prefix
	n atomic.Int32
}

// prefixMin is the shortest first message worth keeping; prefixMax bounds
// how many are kept (the map starts over when it is full).
const (
	prefixMin = 512
	prefixMax = 256
)

// prefixID names a first message by its role and the address and length of
// its content. The prefix keeps that content alive, so no other string can
// take its address while the entry exists: equal IDs mean equal bytes.
type prefixID struct {
	role string
	p    *byte
	n    int
}

type prefix struct {
	content string    // the message's content, kept alive (see prefixID)
	body    []byte    // the body from its start through the first message
	h       hash.Hash // the key's SHA-256 state after keyHead and body
	mem     [2]uint64 // body's sums for memKey
}

// get returns the prefix of chat bodies whose first message is m under
// c's configuration, or nil when m is too short to be worth it or the
// bodies are rewritten afterwards (Config.Extra).
func (ps *prefixes) get(c *Client, m Message) *prefix {
	if len(m.Content) < prefixMin || len(c.cfg.Extra) > 0 || c.cfg.Mode == Completion {
		return nil
	}
	id := prefixID{role: m.Role, p: unsafe.StringData(m.Content), n: len(m.Content)}
	if v, ok := ps.m.Load(id); ok {
		return v.(*prefix)
	}
	p := &prefix{content: m.Content}
	p.body = appendChatHead(nil, &c.cfg, m)
	p.h = c.keyHash()
	p.h.Write(p.body)
	p.mem = [2]uint64{maphash.Bytes(c.memSeeds[0], p.body), maphash.Bytes(c.memSeeds[1], p.body)}
	if ps.n.Add(1) > prefixMax {
		ps.m.Clear()
		ps.n.Store(1)
	}
	v, _ := ps.m.LoadOrStore(id, p)
	return v.(*prefix)
}

// keyHash returns a SHA-256 that has read what every key starts with.
func (c *Client) keyHash() hash.Hash {
	h := sha256.New()
	h.Write([]byte("llmsam-key-v2\x00"))
	h.Write([]byte(c.path()))
	h.Write([]byte{0})
	return h
}

// digest is a cache key (see Client.Key); the cache file and the answers
// log hold it in hex.
type digest [sha256.Size]byte

func (d digest) String() string { return hex.EncodeToString(d[:]) }

// short is the key's first 8 bytes, for in-memory maps.
func (d digest) short() uint64 { return binary.LittleEndian.Uint64(d[:8]) }

// parseDigest reads a key written by digest.String.
func parseDigest(s string) (digest, bool) {
	var d digest
	n, err := hex.Decode(d[:], []byte(s))
	return d, err == nil && n == len(d)
}

// reqBody is a request body in two pieces written one after the other:
// the cached start of a chat body (nil when there is none; see prefixes)
// and the rest, so that the start is neither copied nor hashed again.
type reqBody struct {
	pre  *prefix
	tail []byte
}

// plainBody is a body in one piece (nil for none).
func plainBody(b []byte) reqBody { return reqBody{tail: b} }

func (b reqBody) none() bool { return b.pre == nil && b.tail == nil }

func (b reqBody) len() int { return len(b.head()) + len(b.tail) }

// head is the cached start, or nil.
func (b reqBody) head() []byte {
	if b.pre == nil {
		return nil
	}
	return b.pre.body
}

// bytes returns the body in one piece (a copy when it is in two).
func (b reqBody) bytes() []byte {
	if b.pre == nil {
		return b.tail
	}
	return append(append(make([]byte, 0, b.len()), b.pre.body...), b.tail...)
}

// memKey is the key of b in a client that neither stores nor shows keys
// (no cache file, answers log, batch file or replay), whose only use is
// its in-memory cache: two 64-bit maphash sums (process-random seeds) of
// the endpoint path and the body, the cached start taken by its own sums.
// 128 bits make an accidental collision among the answers a session keeps
// (at most memEntries) as unlikely as SHA-256's, at a fraction of its CPU.
func (c *Client) memKey(b reqBody) digest {
	var d digest
	for k, seed := range c.memSeeds {
		var h maphash.Hash
		h.SetSeed(seed)
		h.WriteString(c.path())
		if b.pre != nil {
			var sum [8]byte
			binary.LittleEndian.PutUint64(sum[:], b.pre.mem[k])
			h.Write(sum[:])
		}
		h.Write(b.tail)
		binary.LittleEndian.PutUint64(d[8*k:], h.Sum64())
	}
	return d
}

// sum returns the key of b, continuing from its start's hash state.
func (c *Client) sum(b reqBody) digest {
	var h hash.Hash
	if b.pre != nil {
		if hc, err := b.pre.h.(hash.Cloner).Clone(); err == nil {
			h = hc
		} else {
			h = c.keyHash()
			h.Write(b.pre.body)
		}
	} else {
		h = c.keyHash()
	}
	h.Write(b.tail)
	var d digest
	h.Sum(d[:0])
	return d
}
