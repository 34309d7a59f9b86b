package llm

import (
	"context"
	"sync"
	"sync/atomic"
)

// Stream answers n requests without holding them all: build makes request
// i just before it is sent, and done receives its response as soon as it
// arrives (on any goroutine, concurrently). At most the client's total
// concurrency of requests exist at once, so memory stays bounded whatever
// n is. Stream returns when every request is answered or given up, or ctx
// is done (the requests not started then get ctx's error).
func (c *Client) Stream(ctx context.Context, n int, build func(i int) Request, done func(i int, r Response)) {
	c.startProgress()
	// A fixed set of workers, each taking the next request when its last
	// one is answered: no goroutine (and no stack to grow) per request.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, c.capacity()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := ctx.Err(); err != nil {
					done(i, Response{Err: err})
					continue
				}
				done(i, c.one(ctx, build(i)))
			}
		}()
	}
	wg.Wait()
}

// capacity is the most requests the endpoints take at once.
func (c *Client) capacity() int {
	c.router.mu.Lock()
	defer c.router.mu.Unlock()
	n := 0
	for _, ep := range c.endpoints {
		n += ep.limit.max
	}
	return n
}
